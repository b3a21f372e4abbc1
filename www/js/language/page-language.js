// The page's language in one window: the languages the facility offers (config.json), their
// texts (www/i18n/<code>.json, loaded once at start: messages.js), the one this window shows now,
// and the formats that go with it (times, minutes). Views read texts through `t` and re-render
// when the language changes (`subscribe`). No DOM here: views/page.js sets <html lang>.
//
// English is always loaded: it stands behind every text another language lacks. Missing texts
// are listed for staff: a language's missing keys once, when it is loaded, and any other key
// the first time it is asked for.
import { Translator, loadMessages } from './messages.js';

/** The language every other one falls back to. */
export const FALLBACK = 'en';

/**
 * Loads the texts of `languages` (and English): a Map from code to texts. Throws I18nError
 * (messages.js) naming the file that is missing or not JSON: the page says so instead of starting
 * with half its texts.
 */
export async function loadLanguages(languages, load = loadMessages) {
  const codes = [...new Set([FALLBACK, ...languages])];
  const loaded = await Promise.all(codes.map((code) => load(code)));
  return new Map(codes.map((code, i) => [code, loaded[i]]));
}

export class PageLanguage {
  #messages;
  #translators = new Map();
  #listeners = new Set();
  #reported = new Set();
  #onMissing;
  #code;

  /**
   * @param messages         Map code -> texts, from loadLanguages (English included)
   * @param defaultLanguage  the facility's language
   * @param offered          the languages customers may pick, in the order shown
   * @param onMissing        (language, keys) => void: texts shown in English instead
   */
  constructor({ messages, defaultLanguage, offered, onMissing = () => {} }) {
    this.#onMissing = onMissing;
    this.#code = defaultLanguage;
    this.#use({ messages, defaultLanguage, offered });
  }

  #use({ messages, defaultLanguage, offered }) {
    const english = messages.get(FALLBACK);
    for (const code of offered) {
      if (code === FALLBACK || this.#messages?.has(code)) continue; // reported when first loaded
      const own = messages.get(code);
      const missing = Object.keys(english).filter((k) => !Object.hasOwn(own, k));
      for (const k of missing) this.#reported.add(`${code}|${k}`);
      if (missing.length > 0) this.#onMissing(code, missing);
    }
    this.#messages = messages;
    this.#translators.clear();
    this.defaultLanguage = defaultLanguage;
    this.offered = offered;
  }

  /**
   * The facility's settings changed while the page runs: `messages` (loadLanguages, for the new
   * `offered`) and the new `defaultLanguage`. A window showing a language no longer offered
   * shows the default. Listeners hear of it either way (the offer changed).
   */
  reconfigure({ messages, defaultLanguage, offered }) {
    this.#use({ messages, defaultLanguage, offered });
    if (!offered.includes(this.#code)) this.#code = defaultLanguage;
    for (const listener of this.#listeners) listener(this.#code);
  }

  /** The language shown now. */
  get code() {
    return this.#code;
  }

  /** Shows `code` (one of the offered languages); listeners hear of a change. */
  set(code) {
    if (!this.offered.includes(code)) throw new RangeError(`the language ${code} is not offered`);
    if (code === this.#code) return false;
    this.#code = code;
    for (const listener of this.#listeners) listener(code);
    return true;
  }

  /** Calls `listener(code)` when the language changes; returns a function that stops it. */
  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The text of `key` in the language shown (messages.js: placeholders, plural forms). */
  t(key, params) {
    return this.translator(this.#code).t(key, params);
  }

  /** The Translator of `code` (the same one each time, so a missing key is reported once). */
  translator(code) {
    let translator = this.#translators.get(code);
    if (!translator) {
      translator = new Translator({
        language: code,
        messages: this.#messages.get(code),
        fallback: this.#messages.get(FALLBACK),
        onMissing: (key) => {
          if (this.#reported.has(`${code}|${key}`)) return;
          this.#reported.add(`${code}|${key}`);
          this.#onMissing(code, [key]);
        },
      });
      this.#translators.set(code, translator);
    }
    return translator;
  }

  /** A language's name in that language ("Español"), for the language switch. */
  nameOf(code) {
    return this.translator(code).t('language.name');
  }

  /** A text from config.json in the language shown: `{ en: 'Pharmacy', es: 'Farmacia' }`. */
  text(names) {
    return names[this.#code] ?? names[this.defaultLanguage] ?? Object.values(names)[0];
  }

  /** "10:04": a time of day in the facility's time zone. */
  time(ms, timeZone) {
    return new Intl.DateTimeFormat(this.#code, { hour: '2-digit', minute: '2-digit', timeZone }).format(new Date(ms));
  }

  /** "8 AM", "8": an hour of the day, short, for a chart's axis. */
  hour(ms, timeZone) {
    return new Intl.DateTimeFormat(this.#code, { hour: 'numeric', timeZone }).format(new Date(ms));
  }

  /** "10:04:31". */
  timeWithSeconds(ms, timeZone) {
    return new Intl.DateTimeFormat(this.#code, { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone })
      .format(new Date(ms));
  }

  /** "Tuesday 24 November 2026". */
  date(ms, timeZone) {
    return new Intl.DateTimeFormat(this.#code, { dateStyle: 'full', timeZone }).format(new Date(ms));
  }

  /** "4.5 min": a duration in minutes, to a tenth; "–" for null. */
  minutes(ms) {
    if (ms === null) return '–';
    return new Intl.NumberFormat(this.#code, { style: 'unit', unit: 'minute', unitDisplay: 'short', maximumFractionDigits: 1 })
      .format(ms / 60_000);
  }
}
