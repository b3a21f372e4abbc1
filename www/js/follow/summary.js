// A department's public summary, as the hub's devices publish it to the bucket tan-public (the
// contract with js/hub's publisher; docs/follow.md): what a phone may know of the queue, and
// nothing more than the board shows (numbers, times, counters: no names, no notes).
//
//   { v: 1, department, seq, at, dayStart, asleep, nowServing, counters: { <counter>: <number> },
//     waiting: [[number, taken], ...],                       // queue order
//     ended: [[number, taken, 'served' | 'no-show', counter | null, called], ...],  // oldest first
//     transferred?: [[number, taken, to], ...],              // sent on to department `to` (queue rules)
//     cleared: { reset: <ms> | null, closed: <ms> | null, opening?: [<ms>, <ms>] | null },
//     pace: { interval, lastCall } | null }
//
// A phone gets the last one with a direct get and the next ones as they are stored; the two
// can cross, and a reconnect gets it again, so a phone keeps the one with the highest `seq`.

export const VERSION = 1;

const isRecord = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const isTime = (value) => Number.isSafeInteger(value) && value >= 0;
const isNumber = isTime;
const isTimeOrNull = (value) => value === null || isTime(value);
const OUTCOMES = new Set(['served', 'no-show']);
/** A ticket's taken time; null for one the record has no take of (carried over from an earlier
 * release): no follow address names it, and the rest of the summary still counts. */
const isTaken = (value) => value === null || isTime(value);

/**
 * `{ summary, problem }`: the parsed summary of department `department` when `value` is one,
 * else `summary` null and `problem` a sentence for the developer's console (a phone shows only
 * that it cannot read the queue: the cause is the hub's, not the customer's).
 */
export function readSummary(value, department) {
  const fail = (problem) => ({ summary: null, problem });
  if (!isRecord(value)) return fail('a summary must be a JSON object');
  if (value.v !== VERSION) return fail(`summary version ${JSON.stringify(value.v)}, this page reads ${VERSION}`);
  if (value.department !== department) return fail(`a summary of ${JSON.stringify(value.department)}, not ${department}`);
  for (const field of ['seq', 'at', 'dayStart']) {
    if (!isTime(value[field])) return fail(`"${field}" must be a whole number`);
  }
  if (typeof value.asleep !== 'boolean') return fail('"asleep" must be true or false');
  if (value.nowServing !== null && !isNumber(value.nowServing)) return fail('"nowServing" must be a number or null');
  if (!isRecord(value.counters) || !Object.values(value.counters).every(isNumber)) {
    return fail('"counters" must map counters to numbers');
  }
  if (!Array.isArray(value.waiting) || !value.waiting.every((t) => Array.isArray(t) && t.length === 2
    && isNumber(t[0]) && isTaken(t[1]))) return fail('"waiting" must list [number, taken] pairs');
  if (!Array.isArray(value.ended) || !value.ended.every((t) => Array.isArray(t) && t.length === 5
    && isNumber(t[0]) && isTaken(t[1]) && OUTCOMES.has(t[2]) && (t[3] === null || typeof t[3] === 'string')
    && isTime(t[4]))) return fail('"ended" must list [number, taken, outcome, counter, called]');
  if (value.transferred !== undefined && !(Array.isArray(value.transferred) && value.transferred.every((t) => Array.isArray(t)
    && t.length === 3 && isNumber(t[0]) && isTaken(t[1]) && (t[2] === null || typeof t[2] === 'string')))) {
    return fail('"transferred" must list [number, taken, department]');
  }
  if (!isRecord(value.cleared) || !isTimeOrNull(value.cleared.reset) || !isTimeOrNull(value.cleared.closed)) {
    return fail('"cleared" must hold "reset" and "closed" times or null');
  }
  // Left out by the devices of earlier releases.
  const { opening = null } = value.cleared;
  if (opening !== null && !(Array.isArray(opening) && opening.length === 2 && opening.every(isTime) && opening[0] <= opening[1])) {
    return fail('"cleared.opening" must be null or [first, last] times');
  }
  if (value.pace !== null && !(isRecord(value.pace) && isTime(value.pace.interval) && value.pace.interval > 0
    && isTime(value.pace.lastCall))) return fail('"pace" must be null or { interval, lastCall }');
  return { summary: value, problem: null };
}

/** The summary to keep of the one kept (or null) and one that has just come: the newer. */
export function newer(kept, incoming) {
  if (incoming === null) return kept;
  return kept === null || incoming.seq > kept.seq ? incoming : kept;
}
