// A department: the package's Machine applied to an ordered log of operations. Both logs feed
// it: the windows of one browser (js/shared/host.js, the lock holder ordering operations and
// stamping them with its clock) and the devices of a hub (js/hub/machine.js, every device
// applying the stream in stream order, stamped with the hub's clock). Whoever feeds the same
// operations in the same order gets the same numbers, refusals, idle shutdowns and record. No
// transport here: it is fed plain operations, so tests drive it directly.
//
// What it decides with, besides the Machine (the only code that hands out numbers):
// - Time is the log's: each operation's timestamp (kept monotonic), never a reader's clock. An
//   operation that arrives more than the timeout after the last activity first switches the
//   department off, at last activity + timeout; a `tick` asks only that. So the Machine itself
//   never idles (its timeout is Infinity here): one clock decides, on every reader alike.
// - The record says which rules and configuration decide it. The first operation of a
//   department sets them; an operation of other rules or configuration is refused (it changes
//   nothing), except where its effect does not depend on what came before: a staff reset, or
//   any waking operation while the department is switched off. Such an operation starts the
//   department over under its own rules ("a switch"); rules only ever move to newer versions.
//   (In one browser there is one writer at a time, so every operation carries the writer's own.)
// - What the record's rules and configuration are, whether it is switched off and when it was
//   last active need no rules to follow, so every reader tracks them (the "shadow" part). Only
//   a reader whose rules and configuration are the record's also keeps the queue and the
//   application's record (it is "current"); the others wait with status needs-update.
import { ERRORS, ok, failed } from './errors.js';
import { OPS, perform, applyEvent } from './operations.js';
import { sameConfig, describeConfig } from './options.js';

/**
 * Whether rules `a` are newer than rules `b`: both `major.minor.patch` (anything after is
 * ignored), compared as numbers. Rules that are not versions are never newer.
 */
export function newer(a, b) {
  const pa = /^(\d+)\.(\d+)\.(\d+)/.exec(a);
  const pb = /^(\d+)\.(\d+)\.(\d+)/.exec(b ?? '');
  if (!pa || !pb) return false;
  for (let i = 1; i <= 3; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0) return d > 0;
  }
  return false;
}

export class Department {
  #own; // { rules, config } of this reader
  #Machine;
  #hooks;

  // Followed by every reader.
  #seq = 0; // the log's sequence number of the last operation applied
  #rules = null; // the record's rules, null before its first operation
  #config = null; // the record's configuration
  #generation = 0; // grows with every switch
  #asleep = false;
  #lastActivity = 0; // the log's ms, 0 before the first activity
  #lastTs = 0;

  // Kept while current only.
  #machine = null;
  #queue = [];
  #record;
  #dirty = false; // the queue may have changed since it was last read from the Machine
  #changes = 0;

  /**
   * @param own      { rules, config }: this reader's rules and configuration
   * @param Machine  the package's Machine class
   * @param record   { initial, apply, check }: the application's part of the record
   */
  constructor({ own, Machine, record }) {
    this.#own = own;
    this.#Machine = Machine;
    this.#hooks = record;
    this.#record = record.initial();
  }

  /**
   * Starts from a stored state (`{ seq, rules, config, generation, asleep, lastActivity, lastTs,
   * queue, record }`, checked by the log that stored it); throws a MachineError if the Machine
   * refuses its queue.
   */
  restore(snapshot) {
    this.#seq = snapshot.seq;
    this.#rules = snapshot.rules;
    this.#config = snapshot.config;
    this.#generation = snapshot.generation;
    this.#asleep = snapshot.asleep;
    this.#lastActivity = snapshot.lastActivity;
    this.#lastTs = snapshot.lastTs;
    this.#record = snapshot.record;
    this.#queue = snapshot.asleep ? [] : snapshot.queue;
    this.#drop();
    if (this.current && !snapshot.asleep) this.#boot(snapshot.queue);
  }

  /** The log's sequence number of the last operation applied (0: none yet). */
  get seq() {
    return this.#seq;
  }

  /** Whether this reader's rules and configuration are the record's, so it keeps the queue. */
  get current() {
    return this.#rules === null || (this.#rules === this.#own.rules && sameConfig(this.#config, this.#own.config));
  }

  /** Why this reader cannot follow the record: null, 'needs_update' or 'configuration_mismatch'. */
  get mismatch() {
    if (this.current) return null;
    return this.#rules !== this.#own.rules ? 'needs_update' : 'configuration_mismatch';
  }

  /** Whether an operation of this reader could ever be admitted (it may switch the record). */
  get canPublish() {
    return this.current || newer(this.#own.rules, this.#rules) || this.#rules === this.#own.rules;
  }

  /** When the department will be idle for its timeout (the log's ms), or null if never / switched off. */
  get idleDeadline() {
    const timeout = this.#config?.autoShutdownTimeout ?? Infinity;
    if (this.#asleep || this.#lastActivity === 0 || !Number.isFinite(timeout)) return null;
    return this.#lastActivity + timeout;
  }

  get generation() {
    return this.#generation;
  }

  /**
   * Applies one operation of the log: `{ seq, ts, operation }`, `operation` being `{ kind, rules,
   * config, arg, data }` or `{ problem }` (a hub message that is not an operation). Returns its
   * outcome (`{ ok, value }` / `{ ok: false, code, message }`), or null when this reader cannot
   * know it (it is not current).
   */
  async apply({ seq, ts, operation }) {
    this.#seq = seq;
    const at = Math.max(Math.floor(ts), this.#lastTs);
    this.#lastTs = at;
    if (operation.problem) return failed('invalid_argument', operation.problem);
    const { kind } = operation;

    // A tick only asks the log's clock; whoever sends it, it is admitted and switches nothing.
    if (kind !== 'tick') {
      if (this.#rules === null || this.#canSwitch(operation, at)) {
        this.#switch(operation);
      } else if (operation.rules !== this.#rules || !sameConfig(operation.config, this.#config)) {
        const code = operation.rules !== this.#rules ? 'needs_update' : 'configuration_mismatch';
        return failed(code, `${ERRORS[code]} (the record runs rules ${this.#rules} with ${describeConfig(this.#config)})`);
      }
    }

    const timeout = this.#config?.autoShutdownTimeout ?? Infinity;
    if (!this.#asleep && this.#lastActivity > 0 && at - this.#lastActivity > timeout) {
      this.#sleep(this.#lastActivity + timeout);
    }
    if (kind === 'tick') return ok(undefined);
    if (this.#asleep && OPS[kind].wakes) this.#wake(at);
    if (!this.#asleep) this.#lastActivity = at;
    if (!this.current) return null;
    return this.#decide(operation, at);
  }

  /** Reads the queue back from the Machine if it may have changed (once per batch of operations). */
  async refresh() {
    if (!this.#dirty) return;
    this.#dirty = false;
    this.#queue = this.#machine === null ? [] : (await this.#machine.reportState()).queue;
  }

  /** What the page shows (call refresh() first). Record and queue are the last known when not current. */
  view(notices) {
    const config = this.#config ?? this.#own.config;
    return {
      seq: this.#seq,
      epoch: this.#generation,
      asleep: this.#asleep,
      queue: [...this.#queue],
      record: this.#record,
      notices,
      minNumber: config.minNumber,
      maxNumber: config.maxNumber,
      autoShutdownTimeout: config.autoShutdownTimeout,
      lastActivity: this.#lastActivity,
      rules: this.#rules,
    };
  }

  /**
   * What a log stores to restore() from later (call refresh() first); null when this reader is
   * not current, or before the first operation.
   */
  stored() {
    if (!this.current || this.#rules === null) return null;
    return {
      seq: this.#seq,
      rules: this.#rules,
      config: this.#config,
      generation: this.#generation,
      asleep: this.#asleep,
      lastActivity: this.#lastActivity,
      lastTs: this.#lastTs,
      queue: [...this.#queue],
      record: this.#record,
    };
  }

  /** Counts the events applied to the record: a log writes after a batch that changed it. */
  get changes() {
    return this.#changes;
  }

  /** Lets the Machine go (the reader stops following the department). */
  close() {
    this.#drop();
  }

  // --- Inside ------------------------------------------------------------------------------

  /**
   * Whether `operation`, of other rules or configuration than the record's, starts the record
   * over under its own: its effect must not depend on the state it replaces (a reset, or a
   * waking operation while switched off), and rules never go back to an older version.
   */
  #canSwitch(operation, at) {
    const sameRules = operation.rules === this.#rules;
    if (sameRules && sameConfig(operation.config, this.#config)) return false;
    if (!sameRules && !newer(operation.rules, this.#rules)) return false;
    if (operation.kind === 'reset') return true;
    const timeout = this.#config.autoShutdownTimeout;
    const idle = this.#asleep || (this.#lastActivity > 0 && at - this.#lastActivity > timeout);
    return idle && OPS[operation.kind].wakes;
  }

  /** The record starts over under the operation's rules and configuration. */
  #switch({ rules, config }) {
    this.#rules = rules;
    this.#config = config;
    this.#generation += 1;
    this.#asleep = false;
    this.#lastActivity = 0;
    this.#record = this.#hooks.initial();
    this.#queue = [];
    this.#drop();
    if (this.current) this.#boot([]);
  }

  #sleep(at) {
    this.#asleep = true;
    this.#drop();
    this.#queue = [];
    this.#event({ type: 'shutdown', at });
  }

  #wake(at) {
    this.#asleep = false;
    this.#queue = [];
    this.#drop();
    if (this.current) this.#boot([]);
    this.#event({ type: 'wake', at });
  }

  #boot(queue) {
    // The log's clock decides idle shutdowns (apply), so the Machine itself never idles.
    const { minNumber, maxNumber } = this.#config ?? this.#own.config;
    this.#machine = new this.#Machine({ minNumber, maxNumber, autoShutdownTimeout: Infinity, queue });
  }

  #drop() {
    const machine = this.#machine;
    this.#machine = null;
    this.#dirty = true;
    // Calls still pending are answered before the memory goes (Machine.free()).
    machine?.free();
  }

  #event(event) {
    this.#changes += 1;
    if (this.current) this.#record = applyEvent(this.#hooks, this.#record, event);
  }

  async #decide({ kind, arg, data }, at) {
    this.#dirty = true;
    const { outcome, event } = await perform(this.#machine, kind, arg, data, at);
    if (event !== null) this.#event(event);
    return outcome;
  }
}
