// The page's texts in the kiosk's languages: one JSON file per language in www/i18n/, a key per
// text. A text is a string with {placeholders}, or, for texts that depend on a count, an object
// of plural forms ("one", "other", ... as Intl.PluralRules names them for the language).
// A key missing from a language falls back to English and is reported once (the staff notices
// list it), so a half-translated file shows English rather than a broken screen.

export class I18nError extends Error {
  constructor(message) {
    super(message);
    this.name = 'I18nError';
  }
}

const LANGUAGE = /^[a-z]{2,3}(-[A-Z][A-Za-z]{1,3})?$/;
const PLURAL_FORMS = ['zero', 'one', 'two', 'few', 'many', 'other'];

/** Whether `code` looks like a language tag this kiosk uses ("en", "es", "pt-BR"). */
export const isLanguage = (code) => typeof code === 'string' && LANGUAGE.test(code);

/** Checks a parsed language file; throws I18nError with what is wrong. */
export function checkMessages(code, messages) {
  if (typeof messages !== 'object' || messages === null || Array.isArray(messages)) {
    throw new I18nError(`i18n/${code}.json must hold a JSON object of texts`);
  }
  for (const [key, text] of Object.entries(messages)) {
    if (typeof text === 'string') continue;
    const forms = typeof text === 'object' && text !== null && !Array.isArray(text) ? Object.entries(text) : null;
    if (!forms || !Object.hasOwn(text, 'other')
      || !forms.every(([form, value]) => PLURAL_FORMS.includes(form) && typeof value === 'string')) {
      throw new I18nError(`i18n/${code}.json: "${key}" must be a text, or plural forms with at least "other"`);
    }
  }
  return messages;
}

/** Fetches and checks www/i18n/<code>.json. */
export async function loadMessages(code, base = new URL('../../i18n/', import.meta.url), fetchImpl = fetch) {
  let response;
  try {
    response = await fetchImpl(new URL(`${code}.json`, base));
  } catch (error) {
    throw new I18nError(`i18n/${code}.json could not be fetched (${error.message})`);
  }
  if (!response.ok) throw new I18nError(`i18n/${code}.json could not be fetched (HTTP ${response.status})`);
  let messages;
  try {
    messages = await response.json();
  } catch {
    throw new I18nError(`i18n/${code}.json is not valid JSON`);
  }
  return checkMessages(code, messages);
}

/** Texts of one language, with English behind it. */
export class Translator {
  #messages;
  #fallback;
  #plural;
  #onMissing;
  #missing = new Set();

  /**
   * @param language   the language's tag (also the page's `lang`)
   * @param messages   its texts
   * @param fallback   the English texts (the same object for English itself)
   * @param onMissing  called once per key this language lacks
   */
  constructor({ language, messages, fallback, onMissing = () => {} }) {
    this.language = language;
    this.#messages = messages;
    this.#fallback = fallback;
    this.#plural = new Intl.PluralRules(language);
    this.#onMissing = onMissing;
  }

  /** The text of `key` with `params` filled in; a `count` param picks the plural form. */
  t(key, params = {}) {
    let text = this.#messages[key];
    let plural = this.#plural;
    if (text === undefined) {
      if (!this.#missing.has(key)) {
        this.#missing.add(key);
        this.#onMissing(key);
      }
      text = this.#fallback[key];
      plural = new Intl.PluralRules('en');
      if (text === undefined) return key;
    }
    if (typeof text === 'object') text = text[plural.select(params.count ?? 0)] ?? text.other;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
  }
}
