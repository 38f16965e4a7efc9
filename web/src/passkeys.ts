/**
 * The signed-in page's passkeys section (when passkeys are a first factor):
 * add one for this device (associateWebAuthnCredential), list them
 * (listWebAuthnCredentials, one item each) and remove one
 * (deleteWebAuthnCredential).
 */
import { associateWebAuthnCredential, deleteWebAuthnCredential, listWebAuthnCredentials } from 'aws-amplify/auth';
import type { AuthChoices } from './auth-choices';
import { h } from './dom';
import { currentLanguage, onLanguageChange, t } from './i18n';
import { describeError, showStatus } from './status';

interface Passkey {
  readonly id: string;
  readonly name: string;
  readonly createdAt?: Date;
}

export function mountPasskeysSection(parent: HTMLElement, choices: AuthChoices): { show: () => Promise<void> } {
  if (!choices.passkeySignIn) return { show: () => Promise.resolve() };
  const heading = h('h2', { id: 'passkeys-heading' });
  const intro = h('p');
  const add = h('button', { type: 'button', class: 'secondary', 'data-testid': 'passkey-add' });
  const list = h('ul', { 'data-testid': 'passkey-list', class: 'passkeys', 'aria-labelledby': 'passkeys-heading' });
  const none = h('p', { class: 'hint' });
  let passkeys: Passkey[] = [];
  const failed = (error: unknown) => showStatus(() => t('passkeys.failed', { error: describeError(error) }), 'error');

  const render = () => {
    heading.textContent = t('passkeys.heading');
    intro.textContent = typeof window.PublicKeyCredential === 'function' ? t('passkeys.intro') : t('passkeys.unsupported');
    add.textContent = t('passkeys.add');
    add.hidden = typeof window.PublicKeyCredential !== 'function';
    // The list holds exactly one item per passkey; "none yet" is said beside it.
    list.replaceChildren(...passkeys.map(item));
    list.hidden = passkeys.length === 0;
    none.textContent = t('passkeys.none');
    none.hidden = passkeys.length > 0;
  };
  const item = (passkey: Passkey) => {
    const name = passkey.name || t('passkeys.unnamed');
    const date = passkey.createdAt ? passkey.createdAt.toLocaleDateString(currentLanguage()) : '?';
    const remove = h(
      'button',
      { type: 'button', class: 'secondary', 'data-testid': 'passkey-remove', 'aria-label': t('passkeys.removeLabel', { name }) },
      t('passkeys.remove'),
    );
    remove.addEventListener('click', () => {
      deleteWebAuthnCredential({ credentialId: passkey.id })
        .then(refresh)
        .then(() => showStatus(() => t('passkeys.removed'), 'success'))
        .catch(failed);
    });
    return h('li', { 'data-passkey': passkey.id }, h('span', {}, t('passkeys.item', { name, date })), remove);
  };
  const refresh = async () => {
    const found: Passkey[] = [];
    let nextToken: string | undefined;
    do {
      const page = await listWebAuthnCredentials(nextToken ? { nextToken } : undefined);
      for (const credential of page.credentials) {
        if (credential.credentialId)
          found.push({ id: credential.credentialId, name: credential.friendlyCredentialName ?? '', createdAt: credential.createdAt });
      }
      nextToken = page.nextToken;
    } while (nextToken);
    passkeys = found;
    render();
  };

  add.addEventListener('click', () => {
    add.disabled = true;
    associateWebAuthnCredential()
      .then(refresh)
      .then(() => showStatus(() => t('passkeys.added'), 'success'))
      .catch(failed)
      .finally(() => {
        add.disabled = false;
      });
  });
  render();
  onLanguageChange(render);
  parent.append(h('section', { 'aria-labelledby': 'passkeys-heading', class: 'security' }, heading, intro, add, none, list));
  return { show: () => refresh().catch(failed) };
}
