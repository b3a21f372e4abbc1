// The facility's configuration (config.json): departments, counters, languages and timings. It
// is served to anyone who can reach the page, so it holds no secret: staff PINs are set on each
// device. Validated here, so a typo in the file gives a readable message instead of a broken page.
import { isLanguage } from '../language/messages.js';

const COLOUR = /^#[0-9a-fA-F]{6}$/;
const ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** A counter's label: short, since the board shows it large and the call-out says it. */
const COUNTER = /^[\p{L}\p{N}][\p{L}\p{N} .-]{0,11}$/u;

export class ConfigError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ConfigError';
  }
}

function check(condition, message) {
  if (!condition) throw new ConfigError(message);
}

/**
 * Validates parsed config.json and returns it with defaults filled in. Texts customers read
 * (the facility's and departments' names) may be one text, or one per language
 * (`{ "en": "Pharmacy", "es": "Farmacia" }`): `names` holds them by language, `name` the text
 * in the default language (for the CSV and staff notices).
 */
export function validate(raw) {
  check(typeof raw === 'object' && raw !== null, 'the file must hold a JSON object');
  // The languages first: the names below must exist in the default language.
  const language = raw.language ?? 'en';
  check(isLanguage(language), '"language" must be a language code such as "en" or "es"');
  const languages = raw.languages ?? [language];
  check(Array.isArray(languages) && languages.length > 0 && languages.every(isLanguage),
    '"languages" must list language codes such as ["en", "es"]');
  check(new Set(languages).size === languages.length, '"languages" lists a language twice');
  check(languages.includes(language), `"languages" must include the default language "${language}"`);

  const facilityNames = texts(raw.facility ?? 'Take a number', '"facility"', language);
  // The facility's day (the day's figures start at its midnight) must be the same on every
  // device of a facility hub, whatever each device's own setting: hence a named time zone.
  const timeZone = raw.timeZone ?? undefined;
  check(timeZone === undefined || isTimeZone(timeZone), '"timeZone" must be a time zone name such as "Europe/Madrid"');
  const ticketSeconds = raw.ticketSeconds ?? 20;
  check(Number.isSafeInteger(ticketSeconds) && ticketSeconds >= 5 && ticketSeconds <= 600,
    '"ticketSeconds" must be a whole number of seconds from 5 to 600');

  const hub = hubOf(raw.hub);

  const staff = raw.staff ?? {};
  check(typeof staff === 'object' && staff !== null && !Array.isArray(staff), '"staff" must be an object');
  // A PIN hash here is served to anyone who can reach the page, and a short PIN falls to a
  // brute force in minutes: refuse to run until it is gone, rather than keep serving it.
  check(!('pin' in staff), '"staff.pin" must be removed: config.json is served to anyone who can reach the page. '
    + 'Staff PINs are now set on each device, on the staff view (see the README).');
  const lockAfterSeconds = staff.lockAfterSeconds ?? 90;
  check(Number.isSafeInteger(lockAfterSeconds) && lockAfterSeconds > 0, '"staff.lockAfterSeconds" must be a positive integer');

  check(Array.isArray(raw.departments) && raw.departments.length > 0, '"departments" must list at least one department');
  const ids = new Set();
  const departments = raw.departments.map((d, i) => {
    const where = `department ${i + 1}`;
    check(typeof d === 'object' && d !== null, `${where} must be an object`);
    check(typeof d.id === 'string' && ID.test(d.id), `${where}: "id" must be lowercase letters, digits and dashes`);
    check(!ids.has(d.id), `${where}: the id "${d.id}" is used twice`);
    ids.add(d.id);
    check(d.name !== undefined, `${where}: "name" is missing`);
    const names = texts(d.name, `${where}: "name"`, language);
    check(Number.isSafeInteger(d.minNumber) && Number.isSafeInteger(d.maxNumber) && d.minNumber < d.maxNumber,
      `${where}: "minNumber" and "maxNumber" must be integers with minNumber below maxNumber`);
    const timeout = d.autoShutdownTimeout ?? null;
    check(timeout === null || (Number.isSafeInteger(timeout) && timeout >= 0),
      `${where}: "autoShutdownTimeout" must be milliseconds (or null for never)`);
    const colour = d.colour ?? '#1d3557';
    check(typeof colour === 'string' && COLOUR.test(colour), `${where}: "colour" must look like #1d3557`);
    return {
      id: d.id,
      name: names[language],
      names,
      minNumber: d.minNumber,
      maxNumber: d.maxNumber,
      autoShutdownTimeout: timeout === null ? Infinity : timeout,
      colour,
      counters: counters(d.counters, where),
    };
  });
  return {
    facility: facilityNames[language],
    facilityNames,
    timeZone,
    language,
    languages,
    ticketMs: ticketSeconds * 1000,
    staff: { lockAfterMs: lockAfterSeconds * 1000 },
    hub,
    departments,
  };
}

/**
 * The facility hub, when there is one: `{ "url": "wss://hub.example:9222" }`, or a list of
 * addresses (the nodes of a cluster). Null without a hub: the windows of this browser share
 * the departments among themselves.
 */
function hubOf(value) {
  if (value === undefined || value === null) return null;
  check(typeof value === 'object' && !Array.isArray(value), '"hub" must be an object such as { "url": "wss://hub.example:9222" }');
  const urls = Array.isArray(value.url) ? value.url : [value.url];
  check(urls.length > 0 && urls.every(isHubUrl),
    '"hub.url" must be the hub\'s WebSocket address (wss://…, or ws://… on this computer), or a list of them');
  return { urls };
}

function isHubUrl(value) {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'wss:' || url.protocol === 'ws:') && url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/**
 * A department's counters: `["1", "2", "3"]`, or none (`[]`: the department calls numbers
 * without saying where).
 */
function counters(list, where) {
  if (list === undefined || list === null) return [];
  check(Array.isArray(list), `${where}: "counters" must be a list of counter names such as ["1", "2", "3"]`);
  for (const counter of list) {
    check(typeof counter === 'string', `${where}: "counters" must hold texts, such as "1" (with quotes), not ${JSON.stringify(counter)}`);
    check(COUNTER.test(counter), `${where}: the counter "${counter}" must be 1 to 12 letters, digits, spaces, dots or dashes, starting with a letter or digit`);
  }
  const twice = list.find((counter, i) => list.indexOf(counter) !== i);
  check(twice === undefined, `${where}: the counter "${twice}" is listed twice`);
  return [...list];
}

/** A text customers read: one string, or one per language including the default. */
function texts(value, what, language) {
  if (typeof value === 'string') {
    check(value.trim() !== '', `${what} is empty`);
    return { [language]: value.trim() };
  }
  check(typeof value === 'object' && value !== null && !Array.isArray(value),
    `${what} must be a text, or texts by language such as { "en": "Pharmacy", "es": "Farmacia" }`);
  for (const [code, text] of Object.entries(value)) {
    check(isLanguage(code) && typeof text === 'string' && text.trim() !== '',
      `${what}: "${code}" must be a language code with a text`);
  }
  check(typeof value[language] === 'string', `${what} has no text in the default language "${language}"`);
  return Object.fromEntries(Object.entries(value).map(([code, text]) => [code, text.trim()]));
}

function isTimeZone(name) {
  if (typeof name !== 'string') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Fetches and validates config.json next to the page. */
export async function loadConfig(url = new URL('../../config.json', import.meta.url)) {
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
  return validate(raw);
}

/** Black or white, whichever reads better on `colour` (WCAG relative luminance). */
export function textColourOn(colour) {
  const channel = (i) => {
    const c = parseInt(colour.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  const contrastWithWhite = 1.05 / (luminance + 0.05);
  const contrastWithBlack = (luminance + 0.05) / 0.05;
  return contrastWithWhite >= contrastWithBlack ? '#ffffff' : '#000000';
}
