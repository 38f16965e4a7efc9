/**
 * Entry point: reads `/amplify_outputs.json`, configures Amplify, and shows
 * the sign-in screen or the signed-in page.
 */
import { Amplify } from 'aws-amplify';
import { getCurrentUser, signOut } from 'aws-amplify/auth';
import { Hub } from 'aws-amplify/utils';
import { loadConfig } from './config';
import { amplifyResources, bridgeLocalS3, localRunOf, showLocalBanner } from './local-run';
import { setUpAccountScreen } from './account-screen';
import { setUpFilesScreen } from './files-screen';
import { setUpLanguageSwitch, t } from './i18n';
import { setUpSignInSecurity } from './sign-in-security';
import { setUpSignedOutScreens } from './signed-out-screen';
import { describeError, showStatus } from './status';

const signInScreen = document.getElementById('sign-in-screen') as HTMLElement;
const signedInScreen = document.getElementById('signed-in-screen') as HTMLElement;
const signOutButton = document.getElementById('sign-out') as HTMLButtonElement;

async function start(): Promise<void> {
  setUpLanguageSwitch();
  const config = await loadConfig();
  Amplify.configure(amplifyResources(config.outputs));
  const local = localRunOf(config.outputs);
  if (local) {
    showLocalBanner(local);
    bridgeLocalS3(config.outputs, local);
  }
  const files = setUpFilesScreen(config);
  const security = setUpSignInSecurity(config);

  const showSignedIn = async () => {
    signInScreen.hidden = true;
    signedInScreen.hidden = false;
    signOutButton.hidden = false;
    (document.getElementById('signed-in-heading') as HTMLElement).focus();
    showStatus(() => t('signIn.done'), 'success');
    await Promise.all([files.show(), account.show(), security.show()]);
  };
  const showSignIn = () => {
    signedOut.showSignIn();
    signedInScreen.hidden = true;
    signOutButton.hidden = true;
    signInScreen.hidden = false;
  };

  const account = setUpAccountScreen(signedInScreen, {
    config,
    onSignedOut: (message) => {
      showSignIn();
      showStatus(message, 'success');
    },
  });

  const signedOut = setUpSignedOutScreens(config, showSignedIn);
  // The hosted sign-in comes back to /auth/callback; Amplify finishes the code exchange and reports here.
  Hub.listen('auth', ({ payload }) => {
    if (payload.event === 'signInWithRedirect') {
      if (window.location.pathname !== '/') window.history.replaceState(null, '', '/');
      void showSignedIn();
    } else if (payload.event === 'signInWithRedirect_failure') {
      showStatus(() => t('signIn.hostedFailed', { error: describeError(payload.data?.error) }), 'error');
    }
  });
  signOutButton.addEventListener('click', () => {
    signOut()
      .then(() => {
        showSignIn();
        showStatus(() => t('signOut.done'));
      })
      .catch((error: unknown) => showStatus(() => t('signOut.failed', { error: describeError(error) }), 'error'));
  });

  const signedIn = await getCurrentUser().then(
    () => true,
    () => false,
  );
  if (signedIn) {
    await showSignedIn();
  } else {
    showSignIn();
    showStatus(() => t('signIn.prompt'));
  }
}

start().catch((error: unknown) => showStatus(() => t('app.startFailed', { error: describeError(error) }), 'error'));
