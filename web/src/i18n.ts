/**
 * The page's words in English and Vietnamese. `t(key, params)` returns the
 * current language's sentence with `{name}` placeholders filled; static markup
 * names its key in `data-i18n` (text) or `data-i18n-attr="attr:key;…"`.
 * The choice is remembered in localStorage, else follows navigator.language,
 * and `<html lang>` always says which language is showing.
 */
import { EN } from './strings-en';
import { VI } from './strings-vi';

export type Language = 'en' | 'vi';
export const LANGUAGES: readonly Language[] = ['en', 'vi'];
const STORAGE_KEY = 'cognito-access.language';

const dictionaries: Record<Language, Record<string, string>> = { en: { ...EN }, vi: { ...VI } };
const listeners = new Set<() => void>();
let language: Language = initialLanguage();

/**
 * Adds a screen's own strings (e.g. the account page keeps them beside its
 * code). Both languages must name the same keys.
 */
export function registerStrings(strings: Record<Language, Record<string, string>>): void {
  for (const lang of LANGUAGES) Object.assign(dictionaries[lang], strings[lang]);
}

/** The sentence for `key` in the current language (English when Vietnamese lacks it, the key itself when both do). */
export function t(key: string, params: Record<string, string | number> = {}): string {
  const template = dictionaries[language][key] ?? dictionaries.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function currentLanguage(): Language {
  return language;
}

/** Switches language, remembers it, re-translates the static markup and tells every screen to re-render. */
export function setLanguage(next: Language): void {
  language = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Private modes may refuse storage; the page still switches.
  }
  applyLanguage();
  for (const listener of listeners) listener();
}

/** Calls `render` after every language switch; returns a function that stops it. */
export function onLanguageChange(render: () => void): () => void {
  listeners.add(render);
  return () => listeners.delete(render);
}

/** Translates every `data-i18n` / `data-i18n-attr` element under `root` and sets `<html lang>`. */
export function applyLanguage(root: ParentNode = document): void {
  document.documentElement.lang = language;
  document.title = t('app.title');
  for (const element of Array.from(root.querySelectorAll<HTMLElement>('[data-i18n]'))) element.textContent = t(element.dataset.i18n!);
  for (const element of Array.from(root.querySelectorAll<HTMLElement>('[data-i18n-attr]'))) {
    for (const pair of element.dataset.i18nAttr!.split(';')) {
      const [attribute, key] = pair.split(':');
      if (attribute && key) element.setAttribute(attribute.trim(), t(key.trim()));
    }
  }
}

/** Wires the `data-testid="language"` <select> in the header; call once at start. */
export function setUpLanguageSwitch(): void {
  const select = document.querySelector<HTMLSelectElement>('[data-testid="language"]');
  applyLanguage();
  if (!select) return;
  select.value = language;
  select.addEventListener('change', () => {
    if ((LANGUAGES as readonly string[]).includes(select.value)) setLanguage(select.value as Language);
  });
}

function initialLanguage(): Language {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    stored = null;
  }
  if (stored === 'en' || stored === 'vi') return stored;
  const preferred = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  return preferred.some((tag) => tag?.toLowerCase().startsWith('vi')) ? 'vi' : 'en';
}
