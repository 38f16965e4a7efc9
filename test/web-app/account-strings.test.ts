/**
 * The account page's words (web/src/account-strings.ts): Vietnamese says
 * everything English says with the same placeholders, no key clashes with the
 * page's shared dictionary, and `t` finds them once registered.
 */
import { ACCOUNT_EN, ACCOUNT_VI } from '../../web/src/account-strings';
import { t } from '../../web/src/i18n';
import { EN } from '../../web/src/strings-en';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('GIVEN every English account key WHEN looked up in Vietnamese THEN it exists, is not empty and keeps the same placeholders', () => {
  expect(Object.keys(ACCOUNT_VI).sort()).toEqual(Object.keys(ACCOUNT_EN).sort());
  for (const [key, english] of Object.entries(ACCOUNT_EN)) {
    const vietnamese = ACCOUNT_VI[key as keyof typeof ACCOUNT_VI];
    expect({ key, empty: vietnamese.length === 0, placeholders: placeholders(vietnamese) }).toEqual({ key, empty: false, placeholders: placeholders(english) });
  }
});

test('GIVEN the shared dictionary WHEN the account strings are registered THEN none overrides a shared key and t finds them', () => {
  expect(Object.keys(ACCOUNT_EN).filter((key) => key in EN)).toEqual([]);
  expect(t('files.wrongType', { name: 'a.txt', type: 'text/plain', allowed: 'text/csv' })).toBe(
    'a.txt is of type text/plain; this stage accepts only text/csv.',
  );
});
