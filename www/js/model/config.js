// The facility's configuration (config.json): departments, counters, languages and timings. It
// is served to anyone who can reach the page, so it holds no secret: staff PINs are set on each
// device. Checked by config-reading.js, so a typo in the file gives a readable message instead of
// a broken page, and the Settings view shows each problem next to its field.
import english from '../../i18n/en.json' with { type: 'json' };
import { read } from './config-reading.js';
import { inEnglish } from './config-english.js';

// The Settings view's half, toRaw, is config-raw.js's, and not re-exported here: a re-export
// would load it with the first screen's script, which imports this module.

/** A configuration that cannot be used: `message` says its first problem, `problems` all. */
export class ConfigError extends Error {
  constructor(message, problems = []) {
    super(message);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Every problem of parsed config.json, in the order of the file, as `{ path, key, params }`:
 * `path` the field's address (`['departments', 2, 'name', 'es']`; `['departments']` for the
 * list itself; `[]` for the whole file), `key` its text in i18n/<language>.json, `params`
 * that text's values. Empty when `validate` accepts it.
 */
export function problems(raw) {
  return read(raw).problems;
}

/**
 * Validates parsed config.json and returns it with defaults filled in; throws ConfigError
 * otherwise. Texts customers read (the facility's and departments' names) may be one text, or
 * one per language (`{ "en": "Pharmacy", "es": "Farmacia" }`): `names` holds them by language,
 * `name` the text in the default language (for the CSV and staff notices).
 */
export function validate(raw) {
  const { config, problems: found } = read(raw);
  // The service worker's bundle carries en.json for this. The page starts with loadConfig, so
  // its first screen does not; a page module that calls validate brings en.json along.
  if (found.length > 0) throw new ConfigError(inEnglish(found[0], english), found);
  return config;
}

/**
 * Fetches and validates config.json next to the page. `english`, i18n/en.json's texts or the
 * promise of them, words the ConfigError (validate's static copy would weigh on the first screen).
 */
export async function loadConfig({ url = new URL('../../config.json', import.meta.url), english: texts = {} } = {}) {
  // The queue rules' reader (config-reading.js), off the first screen's budget, fetched beside config.json.
  const rules = import('./config-groups.js');
  rules.catch(() => {});
  let response;
  try {
    response = await fetch(url, { cache: 'no-cache' });
  } catch (error) {
    throw new ConfigError(`config.json could not be fetched (${error.message})`);
  }
  if (!response.ok) throw new ConfigError(`config.json could not be fetched (HTTP ${response.status})`);
  let raw;
  try {
    raw = await response.json();
  } catch {
    throw new ConfigError('config.json is not valid JSON');
  }
  await rules;
  const { config, problems: found } = read(raw);
  if (found.length === 0) return config;
  // Without the texts (i18n/en.json is broken too, and reported as such) the keys still say it.
  throw new ConfigError(inEnglish(found[0], await Promise.resolve(texts).catch(() => ({}))), found);
}

/** Black or white, whichever reads better on `colour` (WCAG relative luminance). */
export function textColourOn(colour) {
  return contrast(colour, '#ffffff') >= contrast(colour, '#000000') ? '#ffffff' : '#000000';
}

/** The WCAG contrast ratio of two `#rrggbb` colours, from 1 to 21: the Settings view shows it. */
export function contrast(a, b) {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** WCAG relative luminance of `#rrggbb`. */
function luminance(colour) {
  const channel = (i) => {
    const c = parseInt(colour.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}
