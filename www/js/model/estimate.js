// How long a new ticket will wait, from the department's recent pace.
//
// The model: staff call numbers at some pace while people are waiting; a ticket with `ahead`
// people before it is called after `ahead + 1` more calls. So the estimate is
//
//     (ahead + 1) x (recent time between calls) - (time since the last call)
//
// where "time between calls" is measured only over calls made while somebody else was still
// waiting (when the line runs empty, calls wait for arrivals, and that pace would say nothing
// about how fast staff serve). It is an estimate of the line as it moves now: it knows nothing
// of a counter about to close or a rush about to come, so the page says "about", rounds it, and
// shows nothing at all when there are too few recent calls to measure a pace.
import { TAKEN, CALLED, OUTCOME } from './ticket-record.js';

/** Calls looked at: the last ones, made within this long. */
export const PACE_WINDOW_MS = 45 * 60 * 1000;
export const PACE_CALLS = 12;
/** Fewer busy intervals than this, and there is no estimate. */
export const MIN_INTERVALS = 3;

/**
 * The time between calls while people were waiting, in ms, from the day's tickets
 * (ticket-record.js), or null when there are too few recent calls.
 */
export function pace(tickets, now) {
  const calls = tickets
    .filter((t) => t[CALLED] !== null && t[CALLED] <= now && now - t[CALLED] <= PACE_WINDOW_MS
      && (t[OUTCOME] === 'served' || t[OUTCOME] === 'no-show'))
    .map((t) => t[CALLED])
    .sort((a, b) => a - b)
    .slice(-PACE_CALLS - 1);
  const intervals = [];
  for (let i = 1; i < calls.length; i++) {
    const [from, to] = [calls[i - 1], calls[i]];
    // Busy: someone taken before `from` was still waiting at `to` (called at `to` or later).
    const busy = tickets.some((t) => t[TAKEN] !== null && t[TAKEN] <= from && (t[CALLED] === null || t[CALLED] >= to)
      && (t[OUTCOME] !== 'reset' && t[OUTCOME] !== 'closed'));
    if (busy) intervals.push(to - from);
  }
  if (intervals.length < MIN_INTERVALS) return null;
  return intervals.reduce((sum, ms) => sum + ms, 0) / intervals.length;
}

/**
 * The estimated wait in ms of a ticket with `ahead` people before it, at `now`, or null when
 * the recent pace is unknown.
 */
export function estimateWait(tickets, { ahead, now }) {
  const interval = pace(tickets, now);
  if (interval === null) return null;
  const lastCall = Math.max(...tickets.filter((t) => t[CALLED] !== null && t[CALLED] <= now).map((t) => t[CALLED]));
  const sinceLastCall = Math.min(Math.max(now - lastCall, 0), interval);
  return Math.max((ahead + 1) * interval - sinceLastCall, 0);
}

/** Whole minutes to show for `ms`: to the minute below 10, to five minutes above. At least 1. */
export function roundedMinutes(ms) {
  const minutes = ms / 60_000;
  if (minutes < 10) return Math.max(1, Math.round(minutes));
  return Math.round(minutes / 5) * 5;
}
