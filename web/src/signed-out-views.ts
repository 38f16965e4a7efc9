/** The signed-out screen shows one view at a time (`data-view` in index.html), each with its own h1. */

export type SignedOutView = 'sign-in' | 'sign-up' | 'confirm' | 'reset' | 'challenge' | 'mfa-choice' | 'totp-setup';

/** Shows `name`, hides the others, and moves focus to its heading so keyboard and screen-reader users land there. */
export function showView(name: SignedOutView): HTMLElement {
  let shown: HTMLElement | undefined;
  for (const view of Array.from(document.querySelectorAll<HTMLElement>('#sign-in-screen [data-view]'))) {
    view.hidden = view.dataset.view !== name;
    if (!view.hidden) shown = view;
  }
  shown?.querySelector<HTMLElement>('h1')?.focus();
  return shown!;
}

/** Every "Back to sign in" button returns to the sign-in view. */
export function wireBackButtons(onBack: () => void): void {
  for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('#sign-in-screen button.back'))) button.addEventListener('click', onBack);
}
