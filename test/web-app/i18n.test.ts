/**
 * The page's words (web/src/i18n.ts): Vietnamese says everything English
 * says with the same placeholders, `t` fills them, and Cognito's error names
 * become plain sentences in the current language (web/src/cognito-errors.ts).
 */
import { plainError } from '../../web/src/cognito-errors';
import { currentLanguage, setLanguage, t } from '../../web/src/i18n';
import { EN } from '../../web/src/strings-en';
import { VI } from '../../web/src/strings-vi';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const named = (name: string, message = 'raw message') => Object.assign(new Error(message), { name });

// setLanguage touches the document; the node test environment has none.
beforeAll(() => {
  (globalThis as { document?: unknown }).document = { documentElement: {}, querySelectorAll: () => [], title: '' };
});
afterEach(() => setLanguage('en'));

describe('the en and vi dictionaries', () => {
  test('GIVEN every English key WHEN looked up in Vietnamese THEN it exists, is not empty and keeps the same placeholders', () => {
    for (const [key, english] of Object.entries(EN)) {
      const vietnamese = VI[key as keyof typeof VI];
      expect({ key, ok: typeof vietnamese === 'string' && vietnamese.length > 0 }).toEqual({ key, ok: true });
      expect({ key, placeholders: placeholders(vietnamese) }).toEqual({ key, placeholders: placeholders(english) });
    }
    expect(Object.keys(VI).sort()).toEqual(Object.keys(EN).sort());
  });
});

describe('t', () => {
  test('GIVEN a key with placeholders WHEN the language switches THEN the sentence follows, with the values filled', () => {
    expect(currentLanguage()).toBe('en');
    expect(t('signUp.codeSent', { email: 'a@example.org' })).toBe('We emailed a code to a@example.org. Enter it to confirm your account.');
    setLanguage('vi');
    expect(t('signUp.codeSent', { email: 'a@example.org' })).toBe('Chúng tôi đã gửi mã đến a@example.org. Hãy nhập mã để xác nhận tài khoản.');
    expect(document.documentElement.lang).toBe('vi');
  });
});

describe('plainError', () => {
  test('GIVEN a Cognito error the page knows WHEN described THEN it is a plain sentence in the current language, not the service message', () => {
    expect(plainError(named('CodeMismatchException', 'Invalid verification code provided, please try again.'))).toBe(
      'That code is wrong. Check it and try again.',
    );
    setLanguage('vi');
    expect(plainError(named('CodeMismatchException'))).toBe('Mã không đúng. Hãy kiểm tra và thử lại.');
  });

  test('GIVEN an error the page has no sentence for WHEN described THEN its own name and message are kept', () => {
    expect(plainError(named('AccessDenied', 'Access Denied'))).toBe('AccessDenied: Access Denied');
    expect(plainError(new Error('plain'))).toBe('plain');
  });
});
