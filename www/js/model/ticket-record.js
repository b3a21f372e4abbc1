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
//               tickets: [number, taken, called, counter, outcome, group, parked, parkedAt, from, to]
//               per ticket since `start`, outcome one of OUTCOMES; no name, nothing personal.
//               A record saved by a release before the queue rules has tickets of the first five
//               fields only: read them with the defaults of `field()`. `opening`, once the
//               department's daily opening has come (js/engine/opening.js): { at, first, last },
//               the earliest and latest TAKEN of the tickets it cleared (null: none, or kept).
//               Those end as 'reset' (what every earlier release reads) but are no staff reset:
//               `resets` counts only those.
//
// A number is never served twice: a served number has left the queue (the rules say so), and
// no-show closes the ticket at its counter without putting it back.
//
// The counters' operations (js/engine/operations.js): `call` puts a ticket at a counter (it is
// 'served' from then on, as a serve made it before; the call finishes the counter's previous
// one), `recall` calls it again, `finish` frees the counter, `no-show` ends it as missed, `park`
// sets it aside ('parked', the time counted in `parked`) until `unpark` calls it back to its
// counter, `transfer` ends it here as 'transferred' (to another department, named in `to`; if
// that department refuses it, `returned` puts it back in the queue), and `arrive` is a ticket
// transferred in (`from`), with the time it was first taken. A department
// without counters calls to one counter named SOLE_COUNTER, which the record shows as null.

import { summaryOf } from './follow-summary.js';

/** How many calls the board lists. */
export const CALL_HISTORY = 5;

/** What became of a ticket. */
export const OUTCOMES = Object.freeze(['waiting', 'served', 'no-show', 'reset', 'closed', 'parked', 'transferred']);

/**
 * The one counter of a department without counters: what its console calls to. No configured
 * counter can be named so (config-reading.js: counters start with a letter or a digit).
 */
export const SOLE_COUNTER = '*';

// Ticket tuple fields.
export const NUMBER = 0;
export const TAKEN = 1;
export const CALLED = 2;
export const COUNTER = 3;
export const OUTCOME = 4;
export const GROUP = 5;
export const PARKED = 6;
export const PARKED_AT = 7;
export const FROM = 8;
export const TO = 9;

/** Defaults of the fields a ticket saved before the queue rules lacks. */
const LATER_FIELDS = [null, 0, null, null, null];

/** Field `index` of ticket `t`, whichever release saved it. */
export const field = (t, index) => (index < t.length ? t[index] : LATER_FIELDS[index - 5]);

/** A ticket of every field, from `t` (of any release) with `changes` ({ [index]: value }). */
function ticketWith(t, changes) {
  const full = [...t, ...LATER_FIELDS.slice(t.length - 5)];
  for (const [index, value] of Object.entries(changes)) full[index] = value;
  return full;
}

/** A new ticket: `number`, taken at `taken`, with `fields` ({ [index]: value }) set. */
const newTicket = (number, taken, fields = {}) => ticketWith([number, taken, null, null, 'waiting'], fields);

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
        case 'take':
          return joined(record, day, newTicket(event.number, event.at, { [GROUP]: event.group ?? null }));
        case 'arrive':
          return joined(record, day, newTicket(event.number, event.taken, { [GROUP]: event.group ?? null, [FROM]: event.from }));
        case 'serve': {
          const counter = typeof event.data?.counter === 'string' ? event.data.counter : null;
          const tickets = close(day.tickets, event.number, (t) => ticketWith(t, { [CALLED]: event.at, [COUNTER]: counter, [OUTCOME]: 'served' }),
            newTicket(event.number, null, { [CALLED]: event.at, [COUNTER]: counter, [OUTCOME]: 'served' }));
          const counters = counter === null ? record.counters : { ...record.counters, [counter]: { number: event.number, at: event.at } };
          const calls = [...record.calls, { number: event.number, counter, at: event.at }].slice(-CALL_HISTORY);
          return { ...record, nowServing: event.number, counters, calls, day: { ...day, tickets } };
        }
        case 'note':
          return note(record, day, event);
        case 'call':
        case 'unpark':
          return called(record, day, event);
        case 'recall':
          return { ...record, day, recall: { number: event.number, counter: counterName(event.counter), at: event.at } };
        case 'finish':
        case 'no-show':
        case 'park':
          return leftCounter(record, day, event);
        case 'transfer':
          return transferred(record, day, event);
        case 'returned':
          return returned(record, day, event);
        case 'reset':
          if (event.reason === 'opening') return { ...cleared(record), day: { ...endWaiting(day, 'reset', event.at), opening: openingOf(day, event.at) } };
          return { ...cleared(record), day: { ...endWaiting(day, 'reset', event.at), resets: day.resets + 1 } };
        case 'opening': // the tickets waiting are kept
          return { ...record, day: { ...day, opening: { at: event.at, first: null, last: null } } };
        case 'shutdown':
          return { ...cleared(record), day: endWaiting(day, 'closed', event.at) };
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

/** A ticket taken here, or transferred in: it waits; the longest queue grows with it. */
function joined(record, day, ticket) {
  const tickets = [...day.tickets, ticket];
  const waiting = tickets.filter((t) => t[OUTCOME] === 'waiting').length;
  return { ...record, day: { ...day, tickets, longestQueue: Math.max(day.longestQueue, waiting) } };
}

/** The record's name of the machine's counter `counter`: null for SOLE_COUNTER. */
const counterName = (counter) => (counter === SOLE_COUNTER || typeof counter !== 'string' ? null : counter);

/** The counter `counter` (the record's name) free: in a department without counters, nobody is being served. */
function freed(record, counter, number) {
  if (counter === null) return record.nowServing === number ? { nowServing: null } : {};
  if (record.counters[counter]?.number !== number) return {};
  const counters = { ...record.counters };
  delete counters[counter];
  return { counters };
}

/**
 * A `call` (a waiting ticket to a counter) or an `unpark` (a parked one back to its counter):
 * the ticket is served at the counter, the board lists the call. The ticket the call finished
 * stays served. A ticket keeps the group it was taken in (null: taken without choosing one); a
 * ticket this record does not know (taken before it) is added, in the group it was called from.
 */
function called(record, day, event) {
  const counter = counterName(event.counter);
  const { number, at } = event;
  let tickets;
  if (event.type === 'unpark') {
    tickets = close(day.tickets, number, (t) => ticketWith(t, {
      [COUNTER]: counter, [OUTCOME]: 'served', [PARKED]: field(t, PARKED) + Math.max(0, at - (field(t, PARKED_AT) ?? at)), [PARKED_AT]: null,
    }), null, 'parked');
  } else {
    tickets = close(day.tickets, number, (t) => ticketWith(t, { [CALLED]: at, [COUNTER]: counter, [OUTCOME]: 'served' }),
      newTicket(number, typeof event.taken === 'number' ? event.taken : null, { [CALLED]: at, [COUNTER]: counter, [OUTCOME]: 'served', [GROUP]: event.group ?? null }));
  }
  const counters = counter === null ? record.counters : { ...record.counters, [counter]: { number, at } };
  const calls = [...record.calls, { number, counter, at }].slice(-CALL_HISTORY);
  return { ...record, nowServing: number, counters, calls, day: { ...day, tickets } };
}

/** `finish`, `no-show` or `park` of the ticket at a counter: the counter is free. */
function leftCounter(record, day, event) {
  const counter = counterName(event.counter);
  const { number, at } = event;
  const outcome = { finish: 'served', 'no-show': 'no-show', park: 'parked' }[event.type];
  const changes = event.type === 'park' ? { [OUTCOME]: outcome, [PARKED_AT]: at } : { [OUTCOME]: outcome };
  const tickets = close(day.tickets, number, (t) => ticketWith(t, changes), null, 'served');
  const noShows = day.noShows + (event.type === 'no-show' ? 1 : 0);
  return { ...record, ...freed(record, counter, number), day: { ...day, tickets, noShows } };
}

/**
 * A ticket sent to another department (waiting, at a counter or parked): its end here, as
 * 'transferred' to `to`; a counter it was at is free, a parked time counted.
 */
function transferred(record, day, { number, at, to }) {
  for (let i = day.tickets.length - 1; i >= 0; i--) {
    const t = day.tickets[i];
    if (t[NUMBER] !== number || !['waiting', 'served', 'parked'].includes(t[OUTCOME])) continue;
    if (t[OUTCOME] === 'served' && !isAtCounter(record, t)) continue; // served and done with: an older ticket
    const parkedAt = field(t, PARKED_AT);
    const tickets = [...day.tickets];
    tickets[i] = ticketWith(t, {
      [OUTCOME]: 'transferred', [TO]: typeof to === 'string' ? to : null, [PARKED_AT]: null,
      [PARKED]: field(t, PARKED) + (t[OUTCOME] === 'parked' && parkedAt !== null ? Math.max(0, at - parkedAt) : 0),
    });
    const left = t[OUTCOME] === 'served' ? freed(record, t[COUNTER], number) : {};
    return { ...record, ...left, day: { ...day, tickets } };
  }
  return { ...record, day };
}

/**
 * A transfer the other department refused (its number was in use there): the ticket is back in
 * this department's queue, no longer transferred.
 */
function returned(record, day, { number }) {
  const tickets = close(day.tickets, number, (t) => ticketWith(t, { [OUTCOME]: 'waiting', [TO]: null }), null, 'transferred');
  return { ...record, day: { ...day, tickets } };
}

/** Whether served ticket `t` is still at its counter (the number the record shows there). */
const isAtCounter = (record, t) => (t[COUNTER] === null ? record.nowServing === t[NUMBER] : record.counters[t[COUNTER]]?.number === t[NUMBER]);

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
    const tickets = close(day.tickets, current.number, (t) => ticketWith(t, { [OUTCOME]: 'no-show' }), null, 'served');
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

/** A new day at local midnight: the tickets still waiting (or parked) come along, the figures start at 0. */
function rollOver(day, at, startOf) {
  const start = startOf(at);
  if (start <= day.start) return day;
  return { ...emptyDay(start), tickets: day.tickets.filter((t) => t[OUTCOME] === 'waiting' || t[OUTCOME] === 'parked') };
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

/** A reset, an opening that clears, or a shutdown at `at`: every ticket still waiting or parked ends as `outcome`. */
function endWaiting(day, outcome, at) {
  return {
    ...day,
    tickets: day.tickets.map((t) => {
      if (t[OUTCOME] === 'waiting') return ticketWith(t, { [OUTCOME]: outcome });
      if (t[OUTCOME] !== 'parked') return t;
      const parkedAt = field(t, PARKED_AT);
      return ticketWith(t, { [OUTCOME]: outcome, [PARKED_AT]: null, [PARKED]: field(t, PARKED) + (parkedAt === null || at === undefined ? 0 : Math.max(0, at - parkedAt)) });
    }),
  };
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

const isTextOrNull = (value) => value === null || typeof value === 'string';

/** A ticket of this release (10 fields) or of one before the queue rules (the first 5). */
function isTicket(t) {
  return Array.isArray(t) && (t.length === 5 || t.length === 10) && Number.isSafeInteger(t[NUMBER]) && (t[TAKEN] === null || isTime(t[TAKEN]))
    && (t[CALLED] === null || isTime(t[CALLED])) && isCounterOrNull(t[COUNTER]) && OUTCOMES.includes(t[OUTCOME])
    && (t.length === 5 || (isTextOrNull(t[GROUP]) && isTime(t[PARKED]) && (t[PARKED_AT] === null || isTime(t[PARKED_AT]))
      && isTextOrNull(t[FROM]) && isTextOrNull(t[TO])));
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
