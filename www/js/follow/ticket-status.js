// Where a ticket stands, from its department's public summary (summary.js): the rules of the
// follow page, free of the DOM and of NATS, so that Node tests drive them.
import { roundedMinutes } from '../model/estimate.js';

/**
 * What `summary` (null: none yet) says of `ticket` ({ number, taken }), at `now` (ms):
 * - `{ status: 'unknown' }`: no summary yet, or none since the ticket was taken (a phone can scan
 *   the code before the devices have published the summary that holds it);
 * - `{ status: 'waiting', ahead, waitMs }`: in the queue with `ahead` before it; `waitMs` the
 *   estimated wait, or null when the department has no recent pace;
 * - `{ status: 'called', counter }`: called and still at its counter (counter null when the
 *   department has none);
 * - `{ status: 'served' }`, `{ status: 'missed' }`: called, and done with or marked no-show;
 * - `{ status: 'transferred', to }`: sent on to department `to` (an id), keeping its number;
 * - `{ status: 'reset' }`, `{ status: 'closed' }`: cleared by staff resetting the queue, or by
 *   the department switching itself off when idle;
 * - `{ status: 'opening' }`: cleared when the department opened for the day (its daily opening
 *   clears the tickets still waiting), one taken the day before too;
 * - `{ status: 'gone' }`: not in the queue any more, for no reason the summary still tells
 *   (another day's ticket, or called longer ago than the summary remembers).
 * Also `nowServing` (the department's last call, or null) whatever the status. `seenCalled`:
 * this phone saw the ticket called; once the summary's last calls no longer list it, it was
 * served (a summary lists the last few calls only: follow-summary.js ENDED).
 */
export function ticketStatus(summary, ticket, now, { seenCalled = false } = {}) {
  if (summary === null) return { status: 'unknown', nowServing: null };
  const nowServing = summary.nowServing;
  const same = (entry) => entry[0] === ticket.number && entry[1] === ticket.taken;
  const ahead = summary.waiting.findIndex(same);
  if (ahead >= 0) return { status: 'waiting', ahead, waitMs: estimatedWait(summary.pace, ahead, now), nowServing };
  const sent = (summary.transferred ?? []).findLast(same);
  if (sent) return { status: 'transferred', to: sent[2], nowServing };
  // The last call of a number wins: a number can end twice a day only if it came round again,
  // and then `taken` tells them apart anyway.
  const ended = summary.ended.findLast(same);
  if (ended) {
    const [number, , outcome, counter] = ended;
    if (outcome === 'no-show') return { status: 'missed', nowServing };
    const stillThere = counter === null ? nowServing === number : summary.counters[counter] === number;
    return stillThere ? { status: 'called', counter, nowServing } : { status: 'served', nowServing };
  }
  if (seenCalled) return { status: 'served', nowServing };
  if (summary.at < ticket.taken) return { status: 'unknown', nowServing };
  // The day's opening cleared the tickets taken in its range, the day before's too (left out by
  // the devices of earlier releases).
  const opening = summary.cleared.opening ?? null;
  if (opening !== null && ticket.taken >= opening[0] && ticket.taken <= opening[1]) return { status: 'opening', nowServing };
  // Otherwise `cleared` speaks of today's tickets only: an older one is simply gone.
  if (ticket.taken < summary.dayStart) return { status: 'gone', nowServing };
  const { reset, closed } = summary.cleared;
  if (reset !== null && ticket.taken <= reset) return { status: 'reset', nowServing };
  if (closed !== null && ticket.taken <= closed) return { status: 'closed', nowServing };
  return { status: 'gone', nowServing };
}

/**
 * The estimated wait in ms of a ticket with `ahead` before it: estimate.js's model, with the
 * pace the devices measured. `now` is the phone's clock, which may run behind or ahead of the
 * hub's: the time since the last call is kept between 0 and one interval, so a wrong clock
 * moves the estimate by one interval at most.
 */
export function estimatedWait(pace, ahead, now) {
  if (pace === null) return null;
  return (ahead + 1) * pace.interval - Math.min(Math.max(now - pace.lastCall, 0), pace.interval);
}

/** Whole minutes to show for an estimated wait (as the kiosk's ticket rounds them), or null. */
export const waitMinutes = (waitMs) => (waitMs === null ? null : roundedMinutes(waitMs));

/** Whether a status is final: the page stops alerting and says what happened. */
export const isEnding = (status) => ['served', 'missed', 'transferred', 'reset', 'opening', 'closed', 'gone'].includes(status);
