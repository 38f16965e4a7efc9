/**
 * A stage that offers "Email me a code" as a first factor, in headless
 * Chromium under `npm run local`: the dev stage file with `emailOtp` added to
 * the first factors (and SES named, as Cognito needs for email codes; locally
 * every message goes to the mailbox). The code arrives by mail and is typed
 * into the challenge screen; no password is asked.
 */
import type { Page } from 'puppeteer-core';
import { codeAfter, mailCount, signedIn } from './support/journey-helpers';
import { LOCAL_STAGE_TIMEOUT_MS, startLocalStage, type LocalStage } from './support/local-stage';
import { axeViolations, statusMatching, visible } from './support/page-helpers';

const USER = { email: 'email-code@example.org', password: 'Correct-Horse-9!x' };

let stage: LocalStage;
let page: Page;

beforeAll(async () => {
  stage = await startLocalStage({
    editConfig: (config) => {
      const userPool = config.userPool as Record<string, Record<string, unknown>>;
      userPool.signIn.firstFactors = ['password', 'emailOtp', 'passkey'];
      userPool.email = { sesFromAddress: 'no-reply@example.org', sesRegion: 'us-east-1' };
    },
  });
  await stage.signUpAndConfirm(USER.email, USER.password);
  page = await stage.newPage();
}, LOCAL_STAGE_TIMEOUT_MS);

afterEach(() => {
  expect(stage.takeProblems()).toEqual([]);
});

afterAll(async () => {
  await stage?.stop();
});

describe('GIVEN a stage whose first factors include emailOtp under npm run local', () => {
  test('WHEN someone types the address and asks for a code THEN the emailed code signs them in on the challenge screen', async () => {
    await page.goto(`${stage.origin}/`, { waitUntil: 'networkidle0' });
    await statusMatching(page, /Sign in to see your files/);
    expect(await visible(page, '[data-testid="email-code-sign-in"]')).toBe(true);

    await page.type('[data-testid="email"]', USER.email);
    const before = await mailCount(stage, USER.email);
    await page.click('[data-testid="email-code-sign-in"]');
    await page.waitForSelector('[data-testid="challenge-code"]', { visible: true, timeout: 20_000 });
    expect(await statusMatching(page, /needed to finish/)).toBe('Code we emailed you: needed to finish signing in.');
    expect(await axeViolations(page)).toEqual([]);
    await page.type('[data-testid="challenge-code"]', await codeAfter(stage, USER.email, before));
    await page.click('[data-testid="challenge-submit"]');
    await signedIn(page);
  });
});
