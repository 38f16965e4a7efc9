/**
 * The account part of the signed-in page: change the password (the pool's
 * policy shown and checked first), sign out everywhere, and delete the
 * account behind an explicit confirmation dialog. Built here rather than in
 * index.html so the whole page section lives beside its code.
 */
import { fetchAuthSession, signOut, updatePassword } from 'aws-amplify/auth';
import './account-strings';
import { deleteAccount, globalSignOut } from './account-api';
import { attachPasswordPolicy } from './password-policy';
import type { AppConfig } from './config';
import { h } from './dom';
import { onLanguageChange, t } from './i18n';
import { localRunOf } from './local-run';
import { describeError, showStatus, type Message } from './status';

export interface AccountScreenOptions {
  readonly config: AppConfig;
  /** Called once the user is signed out here, with what to tell them. */
  readonly onSignedOut: (message: Message) => void;
}

/** An element whose text follows the language: `key` now and after every switch. */
function text<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  key: string,
  attributes: Record<string, string | boolean | undefined> = {},
): HTMLElementTagNameMap[K] {
  return h(tag, { ...attributes, 'data-i18n': key }, t(key));
}

/** Builds the account section at the end of `parent`; call once. Returns `show` for each sign-in. */
export function setUpAccountScreen(parent: HTMLElement, { config, onSignedOut }: AccountScreenOptions): { show: () => Promise<void> } {
  let email = '';

  // Change password: a toggle, then a form with the policy listed under the new password.
  const toggle = text('button', 'account.changePassword', {
    type: 'button',
    'data-testid': 'change-password',
    'aria-expanded': 'false',
    'aria-controls': 'change-password-form',
  });
  const current = h('input', {
    id: 'current-password',
    'data-testid': 'current-password',
    name: 'current-password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const proposed = h('input', {
    id: 'new-password',
    'data-testid': 'new-password',
    name: 'new-password',
    type: 'password',
    autocomplete: 'new-password',
    required: true,
    'aria-describedby': 'new-password-policy',
  });
  // The same checklist as sign-up (./password-policy.ts), from the pool's `auth.password_policy`.
  const policyBox = h('div', { id: 'new-password-policy', class: 'policy' });
  const policy = attachPasswordPolicy(policyBox, proposed, config.outputs.auth.password_policy);
  const submit = text('button', 'account.changePasswordSubmit', { type: 'submit', 'data-testid': 'change-password-submit' });
  const cancel = text('button', 'account.cancel', { type: 'button', class: 'secondary' });
  const form = h(
    'form',
    { id: 'change-password-form', 'data-testid': 'change-password-form', method: 'post', action: '/', hidden: true },
    text('label', 'account.currentPassword', { for: 'current-password' }),
    current,
    text('label', 'account.newPassword', { for: 'new-password' }),
    proposed,
    policyBox,
    h('div', { class: 'actions' }, submit, cancel),
  );
  const closeForm = () => {
    form.reset();
    form.hidden = true;
    toggle.setAttribute('aria-expanded', 'false');
    proposed.removeAttribute('aria-invalid');
    // The checklist follows input events; a reset sends none.
    proposed.dispatchEvent(new Event('input'));
  };
  toggle.addEventListener('click', () => {
    if (!form.hidden) return closeForm();
    form.hidden = false;
    toggle.setAttribute('aria-expanded', 'true');
    current.focus();
  });
  cancel.addEventListener('click', () => {
    closeForm();
    toggle.focus();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!policy.meets()) {
      proposed.setAttribute('aria-invalid', 'true');
      showStatus(() => t('account.passwordWeak'), 'error');
      proposed.focus();
      return;
    }
    proposed.removeAttribute('aria-invalid');
    submit.disabled = true;
    showStatus(() => t('account.passwordChanging'));
    updatePassword({ oldPassword: current.value, newPassword: proposed.value })
      .then(() => {
        closeForm();
        toggle.focus();
        showStatus(() => t('account.passwordChanged'), 'success');
      })
      .catch((error: unknown) => showStatus(() => t('account.passwordChangeFailed', { error: describeError(error) }), 'error'))
      .finally(() => {
        submit.disabled = false;
      });
  });

  // Sign out everywhere: Cognito's GlobalSignOut first (its failure keeps the user signed in), then the local sign-out.
  const everywhere = text('button', 'account.signOutEverywhere', {
    type: 'button',
    class: 'secondary',
    'data-testid': 'sign-out-everywhere',
    'aria-describedby': 'sign-out-everywhere-hint',
  });
  everywhere.addEventListener('click', () => {
    everywhere.disabled = true;
    showStatus(() => t('account.signingOutEverywhere'));
    globalSignOut(config.outputs.auth.aws_region, localRunOf(config.outputs)?.user_pool_endpoint)
      .then(() => signOut())
      .then(() => onSignedOut(() => t('account.signedOutEverywhere')))
      .catch((error: unknown) => showStatus(() => t('account.signOutEverywhereFailed', { error: describeError(error) }), 'error'))
      .finally(() => {
        everywhere.disabled = false;
      });
  });

  // Delete account: a modal dialog that says what goes; Cancel has the focus, so Enter alone deletes nothing.
  const deleteButton = text('button', 'account.deleteAccount', {
    type: 'button',
    class: 'danger',
    'data-testid': 'delete-account',
    'aria-haspopup': 'dialog',
    'aria-describedby': 'delete-account-hint',
  });
  const dialogBody = h('p', { id: 'delete-account-dialog-body' });
  const keep = text('button', 'account.cancel', { type: 'button', class: 'secondary', 'data-testid': 'delete-account-cancel', autofocus: true });
  const confirm = text('button', 'account.deleteConfirm', { type: 'button', class: 'danger', 'data-testid': 'delete-account-confirm' });
  const dialog = h(
    'dialog',
    {
      id: 'delete-account-dialog',
      'data-testid': 'delete-account-dialog',
      'aria-labelledby': 'delete-account-dialog-heading',
      'aria-describedby': 'delete-account-dialog-body',
    },
    text('h2', 'account.deleteConfirmHeading', { id: 'delete-account-dialog-heading' }),
    dialogBody,
    h('div', { class: 'actions' }, keep, confirm),
  );
  const renderDialogBody = () => (dialogBody.textContent = t('account.deleteConfirmBody', { email }));
  deleteButton.addEventListener('click', () => {
    renderDialogBody();
    dialog.showModal();
    keep.focus();
  });
  keep.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    if (!deleteButton.disabled) deleteButton.focus();
  });
  confirm.addEventListener('click', () => {
    deleteButton.disabled = true;
    dialog.close();
    showStatus(() => t('account.deleting'));
    deleteAccount(config.apiUrl)
      .then(async (outcome) => {
        if (outcome === 'stillRunning') {
          showStatus(() => t('account.deleteStillRunning'), 'error');
          return;
        }
        // The user is gone; the local sign-out only forgets the tokens and credentials.
        await signOut();
        onSignedOut(() => t('account.deleted'));
      })
      .catch((error: unknown) => showStatus(() => t('account.deleteFailed', { error: describeError(error) }), 'error'))
      .finally(() => {
        deleteButton.disabled = false;
      });
  });

  const whoAmI = h('dd', { 'data-testid': 'account-email' });
  parent.append(
    h(
      'section',
      { id: 'account', class: 'account', 'aria-labelledby': 'account-heading' },
      text('h2', 'account.heading', { id: 'account-heading' }),
      h('dl', { class: 'facts' }, text('dt', 'account.signedInAs'), whoAmI),
      h('div', { class: 'actions' }, toggle, everywhere),
      form,
      text('p', 'account.signOutEverywhereHint', { id: 'sign-out-everywhere-hint', class: 'hint' }),
      text('p', 'account.deleteHint', { id: 'delete-account-hint', class: 'hint' }),
      h('div', { class: 'actions' }, deleteButton),
      dialog,
    ),
  );
  onLanguageChange(renderDialogBody);

  return {
    async show() {
      closeForm();
      const claims = (await fetchAuthSession()).tokens?.idToken?.payload;
      email = typeof claims?.email === 'string' ? claims.email : '';
      whoAmI.textContent = email;
    },
  };
}
