// The facility's configuration (config.json): departments and timings. It is served to anyone
// who can reach the page, so it holds no secret: staff PINs are set on each device.
// Validated here, so a typo in the file gives a readable message instead of a broken page.

const COLOUR = /^#[0-9a-fA-F]{6}$/;
const ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

export class ConfigError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ConfigError';
  }
}

function check(condition, message) {
  if (!condition) throw new ConfigError(message);
}

/** Validates parsed config.json and returns it with defaults filled in. */
export function validate(raw) {
  check(typeof raw === 'object' && raw !== null, 'the file must hold a JSON object');
  const facility = raw.facility ?? 'Take a number';
  check(typeof facility === 'string', '"facility" must be text');
  // The facility's day (the day's figures start at its midnight) must be the same on every
  // device of a facility hub, whatever each device's own setting: hence a named time zone.
  const timeZone = raw.timeZone ?? undefined;
  check(timeZone === undefined || isTimeZone(timeZone), '"timeZone" must be a time zone name such as "Europe/Madrid"');

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
    check(typeof d.name === 'string' && d.name.trim() !== '', `${where}: "name" is missing`);
    check(Number.isSafeInteger(d.minNumber) && Number.isSafeInteger(d.maxNumber) && d.minNumber < d.maxNumber,
      `${where}: "minNumber" and "maxNumber" must be integers with minNumber below maxNumber`);
    const timeout = d.autoShutdownTimeout ?? null;
    check(timeout === null || (Number.isSafeInteger(timeout) && timeout >= 0),
      `${where}: "autoShutdownTimeout" must be milliseconds (or null for never)`);
    const colour = d.colour ?? '#1d3557';
    check(typeof colour === 'string' && COLOUR.test(colour), `${where}: "colour" must look like #1d3557`);
    return {
      id: d.id,
      name: d.name.trim(),
      minNumber: d.minNumber,
      maxNumber: d.maxNumber,
      autoShutdownTimeout: timeout === null ? Infinity : timeout,
      colour,
    };
  });
  return { facility, timeZone, staff: { lockAfterMs: lockAfterSeconds * 1000 }, departments };
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
export async function loadConfig(url = new URL('../config.json', import.meta.url)) {
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
