/**
 * Entry point: reads `/amplify_outputs.json`, configures Amplify, and shows
 * the sign-in screen or the signed-in page.
 */
import { Amplify } from 'aws-amplify';
import { getCurrentUser, signOut } from 'aws-amplify/auth';
import { Hub } from 'aws-amplify/utils';
import { loadConfig } from './config';
import { setUpFilesScreen } from './files-screen';
import { resetSignInScreen, setUpSignInScreen } from './sign-in-screen';
import { describeError, showStatus } from './status';

const signInScreen = document.getElementById('sign-in-screen') as HTMLElement;
const signedInScreen = document.getElementById('signed-in-screen') as HTMLElement;
const signOutButton = document.getElementById('sign-out') as HTMLButtonElement;

async function start(): Promise<void> {
  const config = await loadConfig();
  Amplify.configure(config.outputs);
  const files = setUpFilesScreen(config);

  const showSignedIn = async () => {
    signInScreen.hidden = true;
    signedInScreen.hidden = false;
    signOutButton.hidden = false;
    (document.getElementById('signed-in-heading') as HTMLElement).focus();
    showStatus('Signed in.', 'success');
    await files.show();
  };
  const showSignIn = () => {
    resetSignInScreen();
    signedInScreen.hidden = true;
    signOutButton.hidden = true;
    signInScreen.hidden = false;
  };

  setUpSignInScreen({ providers: config.providers, onSignedIn: showSignedIn });
  // The hosted sign-in comes back to /auth/callback; Amplify finishes the code exchange and reports here.
  Hub.listen('auth', ({ payload }) => {
    if (payload.event === 'signInWithRedirect') {
      if (window.location.pathname !== '/') window.history.replaceState(null, '', '/');
      void showSignedIn();
    } else if (payload.event === 'signInWithRedirect_failure') {
      showStatus(`Hosted sign-in failed. ${describeError(payload.data?.error)}`, 'error');
    }
  });
  signOutButton.addEventListener('click', () => {
    signOut()
      .then(() => {
        showSignIn();
        showStatus('Signed out.');
      })
      .catch((error: unknown) => showStatus(`Sign-out failed. ${describeError(error)}`, 'error'));
  });

  const signedIn = await getCurrentUser().then(
    () => true,
    () => false,
  );
  if (signedIn) {
    await showSignedIn();
  } else {
    showSignIn();
    showStatus('Sign in to see your files.');
  }
}

start().catch((error: unknown) => showStatus(`The app could not start. ${describeError(error)}`, 'error'));
