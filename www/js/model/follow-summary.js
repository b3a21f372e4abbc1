// A department's public summary: what a customer's phone reads to follow its ticket (hub mode).
// The devices write it to the hub's bucket tan-public after each change (js/hub/public-writer.js)
// and the hub republishes it to every phone that follows the department (docs/hub.md), so it
// holds what the board shows and what a phone needs to place one ticket, and nothing personal:
// numbers and times.
//
// A ticket is known by its number and its TAKEN time (the hub's timestamp of its take,
// ticket-record.js): a number comes round again after a reset or the next day, the pair does not.
// From the summary a phone tells its ticket's fate: in `waiting` (how many are ahead), in `ended`
// (served at a counter, or no-show), in `transferred` (sent on to another department), or cleared (taken at or before `cleared.reset` or
// `cleared.closed` and in neither list; cleared at the day's opening if taken within
// `cleared.opening`, which may be before the day began).
//
// It is a pure function of the department's state, and the state is the same on every device at
// the same stream sequence: so every device writes the same bytes for the same `seq`, and which
// device writes it does not matter.
import { NUMBER, TAKEN, CALLED, COUNTER, OUTCOME, TO, field } from './ticket-record.js';
import { pace } from './estimate.js';

/** Format version of a summary. */
export const SUMMARY_VERSION = 1;

/**
 * How many of the day's called tickets a summary lists, the latest. Most of a summary's bytes
 * (about 45 a call), which the hub sends to every phone of the department at every operation:
 * 100 made a busy department's summary 5 kB and tap to board's tail twice as long with 1,000
 * phones (BENCHMARKS.md). A phone that saw its call remembers it (follow/ticket-status.js).
 */
export const ENDED = 30;

const isCalled = (t) => t[CALLED] !== null && (t[OUTCOME] === 'served' || t[OUTCOME] === 'no-show');

/** The latest TAKEN time of the tickets of `outcome`, or null when there are none. */
function latestTaken(tickets, outcome) {
  let latest = null;
  for (const t of tickets) {
    if (t[OUTCOME] === outcome && t[TAKEN] !== null && (latest === null || t[TAKEN] > latest)) latest = t[TAKEN];
  }
  return latest;
}

/** `{ transferred }`: the day's last ENDED tickets sent on to another department, or {} when none. */
function transfersOf(tickets) {
  const sent = tickets.filter((t) => t[OUTCOME] === 'transferred');
  return sent.length === 0 ? {} : { transferred: sent.slice(-ENDED).map((t) => [t[NUMBER], t[TAKEN], field(t, TO)]) };
}

/** `{ opening: [first, last] }`, the TAKEN times the day's opening cleared; nothing when it cleared none. */
function clearedAtOpening({ opening }) {
  return opening === undefined || opening.first === null ? {} : { opening: [opening.first, opening.last] };
}

/**
 * The public summary of department `department` in `state` (a HubMachine's or SharedMachine's:
 * `{ seq, at?, asleep, queue, record }`, `record` kioskRecord's):
 *
 *     { v, department, seq, at, dayStart, asleep, nowServing,
 *       counters: { [counter]: number },
 *       waiting: [[number, taken], ...]                             in queue order
 *       ended: [[number, taken, 'served' | 'no-show', counter, called], ...]   the last ENDED called, oldest first
 *       transferred?: [[number, taken, to], ...]                    the day's last ENDED sent to department `to`
 *       cleared: { reset, closed, opening? }                        the latest TAKEN cleared by a reset (the opening's too), by the
                                                                   idle shutdown; `opening`: [first, last] TAKEN cleared at the
                                                                   day's opening, left out when it cleared none
 *       pace: { interval, lastCall } | null }                       estimate.js's pace at `at`
 *
 * A phone estimates a wait as `(ahead + 1) * interval - min(max(now - lastCall, 0), interval)`,
 * as the kiosk does (estimate.js). `transferred` is new with the queue rules: a phone of an older
 * release ignores it (its ticket is then simply gone); it is left out on a day without transfers, so
 * such a summary has the bytes it had before. `taken` is null for a ticket the record has no take of (one
 * carried over from an earlier release).
 */
export function summaryOf(state, department) {
  const { record } = state;
  const { tickets } = record.day;
  const at = state.at ?? state.lastActivity ?? 0;
  const takenOf = new Map();
  for (const t of tickets) if (t[OUTCOME] === 'waiting') takenOf.set(t[NUMBER], t[TAKEN]);
  // Called order, not take order: a priority serve calls a later ticket first. The sort is
  // stable, so two calls in the same millisecond keep the record's order on every device.
  const ended = tickets.filter(isCalled).sort((a, b) => a[CALLED] - b[CALLED]).slice(-ENDED)
    .map((t) => [t[NUMBER], t[TAKEN], t[OUTCOME], t[COUNTER], t[CALLED]]);
  const interval = pace(tickets, at);
  let lastCall = null;
  for (const t of tickets) if (t[CALLED] !== null && t[CALLED] <= at && (lastCall === null || t[CALLED] > lastCall)) lastCall = t[CALLED];
  return {
    v: SUMMARY_VERSION,
    department,
    seq: state.seq,
    at,
    dayStart: record.day.start,
    asleep: state.asleep,
    nowServing: record.nowServing,
    // Sorted, so that the bytes do not depend on the order the counters were first used in.
    counters: Object.fromEntries(Object.keys(record.counters).sort().map((c) => [c, record.counters[c].number])),
    waiting: state.queue.map((n) => [n, takenOf.get(n) ?? null]),
    ended,
    ...transfersOf(tickets),
    cleared: { reset: latestTaken(tickets, 'reset'), closed: latestTaken(tickets, 'closed'), ...clearedAtOpening(record.day) },
    // Whole milliseconds: the same bytes on every device, and no false precision.
    pace: interval === null || lastCall === null ? null : { interval: Math.round(interval), lastCall },
  };
}
