// A department's daily opening: the moment, once a day, when its record starts the day afresh.
// It is part of the record's configuration (options.js), so every reader of a log takes it from
// the same `configure`, and the log's clock decides when it is due (department.js), as it decides
// idle shutdowns. What is here is pure: the opening's shape and checks, and when it next falls,
// computed with Intl in the opening's own time zone (never a reader's).
//
// `{ time: 'HH:MM', timeZone: 'Europe/Madrid', waiting: 'clear' | 'keep' }`: every day at `time`
// (to the second, 'HH:MM:SS', where a program wants it)
// on the wall clocks of `timeZone`, the tickets still waiting are cleared (`clear`) or carried
// into the new day (`keep`). On the day the clocks go forward a time that does not exist falls
// as Temporal's 'compatible' disambiguation puts it (later by the gap: 02:30 becomes 03:30); on
// the day they go back a time that happens twice falls on the first.
import { isRecord } from './values.js';

/** What becomes of the tickets still waiting at the opening. */
export const WAITING = Object.freeze(['clear', 'keep']);

const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;
const DAY = 24 * 3600_000;

/** Whether `name` is a time zone this JS engine knows (an IANA name such as "Europe/Madrid"). */
export function isTimeZone(name) {
  if (typeof name !== 'string' || name === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks an opening (any JS value). Returns `{ opening: { time, timeZone, waiting } }` (waiting
 * 'clear' when left out), or `{ problem }`, a sentence that says what is wrong. The time zone is
 * kept as written: two devices whose Intl would canonicalise it differently still agree.
 */
export function checkOpening(value) {
  if (!isRecord(value)) return { problem: 'the opening must be an object such as { time: "07:30", timeZone: "Europe/Madrid" }' };
  const { time, timeZone, waiting = 'clear' } = value;
  if (typeof time !== 'string' || !TIME.test(time)) return { problem: 'the opening time must be a time of day such as "07:30"' };
  if (!isTimeZone(timeZone)) return { problem: 'the opening time zone must be a time zone name such as "Europe/Madrid"' };
  if (!WAITING.includes(waiting)) return { problem: 'the opening\'s waiting must be "clear" or "keep"' };
  return { opening: { time, timeZone, waiting } };
}

/** Whether two openings (either may be missing: no opening) are the same. */
export const sameOpening = (a, b) => (a ?? null) === (b ?? null)
  || (isRecord(a) && isRecord(b) && a.time === b.time && a.timeZone === b.timeZone && a.waiting === b.waiting);

/** An opening in words, for a refusal's message. */
export const describeOpening = (opening) => (opening == null ? 'no daily opening'
  : `a daily opening at ${opening.time} (${opening.timeZone}) that ${opening.waiting === 'keep' ? 'keeps' : 'clears'} the tickets waiting`);

// --- When it falls --------------------------------------------------------------------------

const clocks = new Map();

/** The wall clock of `timeZone` at instant `t`: { year, month, day, hour, minute, second }. */
function wallClock(t, timeZone) {
  let clock = clocks.get(timeZone);
  if (clock === undefined) {
    clock = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    clocks.set(timeZone, clock);
  }
  const wall = {};
  for (const { type, value } of clock.formatToParts(new Date(t))) wall[type] = Number(value);
  return wall;
}

/** How far the wall clock of `timeZone` is ahead of UTC at instant `t` (ms; negative west of Greenwich). */
function offsetAt(t, timeZone) {
  const { year, month, day, hour, minute, second } = wallClock(t, timeZone);
  return Date.UTC(year, month - 1, day, hour, minute, second) - (t - (((t % 1000) + 1000) % 1000));
}

/**
 * The instant at which the wall clock of `timeZone` shows `wall` (the wall time written as if it
 * were UTC, in ms). A time that happens twice: the first. A time that does not happen: later by
 * the gap, as Temporal's 'compatible' disambiguation (and Date's own local times) do.
 */
export function instantOf(wall, timeZone) {
  const before = offsetAt(wall - DAY, timeZone);
  const after = offsetAt(wall + DAY, timeZone);
  const fits = [before, after].map((offset) => wall - offset).filter((t) => offsetAt(t, timeZone) === wall - t);
  if (fits.length > 0) return Math.min(...fits);
  return wall - before;
}

/**
 * The first instant after `at` (ms since the epoch) at which `opening` falls, or null without an
 * opening. `last` (optional): the opening performed last; an opening is never due twice on the
 * same date of its time zone (a manager who moves the time later in the day does not open the
 * department again that day).
 */
export function openingAfter(opening, at, last = null) {
  if (opening == null) return null;
  const [hours, minutes, seconds = 0] = opening.time.split(':').map(Number);
  const dateOf = (t) => {
    const { year, month, day } = wallClock(t, opening.timeZone);
    return Date.UTC(year, month - 1, day);
  };
  const skip = last === null ? null : dateOf(last);
  // The date at `at`, then the next ones: the second is after `at` whatever the clocks do.
  for (let date = dateOf(at); ; date += DAY) {
    const t = instantOf(date + ((hours * 60 + minutes) * 60 + seconds) * 1000, opening.timeZone);
    if (t > at && date !== skip) return t;
  }
}
