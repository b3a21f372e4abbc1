// A department at one point of the stream, kept in the hub's key-value bucket so that
// a device joining late (or reloading) starts there and applies only the operations after it,
// instead of the department's whole history.
//
// A snapshot is a pure function of the operations up to its `seq`: every device that has
// applied them computes the same one, so which device writes it does not matter. Writes are
// compare-and-set on the key's revision and never replace a snapshot by an older one. Only
// staff credentials may write the bucket (hub/accounts.conf): a snapshot is trusted by whoever
// loads it, so a kiosk, whose credentials may only take numbers, must not be able to write one.

import { isRecord, isCount } from '../engine/values.js';
import { wireConfig } from '../engine/options.js';
import { MAX_REFUSALS, isDesk, isTransfers } from '../engine/department.js';

const isRefusal = (value) => isRecord(value) && isCount(value.at) && typeof value.kind === 'string'
  && typeof value.rules === 'string' && typeof value.code === 'string';

export const FORMAT = 'take-a-number-deluxe/hub-snapshot@1';

/** The snapshot of department `name` at the point `stored` (Department.stored()), as the bucket keeps it. */
export function toSnapshot(name, stored) {
  const {
    seq, rules, config, pending, effective, generation, asleep, lastActivity, lastTs, queue, desk, transfers, record, refusals, nextOpening, lastOpening,
  } = stored;
  return {
    format: FORMAT, name, seq, rules, config: wireConfig(config), pending: pending === null ? null : wireConfig(pending), effective: wireConfig(effective),
    generation, asleep, lastActivity, lastTs, queue: toRuns(queue), ...(desk ? { desk } : {}), ...(transfers ? { transfers } : {}), record, refusals,
    nextOpening, lastOpening,
  };
}


/**
 * The queue as runs of consecutive numbers, `[first, count]` each, front first: a queue of
 * tickets taken in order is one run, however long, so a snapshot stays small.
 */
export function toRuns(queue) {
  const runs = [];
  for (const n of queue) {
    const last = runs.at(-1);
    if (last && last[0] + last[1] === n) last[1] += 1;
    else runs.push([n, 1]);
  }
  return runs;
}

/** The queue back from its runs, or null when they are not runs of safe integers. */
export function fromRuns(runs, limit) {
  if (!Array.isArray(runs)) return null;
  const queue = [];
  for (const run of runs) {
    if (!Array.isArray(run) || run.length !== 2 || !Number.isSafeInteger(run[0]) || !isCount(run[1]) || run[1] === 0) return null;
    if (!Number.isSafeInteger(run[0] + run[1] - 1) || queue.length + run[1] > limit) return null;
    for (let i = 0; i < run[1]; i++) queue.push(run[0] + i);
  }
  return queue;
}

/**
 * Checks a stored snapshot of department `name`. Returns `{ snapshot }` with the queue as an
 * array, or `{ problem }` (a sentence for staff). The queue is checked again by the Machine when
 * it is restored from it; the record by the application's `check`.
 */
export function check(raw, name, readConfig, checkRecord) {
  if (!isRecord(raw) || raw.format !== FORMAT || raw.name !== name) {
    return { problem: 'the stored snapshot is not a snapshot of this department' };
  }
  const config = readConfig(raw.config);
  if (config === null || typeof raw.rules !== 'string' || raw.rules.length === 0) {
    return { problem: 'the stored snapshot has no rules or configuration' };
  }
  if (![raw.seq, raw.generation, raw.lastActivity, raw.lastTs].every(isCount) || raw.seq === 0 || typeof raw.asleep !== 'boolean') {
    return { problem: 'the stored snapshot is damaged' };
  }
  // Snapshots of earlier releases have no pending configuration, no refusals, and their Machine
  // runs the record's configuration.
  const pending = raw.pending == null ? null : readConfig(raw.pending);
  const effective = raw.effective == null ? config : readConfig(raw.effective);
  const refusals = raw.refusals ?? [];
  if ((pending === null && raw.pending != null) || effective === null) return { problem: 'the stored snapshot\'s pending configuration is damaged' };
  const span = effective.maxNumber - effective.minNumber + 1;
  const queue = fromRuns(raw.queue, Math.min(span, 2 ** 32));
  // With a desk (tickets at counters, groups, tickets transferred in from other ranges) the queue
  // is only what it lists; without one, the queue is the whole state and lies in the range.
  if (raw.desk !== undefined ? queue === null || !isDesk(raw.desk, queue)
    : queue === null || queue.some((n) => n < effective.minNumber || n > effective.maxNumber)) {
    return { problem: 'the stored snapshot\'s queue is damaged' };
  }
  if (raw.transfers !== undefined && !isTransfers(raw.transfers)) return { problem: 'the stored snapshot\'s transfers are damaged' };
  if (!checkRecord(raw.record)) return { problem: 'the stored snapshot\'s record is damaged' };
  if (!Array.isArray(refusals) || refusals.length > MAX_REFUSALS || !refusals.every(isRefusal)) {
    return { problem: 'the stored snapshot\'s refusals are damaged' };
  }
  // Snapshots of earlier releases have no openings (undefined: the department schedules them).
  if (![raw.nextOpening, raw.lastOpening].every((t) => t === undefined || t === null || isCount(t))) {
    return { problem: 'the stored snapshot\'s opening times are damaged' };
  }
  return { snapshot: { ...raw, config, pending, effective, queue, refusals } };
}
