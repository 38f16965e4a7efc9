/**
 * The signed-in page's "sign-in security" part, kept apart from files and
 * account: an authenticator app (web/src/totp-setup-screen.ts) when MFA is
 * optional, and passkeys (web/src/passkeys.ts) when they are a first factor.
 */
import { getCurrentUser } from 'aws-amplify/auth';
import { authChoicesOf } from './auth-choices';
import type { AppConfig } from './config';
import { mountPasskeysSection } from './passkeys';
import { mountTotpSection } from './totp-setup-screen';

export function setUpSignInSecurity(config: AppConfig): { show: () => Promise<void> } {
  const parent = document.getElementById('sign-in-security') as HTMLElement;
  const choices = authChoicesOf(config.outputs);
  let account = '';
  const totp = mountTotpSection(parent, choices, () => account);
  const passkeys = mountPasskeysSection(parent, choices);
  return {
    async show() {
      account = await getCurrentUser().then(
        ({ signInDetails, username }) => signInDetails?.loginId ?? username,
        () => '',
      );
      await Promise.all([totp.show(), passkeys.show()]);
    },
  };
}
