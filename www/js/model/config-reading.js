// Reading config.json field by field: every problem it has, each at the field it concerns, and
// the configuration with its defaults when there are none. One reading serves the page's start,
// the service worker and the Settings view, so a configuration is good or bad the same way for
// all three. A check that needs a field already found wrong is skipped: its problem would only
// repeat that one.
import { isLanguage } from '../language/messages.js';

const COLOUR = /^#[0-9a-fA-F]{6}$/;
export const ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** A counter's label: short, since the board shows it large and the call-out says it. */
const COUNTER = /^[\p{L}\p{N}][\p{L}\p{N} .-]{0,11}$/u;
const TICKET_SECONDS = { min: 5, max: 600 };

export const isRecord = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `{ config, problems }`: `problems` lists `{ path, key, params }` in the order of the file
 * (`path` the field's address, `key` its text in i18n/<language>.json, "config.problem.<code>",
 * `params` that text's values); `config` is the configuration with its defaults, meaningful
 * only without problems.
 */
export function read(raw) {
  const problems = [];
  /** Whether `ok`; when not, notes the problem. */
  const check = (ok, path, code, params = {}) => {
    // The key is built here, once, to keep the first screen's script small (site-build test).
    if (!ok) problems.push({ path, key: `config.problem.${code}`, params });
    return ok;
  };
  // Arrays pass, as they always have: they are refused for lacking "departments".
  if (!check(typeof raw === 'object' && raw !== null, [], 'not-object')) return { config: null, problems };

  // The languages first: the names below must exist in the default language.
  const language = raw.language ?? 'en';
  const known = check(isLanguage(language), ['language'], 'language') ? language : null;
  // Without a list, the default language is the only one: nothing more to check.
  const languages = raw.languages ?? [language];
  if (raw.languages !== undefined && raw.languages !== null) checkLanguages(languages, known, check);

  const facilityNames = texts(raw.facility ?? 'Take a number', ['facility'], known, check);
  // The languages a board says each call in, one after the other; left out: the screen's own.
  // (One problem for every way of getting it wrong: the first screen loads this file too.)
  const callOutLanguages = raw.callOutLanguages ?? null;
  check(callOutLanguages === null || (Array.isArray(callOutLanguages) && callOutLanguages.length > 0
    && new Set(callOutLanguages).size === callOutLanguages.length
    && callOutLanguages.every((code) => Array.isArray(languages) && languages.includes(code))), ['callOutLanguages'], 'call-out');
  // The facility's day (the day's figures start at its midnight) must be the same on every
  // device of a facility hub, whatever each device's own setting: hence a named time zone.
  const timeZone = raw.timeZone ?? undefined;
  const opening = openingOf(raw.opening, null, ['opening'], timeZone, check, true);
  const ticketSeconds = raw.ticketSeconds ?? 20;
  check(Number.isSafeInteger(ticketSeconds) && ticketSeconds >= TICKET_SECONDS.min && ticketSeconds <= TICKET_SECONDS.max,
    ['ticketSeconds'], 'ticket-seconds', TICKET_SECONDS);
  const hub = hubOf(raw.hub, check);
  // How tickets print. The papers are model/receipt.js's, named again here rather than imported
  // with its table onto the first screen; receipt.js's tests keep the two lists the same.
  const printing = { paper: '80mm', auto: false, ...raw.printing };
  if (check(isRecord(raw.printing ?? {}), ['printing'], 'printing')) {
    check(/^(80mm|58mm|a4|letter)$/.test(printing.paper), ['printing', 'paper'], 'paper');
    check(typeof printing.auto === 'boolean', ['printing', 'auto'], 'print-auto');
  }
  const staff = staffOf(raw.staff ?? {}, check);

  const departments = [];
  if (check(Array.isArray(raw.departments) && raw.departments.length > 0, ['departments'], 'departments')) {
    const ids = new Set();
    raw.departments.forEach((d, i) => departments.push(department(d, ['departments', i], { language: known, ids, check, opening, timeZone })));
  }
  return {
    config: {
      facility: facilityNames[language],
      facilityNames,
      timeZone,
      opening,
      language,
      languages,
      callOutLanguages,
      ticketMs: ticketSeconds * 1000,
      staff,
      printing,
      hub,
      // How phones follow a ticket, as served (never a saved setting, like `hub`): read by
      // follow/follow-config.js where it is used, to keep this first-screen file small.
      follow: raw.follow ?? null,
      departments,
    },
    problems,
  };
}

/** `languages`, given: codes, each once, with the default language (`known`, unless wrong). */
function checkLanguages(languages, known, check) {
  if (!check(Array.isArray(languages) && languages.length > 0 && languages.every(isLanguage),
    ['languages'], 'languages')) return;
  check(new Set(languages).size === languages.length, ['languages'], 'language-twice');
  if (known !== null) check(languages.includes(known), ['languages'], 'default-not-offered', { language: known });
}

/**
 * A text customers read (the facility's or a department's name): one string, which is the
 * default language's, or one per language including the default (`language`, null when that is
 * wrong itself). Returned by language, trimmed.
 */
export function texts(value, path, language, check) {
  const field = path.at(-1);
  if (typeof value === 'string') {
    check(value.trim() !== '', path, 'text-empty', { field });
    return { [language]: value.trim() };
  }
  if (!check(isRecord(value), path, 'text-shape', { field })) return {};
  for (const [code, text] of Object.entries(value)) {
    const at = [...path, code];
    if (check(isLanguage(code), at, 'text-language', { field, language: code })) {
      check(typeof text === 'string' && text.trim() !== '', at, 'text-empty-in', { field, language: code });
    }
  }
  if (language !== null) {
    check(Object.hasOwn(value, language), [...path, language], 'no-default-text', { field, language });
  }
  return Object.fromEntries(Object.entries(value).filter(([, text]) => typeof text === 'string')
    .map(([code, text]) => [code, text.trim()]));
}

/**
 * The facility's time zone and daily opening, a department's opening at `path` and its queue
 * rules (groups, order, transfers, calls before a no-show) are read by config-groups.js's readers, set as it loads (useReaders): they are
 * kept out of this file, which the first screen runs within a budget. The page's loadConfig loads
 * it beside config.json; the service worker and Node tests import it. Until then a config may
 * have neither (the department's queue rules are then the exercise's: none).
 */
const missing = () => { throw new Error('config-groups.js'); };
let openingOf = (value, base, path, zone, check, facility) => (value === null ? null
  : value === undefined && !(facility && zone !== undefined) ? base : missing());
let queueRules = (d) => (['groups', 'order', 'transfers', 'callsBeforeNoShow'].some((field) => field in d) ? missing()
  : { groups: [], order: 'strict', placement: 'back', callsBeforeNoShow: 1 });

/** From now on daily openings and queue rules are read with config-groups.js's `readers`. */
export const useReaders = (readers) => ({ openingOf, queueRules } = readers);




/**
 * The facility hub, when there is one: `{ "url": "wss://hub.example:9222" }`, or a list of
 * addresses (the nodes of a cluster). Null without a hub: the windows of this browser share
 * the departments among themselves.
 */
function hubOf(value, check) {
  if (value === undefined || value === null) return null;
  if (!check(isRecord(value), ['hub'], 'hub')) return null;
  const listed = Array.isArray(value.url);
  const urls = listed ? value.url : [value.url];
  check(urls.length > 0, ['hub', 'url'], 'hub-url');
  urls.forEach((url, i) => {
    const path = listed ? ['hub', 'url', i] : ['hub', 'url'];
    const parsed = webSocketUrl(url);
    // A password here would be served to anyone who can reach the page: each device signs in
    // with its own account instead (#hub-setup).
    if (check(parsed !== null, path, 'hub-url')) {
      check(parsed.username === '' && parsed.password === '', path, 'hub-url-credentials');
    }
  });
  return { urls };
}

/** `value` as a ws:// or wss:// URL with a host, or null. */
function webSocketUrl(value) {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return (url.protocol === 'wss:' || url.protocol === 'ws:') && url.hostname !== '' ? url : null;
  } catch {
    return null;
  }
}

/** The staff console's settings: how long it stays unlocked without use. */
function staffOf(staff, check) {
  if (!check(isRecord(staff), ['staff'], 'staff')) return null;
  // A PIN hash here is served to anyone who can reach the page, and a short PIN falls to a
  // brute force in minutes: refuse to run until it is gone, rather than keep serving it.
  check(!('pin' in staff), ['staff', 'pin'], 'staff-pin');
  const lockAfterSeconds = staff.lockAfterSeconds ?? 90;
  check(Number.isSafeInteger(lockAfterSeconds) && lockAfterSeconds > 0, ['staff', 'lockAfterSeconds'], 'lock-after');
  return { lockAfterMs: lockAfterSeconds * 1000 };
}

/** Department `d` at `path`; its id joins `ids`, the ones of the departments before it. */
function department(d, path, { language, ids, check, opening, timeZone }) {
  if (!check(typeof d === 'object' && d !== null, path, 'department', { number: path[1] + 1 })) return null;
  const at = (field) => [...path, field];
  if (check(typeof d.id === 'string' && ID.test(d.id), at('id'), 'id')
    && check(!ids.has(d.id), at('id'), 'id-twice', { id: d.id })) ids.add(d.id);
  const names = check(d.name !== undefined, at('name'), 'name-missing') ? texts(d.name, at('name'), language, check) : {};
  const minimum = wholeNumber(d.minNumber, at('minNumber'), check);
  const maximum = wholeNumber(d.maxNumber, at('maxNumber'), check);
  if (minimum && maximum) {
    check(d.minNumber < d.maxNumber, at('minNumber'), 'range-order', { min: d.minNumber, max: d.maxNumber });
  }
  const timeout = d.autoShutdownTimeout ?? null;
  check(timeout === null || (Number.isSafeInteger(timeout) && timeout >= 0), at('autoShutdownTimeout'), 'auto-shutdown');
  const colour = d.colour ?? '#1d3557';
  check(typeof colour === 'string' && COLOUR.test(colour), at('colour'), 'colour');
  return {
    id: d.id,
    name: names[language],
    names,
    minNumber: d.minNumber,
    maxNumber: d.maxNumber,
    autoShutdownTimeout: timeout === null ? Infinity : timeout,
    opening: openingOf(d.opening, opening, at('opening'), timeZone, check),
    colour,
    counters: counters(d.counters, at('counters'), check),
    ...queueRules(d, at, language, check),
  };
}


/** Whether `value` is an integer the ticket machine holds exactly (a safe integer). */
function wholeNumber(value, path, check) {
  const field = path.at(-1);
  if (!check(Number.isInteger(value), path, 'whole-number', { field })) return false;
  return check(Number.isSafeInteger(value), path, 'number-too-large', { field, max: Number.MAX_SAFE_INTEGER });
}

/**
 * A department's counters: `["1", "2", "3"]`, or none (`[]`: the department calls numbers
 * without saying where). Each label is checked before any is compared with the others.
 */
function counters(list, path, check) {
  if (list === undefined || list === null) return [];
  if (!check(Array.isArray(list), path, 'counters')) return [];
  const good = list.map((counter, i) => check(typeof counter === 'string', [...path, i], 'counter-text',
    { value: JSON.stringify(counter) ?? String(counter) })
    && check(COUNTER.test(counter), [...path, i], 'counter', { counter }));
  list.forEach((counter, i) => {
    if (good[i]) check(list.indexOf(counter) === i, [...path, i], 'counter-twice', { counter });
  });
  return [...list];
}
