/**
 * Helpers of the journey tests (test/browser/journeys*.test.ts): waiting for
 * the signed-in page, signing out, keyboard-only navigation, codes from the
 * local mailbox that arrived after a given moment, and a WebAuthn virtual
 * authenticator in Chromium (CDP), the two-MFA-method stage variant, and
 * screenshots that do not show the run's free port.
 */
import { CognitoIdentityProviderClient, SetUserMFAPreferenceCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Page } from 'puppeteer-core';
import type { LocalStage } from './local-stage';
import { shot } from './page-helpers';

/**
 * Waits until the signed-in page shows an identity ID, has listed the files
 * and has nothing in flight, so a sign-out right after never cuts a request
 * short (a 401 or a revoked token's 400).
 */
export async function signedIn(page: Page): Promise<void> {
  // The previous session's identity ID and rows stay in the hidden page, so wait for it to show first.
  await page.waitForSelector('#signed-in-screen', { visible: true, timeout: 20_000 });
  await page.waitForFunction(() => /:/.test(document.querySelector('[data-testid="identity-id"]')?.textContent ?? ''), { timeout: 20_000 });
  await page.waitForFunction(() => (document.getElementById('file-rows')?.childElementCount ?? 0) > 0, { timeout: 20_000 });
  // The account and passkey sections load on their own; a sign-out revokes the tokens they are still using (400s).
  await page.waitForNetworkIdle({ idleTime: 200, timeout: 20_000 });
}

/** Signs out with the header button and waits for the sign-in view. */
export async function signOut(page: Page): Promise<void> {
  await page.click('#sign-out');
  await page.waitForSelector('[data-testid="sign-in-form"]', { visible: true, timeout: 20_000 });
}

/** The `data-testid` of the focused element. */
export const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.id ?? '');

/** Presses Tab until `testId` has focus (keyboard only); fails after `limit` presses. */
export async function tabTo(page: Page, testId: string, limit = 30): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    if ((await focusedTestId(page)) === testId) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${testId}; last focus ${await focusedTestId(page)}`);
}

/** How many mailbox messages `to` has now, to wait for the next one. */
export const mailCount = async (stage: LocalStage, to: string) => (await stage.mailbox(to)).length;

/** The code of the first message to `to` after the first `after` messages, waiting up to 10 s. */
export async function codeAfter(stage: LocalStage, to: string, after: number): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const code = (await stage.mailbox(to)).slice(after).find((message) => message.code)?.code;
    if (code) return code;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no new code for ${to}`);
}

/** Gives the page a platform authenticator that holds resident keys and verifies the user (Chromium's virtual authenticator). */
export async function addVirtualAuthenticator(page: Page): Promise<void> {
  const cdp = await page.createCDPSession();
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
}

/** Replaces an input's value by typing, as a person would. */
export async function retype(page: Page, selector: string, value: string): Promise<void> {
  await page.click(selector, { clickCount: 3 });
  await page.keyboard.press('Backspace');
  await page.type(selector, value);
}

/**
 * editConfig for a stage offering two MFA methods: the dev stage file with
 * email MFA beside TOTP (MFA optional). Email MFA needs SES named (Cognito
 * sends it only through SES); locally every message goes to the mailbox.
 */
export function withTotpAndEmailMfa(config: Record<string, unknown>): void {
  const userPool = config.userPool as Record<string, unknown>;
  userPool.mfa = { mode: 'optional', totp: true, email: true };
  userPool.email = { sesFromAddress: 'no-reply@example.org', sesRegion: 'us-east-1' };
}

/**
 * Turns on email MFA beside the signed-in user's TOTP with neither preferred,
 * as the user's own SetUserMFAPreference call (the access token Amplify keeps
 * in the page's storage): the page offers no email MFA switch, and with two
 * methods and no preference Cognito asks which to use (SELECT_MFA_TYPE).
 */
export async function enableEmailMfaBesideTotp(stage: LocalStage, page: Page): Promise<void> {
  const accessToken = await page.evaluate((clientId) => {
    const prefix = `CognitoIdentityServiceProvider.${clientId}`;
    return localStorage.getItem(`${prefix}.${localStorage.getItem(`${prefix}.LastAuthUser`)}.accessToken`);
  }, stage.endpoints.userPoolClientId);
  if (!accessToken) throw new Error('no access token in the page; sign in first');
  const idp = new CognitoIdentityProviderClient({
    region: stage.endpoints.region,
    endpoint: stage.endpoints.endpoints.cognitoIdp,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
  try {
    await idp.send(
      new SetUserMFAPreferenceCommand({
        AccessToken: accessToken,
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: false },
        EmailMfaSettings: { Enabled: true, PreferredMfa: false },
      }),
    );
  } finally {
    idp.destroy();
  }
}

/**
 * A screenshot for docs/images/ (see page-helpers.ts `shot`) that does not
 * change with the run's free port or the caret's blink: while the picture is
 * taken the local banner's mailbox URL shows the documented port 5173 and the
 * caret is transparent (set through the CSSOM, which the page's CSP allows).
 */
export async function stableShot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  const original = await page.evaluate(() => {
    document.documentElement.style.caretColor = 'transparent';
    const banner = document.querySelector('[data-testid="local-banner"]');
    const before = banner?.textContent ?? null;
    if (banner && before) banner.textContent = before.replace(/localhost:\d+/g, 'localhost:5173');
    return before;
  });
  try {
    await shot(page, name, options);
  } finally {
    await page.evaluate((before) => {
      document.documentElement.style.removeProperty('caret-color');
      const banner = document.querySelector('[data-testid="local-banner"]');
      if (banner && before !== null) banner.textContent = before;
    }, original);
  }
}
