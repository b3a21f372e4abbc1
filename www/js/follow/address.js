// The follow address of a ticket: the page a phone opens from the QR code, with the ticket in
// the hash (`follow.html#d=pharmacy&n=104&t=1760000000000&l=es`). The hash is never sent to
// any server, so the facility's web server logs no ticket, and the site stays one static build.
// A ticket is (department, number, taken): numbers come round again, the time it was taken
// tells this 104 from this morning's.
import { isLanguage } from '../language/messages.js';

/** The page phones open, next to the kiosk's index.html. */
export const FOLLOW_PAGE = 'follow.html';
/** A department id, as config.json allows them (config-reading.js). */
const DEPARTMENT = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** Digits only: "1e3", "0x10", " 7" and "+7" are not a number of a ticket. */
const DIGITS = /^[0-9]{1,16}$/;
const KEYS = { d: 'department', n: 'number', t: 'taken', l: 'language' };
/** Longer than any address this module makes: a bigger hash is not ours. */
const MAX_HASH = 200;

const isNumber = (value) => Number.isSafeInteger(value) && value >= 0;

/**
 * The address of the follow page for a ticket. `base`: the site's address, the kiosk page's own
 * (`https://kiosk.example/` or `…/index.html`) or the configured one; `language` may be left
 * out (the page then shows the facility's). Throws a TypeError naming the field that is wrong:
 * a kiosk must never print a code that leads nowhere.
 */
export function followAddress({ base, department, number, taken, language = null }) {
  let url;
  try {
    url = new URL(FOLLOW_PAGE, base);
  } catch {
    throw new TypeError(`the follow page's base must be an absolute URL, not ${JSON.stringify(base)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`the follow page's base must be an http(s) URL, not ${JSON.stringify(base)}`);
  }
  if (typeof department !== 'string' || !DEPARTMENT.test(department)) {
    throw new TypeError(`not a department id: ${JSON.stringify(department)}`);
  }
  if (!isNumber(number)) throw new TypeError(`not a ticket number: ${JSON.stringify(number)}`);
  if (!isNumber(taken) || taken === 0) throw new TypeError(`not a time a ticket was taken: ${JSON.stringify(taken)}`);
  if (language !== null && !isLanguage(language)) throw new TypeError(`not a language: ${JSON.stringify(language)}`);
  const params = [`d=${department}`, `n=${number}`, `t=${taken}`];
  if (language !== null) params.push(`l=${language}`);
  url.search = '';
  url.hash = params.join('&');
  return url.href;
}

/**
 * Reads a follow page's hash (with or without its `#`), whatever it holds: `{ ticket, problem }`
 * with `ticket` `{ department, number, taken, language }` (language null when not given) and
 * `problem` null, or `ticket` null and `problem` `{ key, params }`, an i18n key
 * ("follow.address.<what>") saying what is wrong. Unknown parameters are ignored, so that a
 * later kiosk may add one without breaking older pages.
 */
export function parseFollow(hash) {
  const fail = (key, params = {}) => ({ ticket: null, problem: { key, params } });
  if (typeof hash !== 'string') return fail('follow.address.missing');
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (text === '') return fail('follow.address.missing');
  if (text.length > MAX_HASH) return fail('follow.address.too-long');
  const found = {};
  for (const part of text.split('&')) {
    const at = part.indexOf('=');
    const key = at < 0 ? part : part.slice(0, at);
    if (!Object.hasOwn(KEYS, key)) continue;
    if (Object.hasOwn(found, key)) return fail('follow.address.twice', { field: key });
    let value;
    try {
      value = decodeURIComponent(at < 0 ? '' : part.slice(at + 1));
    } catch {
      return fail('follow.address.malformed', { field: key });
    }
    found[key] = value;
  }
  for (const key of ['d', 'n', 't']) if (!Object.hasOwn(found, key)) return fail('follow.address.missing-field', { field: key });
  if (!DEPARTMENT.test(found.d)) return fail('follow.address.department');
  const number = DIGITS.test(found.n) ? Number(found.n) : NaN;
  if (!isNumber(number)) return fail('follow.address.number');
  const taken = DIGITS.test(found.t) ? Number(found.t) : NaN;
  if (!isNumber(taken) || taken === 0) return fail('follow.address.taken');
  const language = found.l ?? null;
  if (language !== null && !isLanguage(language)) return fail('follow.address.language');
  return { ticket: { department: found.d, number, taken, language }, problem: null };
}
