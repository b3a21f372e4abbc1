// What the host writes after every change, and re-checks when a window takes over hosting or
// the browser starts again. One value per machine name, written by one writer at a time (the
// holder of the leader lock), so two windows never overwrite each other's saves.
//
// Besides the queue it holds what makes a takeover exact: the answers not yet acknowledged by
// each client (so a request retried after a takeover is answered, not applied twice), the last
// request applied per client (so requests apply in the order each window made them), and the
// time of the last activity (so the idle timeout keeps counting across a takeover).

import { isRecord, isCount } from '../engine/values.js';
import { checkConfig } from '../engine/options.js';
import { MAX_REFUSALS, isDesk, isTransfers } from '../engine/department.js';

export const FORMAT = 'take-a-number-deluxe/shared@1';

/** Clients not heard from in this long are forgotten (a live window retries every second). */
export const CLIENT_TTL_MS = 10 * 60 * 1000;

/** At most this many clients are remembered, the most recently heard first. */
export const MAX_CLIENTS = 256;

/** A fresh machine's snapshot. */
export function empty(name, config, record) {
  return {
    format: FORMAT,
    name,
    minNumber: config.minNumber,
    maxNumber: config.maxNumber,
    autoShutdownTimeout: config.autoShutdownTimeout,
    seq: 0,
    epoch: 0,
    asleep: false,
    queue: [],
    lastActivity: 0,
    record,
    notices: [],
    clients: [],
    pending: null,
    refusals: [],
    nextOpening: null,
    lastOpening: null,
  };
}

/**
 * Checks a stored value. Returns `{ snapshot }` when it is usable, with `config`, the range and
 * timeout the record runs (a host of another configuration reconfigures it: host.js), or
 * `{ problem }` (a sentence for staff) when not. The queue itself is checked again by the
 * Machine when it is restored from it.
 */
export function check(raw, name, checkRecord) {
  if (!isRecord(raw) || raw.format !== FORMAT || raw.name !== name) {
    return { problem: 'the saved data is not a saved machine of this kiosk' };
  }
  const config = configOf(raw);
  // Saves of earlier releases have neither a pending configuration nor refusals.
  const pending = raw.pending == null ? null : configOf(raw.pending);
  if (config === null || (pending === null && raw.pending != null)) {
    return { problem: 'the saved number range is damaged' };
  }
  const refusals = raw.refusals ?? [];
  if (!Array.isArray(refusals) || refusals.length > MAX_REFUSALS || !refusals.every(isRecord)) {
    return { problem: 'the saved refusals are damaged' };
  }
  if (!isCount(raw.seq) || !isCount(raw.epoch) || typeof raw.asleep !== 'boolean' || !isCount(raw.lastActivity)) {
    return { problem: 'the saved data is damaged' };
  }
  if (!Array.isArray(raw.queue) || !raw.queue.every(Number.isSafeInteger)) {
    return { problem: 'the saved queue is not a list of numbers' };
  }
  if (raw.desk !== undefined && !isDesk(raw.desk, raw.queue)) {
    return { problem: 'the saved tickets at counters and in groups are damaged' };
  }
  if (raw.transfers !== undefined && !isTransfers(raw.transfers)) {
    return { problem: 'the saved transfers are damaged' };
  }
  if (!Array.isArray(raw.notices) || !raw.notices.every((n) => isRecord(n) && typeof n.text === 'string' && isCount(n.at))) {
    return { problem: 'the saved notices are damaged' };
  }
  if (!Array.isArray(raw.clients) || !raw.clients.every(isClientEntry)) {
    return { problem: 'the saved request log is damaged' };
  }
  if (!checkRecord(raw.record)) {
    return { problem: 'the saved record is damaged' };
  }
  // Saves of earlier releases have no openings (undefined: the department schedules them).
  if (![raw.nextOpening, raw.lastOpening].every((t) => t === undefined || t === null || isCount(t))) {
    return { problem: 'the saved opening times are damaged' };
  }
  return { snapshot: { ...raw, config, pending, refusals } };
}

function configOf(value) {
  try {
    return checkConfig(value);
  } catch {
    return null;
  }
}

function isClientEntry(entry) {
  return isRecord(entry) && typeof entry.id === 'string' && isCount(entry.applied) && isCount(entry.seen)
    && Array.isArray(entry.results)
    && entry.results.every((r) => Array.isArray(r) && r.length === 2 && Number.isSafeInteger(r[0]) && isRecord(r[1]));
}
