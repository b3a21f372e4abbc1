// The kiosk's part of each department's shared record: everything every window and device
// shows besides the queue. The host applies it to each change in the same order as the queue's
// (js/shared/host.js; in hub mode every device applies it to the same stream), so every window
// sees the same counters, calls and figures, and a reload changes nothing.
//
// It must be deterministic: the same events give the same record on every device. So it reads
// no clock (times come with the events) and no time zone of its own: the facility's time zone
// comes from the configuration.
//
// What it keeps:
//   nowServing  the number called last (the board of a department without counters)
//   counters    { [counter]: { number, at } }: the number at each counter, while it is there
//   calls       the last CALL_HISTORY calls, oldest first: { number, counter, at }
//   recall      the last "call again": { number, counter, at }, or null; the board flashes on a new one
//   day         the facility's day so far: { start, tickets, resets, longestQueue, noShows, opening? }
//               tickets: [number, taken, called, counter, outcome] per ticket since `start`,
//               outcome one of OUTCOMES; no name, nothing personal. `opening`, once the
//               department's daily opening has come (js/engine/opening.js): { at, first, last },
//               the earliest and latest TAKEN of the tickets it cleared (null: none, or kept).
//               Those end as 'reset' (what every earlier release reads) but are no staff reset:
//               `resets` counts only those.
//
// A number is never served twice: a served number has left the queue (the rules say so), and
// no-show closes the ticket at its counter without putting it back.

import { summaryOf } from './follow-summary.js';

/** How many calls the board lists. */
export const CALL_HISTORY = 5;

/** What became of a ticket. */
export const OUTCOMES = Object.freeze(['waiting', 'served', 'no-show', 'reset', 'closed']);

// Ticket tuple fields.
export const NUMBER = 0;
export const TAKEN = 1;
export const CALLED = 2;
export const COUNTER = 3;
export const OUTCOME = 4;

/** Local midnight at or before `at` (ms since the epoch) in `timeZone` (an IANA name, or undefined: the browser's). */
export function dayStart(at, timeZone) {
  const clock = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric', second: 'numeric',
  });
  const sinceMidnight = (t) => {
    const parts = clock.formatToParts(new Date(t));
    const value = (type) => Number(parts.find((p) => p.type === type).value);
    return ((value('hour') * 60 + value('minute')) * 60 + value('second')) * 1000 + ((t % 1000) + 1000) % 1000;
  };
  const guess = at - sinceMidnight(at);
  // On a day the clocks change, midnight is an hour off the wall-clock guess: correct it once.
  const off = sinceMidnight(guess);
  return off === 0 ? guess : guess - (off > 12 * 3600_000 ? off - 24 * 3600_000 : off);
}

/**
 * The facility's day as of `at`: `day` itself, or, once local midnight has passed without an
 * event to roll the record over, the new day the record will start (the tickets still waiting,
 * figures at 0). What the figures show after midnight before the first ticket.
 */
export function dayAsOf(day, at, timeZone) {
  return rollOver(day, at, (t) => dayStart(t, timeZone));
}

const emptyDay = (start) => ({ start, tickets: [], resets: 0, noShows: 0, longestQueue: 0 });

/**
 * The record hooks for SharedMachine (and the hub), for a facility in `timeZone` (a name, or () =>
 * the name). `summary(state, department)` is the department's public summary for the phones that
 * follow a ticket (follow-summary.js), which the hub's devices publish.
 */
export function kioskRecord({ timeZone } = {}) {
  // A function: the facility's settings can change while the page runs (the day ends at the
  // new time zone's midnight from then on).
  const zone = typeof timeZone === 'function' ? timeZone : () => timeZone;
  const startOf = (at) => dayStart(at, zone());

  return Object.freeze({
    initial: () => ({ nowServing: null, counters: {}, calls: [], recall: null, day: emptyDay(0) }),

    apply(record, event) {
      const day = rollOver(record.day, event.at, startOf);
      switch (event.type) {
        case 'take': {
          const tickets = [...day.tickets, [event.number, event.at, null, null, 'waiting']];
          const waiting = tickets.filter((t) => t[OUTCOME] === 'waiting').length;
          return { ...record, day: { ...day, tickets, longestQueue: Math.max(day.longestQueue, waiting) } };
        }
        case 'serve': {
          const counter = typeof event.data?.counter === 'string' ? event.data.counter : null;
          const tickets = close(day.tickets, event.number, (t) => [t[NUMBER], t[TAKEN], event.at, counter, 'served'],
            [event.number, null, event.at, counter, 'served']);
          const counters = counter === null ? record.counters : { ...record.counters, [counter]: { number: event.number, at: event.at } };
          const calls = [...record.calls, { number: event.number, counter, at: event.at }].slice(-CALL_HISTORY);
          return { ...record, nowServing: event.number, counters, calls, day: { ...day, tickets } };
        }
        case 'note':
          return note(record, day, event);
        case 'reset':
          if (event.reason === 'opening') return { ...cleared(record), day: { ...endWaiting(day, 'reset'), opening: openingOf(day, event.at) } };
          return { ...cleared(record), day: { ...endWaiting(day, 'reset'), resets: day.resets + 1 } };
        case 'opening': // the tickets waiting are kept
          return { ...record, day: { ...day, opening: { at: event.at, first: null, last: null } } };
        case 'shutdown':
          return { ...cleared(record), day: endWaiting(day, 'closed') };
        case 'wake':
          return { ...cleared(record), day };
        default:
          return { ...record, day };
      }
    },

    check: isRecord,

    summary: summaryOf,
  });
}

/** Staff notes: `{ kind: 'recall' | 'no-show', counter }` (counter null in a department without counters). */
function note(record, day, { data, at }) {
  const counter = typeof data?.counter === 'string' ? data.counter : null;
  const current = counter === null
    ? (record.nowServing === null ? null : { number: record.nowServing })
    : record.counters[counter] ?? null;
  if (current === null) return { ...record, day };
  if (data?.kind === 'recall') {
    return { ...record, day, recall: { number: current.number, counter, at } };
  }
  if (data?.kind === 'no-show') {
    const tickets = close(day.tickets, current.number, (t) => [t[NUMBER], t[TAKEN], t[CALLED], t[COUNTER], 'no-show'], null, 'served');
    const counters = { ...record.counters };
    if (counter !== null) delete counters[counter];
    return {
      ...record,
      counters,
      nowServing: counter === null ? null : record.nowServing,
      day: { ...day, tickets, noShows: day.noShows + 1 },
    };
  }
  return { ...record, day };
}

/** After a reset, a shutdown or a fresh start: nobody is at a counter. */
function cleared(record) {
  return { ...record, nowServing: null, counters: {}, recall: null };
}

/** A new day at local midnight: the tickets still waiting come along, the figures start at 0. */
function rollOver(day, at, startOf) {
  const start = startOf(at);
  if (start <= day.start) return day;
  return { ...emptyDay(start), tickets: day.tickets.filter((t) => t[OUTCOME] === 'waiting') };
}

/** The day's opening at `at` that clears the tickets waiting in `day`: which, by their TAKEN times. */
function openingOf(day, at) {
  let first = null;
  let last = null;
  for (const t of day.tickets) {
    if (t[OUTCOME] !== 'waiting' || t[TAKEN] === null) continue;
    if (first === null || t[TAKEN] < first) first = t[TAKEN];
    if (last === null || t[TAKEN] > last) last = t[TAKEN];
  }
  return { at, first, last };
}

function endWaiting(day, outcome) {
  return { ...day, tickets: day.tickets.map((t) => (t[OUTCOME] === 'waiting' ? [t[NUMBER], t[TAKEN], t[CALLED], t[COUNTER], outcome] : t)) };
}

/**
 * The day's tickets with the newest ticket of `number` whose outcome is `from` replaced by
 * `change(ticket)`; `missing` (if not null) is added when there is none (a ticket taken before
 * this record knew of it, such as one carried over from an earlier version).
 */
function close(tickets, number, change, missing, from = 'waiting') {
  for (let i = tickets.length - 1; i >= 0; i--) {
    if (tickets[i][NUMBER] === number && tickets[i][OUTCOME] === from) {
      const next = [...tickets];
      next[i] = change(tickets[i]);
      return next;
    }
  }
  return missing === null ? tickets : [...tickets, missing];
}

const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const isTime = (value) => Number.isSafeInteger(value) && value >= 0;
const isNumberOrNull = (value) => value === null || Number.isSafeInteger(value);
const isCounterOrNull = (value) => value === null || typeof value === 'string';

function isTicket(t) {
  return Array.isArray(t) && t.length === 5 && Number.isSafeInteger(t[NUMBER]) && (t[TAKEN] === null || isTime(t[TAKEN]))
    && (t[CALLED] === null || isTime(t[CALLED])) && isCounterOrNull(t[COUNTER]) && OUTCOMES.includes(t[OUTCOME]);
}

/** Whether a stored value is a record of this shape (stored data is untrusted). */
function isRecord(record) {
  if (!isObject(record) || !isNumberOrNull(record.nowServing)) return false;
  if (!isObject(record.counters) || !Object.values(record.counters).every((c) => isObject(c) && Number.isSafeInteger(c.number) && isTime(c.at))) return false;
  if (!Array.isArray(record.calls) || !record.calls.every((c) => isObject(c) && Number.isSafeInteger(c.number) && isCounterOrNull(c.counter) && isTime(c.at))) return false;
  if (record.recall !== null && !(isObject(record.recall) && Number.isSafeInteger(record.recall.number) && isCounterOrNull(record.recall.counter) && isTime(record.recall.at))) return false;
  const { day } = record;
  const { opening } = day ?? {};
  return isObject(day) && isTime(day.start) && Array.isArray(day.tickets) && day.tickets.every(isTicket)
    && isTime(day.resets) && isTime(day.noShows) && isTime(day.longestQueue)
    && (opening === undefined || (isObject(opening) && isTime(opening.at) && [opening.first, opening.last].every((t) => t === null || isTime(t))));
}
