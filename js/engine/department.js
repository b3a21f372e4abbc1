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
//   never idles (its timeout is Infinity here): one clock decides, on every reader alike. The
//   daily opening of a configuration that has one (opening.js) is decided the same way: any
//   operation at or after it first starts the day, as of the opening's time, and a tick asks.
// - Who decides the record's rules and configuration is the role an operation needs, never
//   whoever publishes first. On a hub the role is the hub's to check (the kind is the subject's
//   last token, and hub/accounts.conf says who may publish which), so a kiosk's credentials,
//   which sit on a public touch screen, can change neither:
//   - `configure` (manager) alone sets the configuration: the first one sets the rules too; a
//     department never configured refuses everything else (`not_configured`). A range the
//     waiting tickets do not fit waits ("pending") until the queue is empty, reset or switched
//     off; the figures carry on through a change.
//   - Newer rules take over only with a staff operation that does not depend on the old state:
//     a reset, or a waking staff operation while the department is switched off. Kiosk
//     operations never switch anything.
//   - `reclaim` (staff) starts the department over under the sender's rules, older ones too:
//     staff can always bring a department back into service, whatever rules it was given.
//   - Any other operation must declare the record's rules and its configuration (or the
//     pending one); otherwise it is refused, changes nothing, and is listed in `refusals`.
// - What the record's rules and configuration are, whether it is switched off and when it was
//   last active need no rules to follow, so every reader tracks them (the "shadow" part). Only
//   a reader whose rules are the record's also keeps the queue and the application's record (it
//   is "current"); the others wait with status needs-update.
import { ERRORS, ok, failed } from './errors.js';
import { OPS, perform, applyEvent, switches } from './operations.js';
import { sameConfig, sameDeclared, sameList, describeConfig, wireConfig, rulesOf } from './options.js';
import { isRecord } from './values.js';
import { openingAfter } from './opening.js';

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

/** Whether a Machine of configuration `a` runs as one of `b` (the idle timeout is the log's business). */
const sameMachine = (a, b) => sameConfig({ ...a, autoShutdownTimeout: 0 }, { ...b, autoShutdownTimeout: 0 });

/** The Machine's options for configuration `config` (its range and queue rules). */
const machineOptions = (config) => {
  const { groups, order, weights, placement, callsBeforeNoShow } = rulesOf(config);
  const options = { minNumber: config.minNumber, maxNumber: config.maxNumber, autoShutdownTimeout: Infinity, groups, order, placement, callsBeforeNoShow };
  return weights === null ? options : { ...options, weights };
};

/** What a department with nobody at its counters reports (before its Machine has said). */
const EMPTY_DESK = Object.freeze({ waiting: [], serving: [], parked: [], nextGroup: null });

/**
 * Whether `desk` has the shape of a department as the Machine reports it (`{ waiting, serving,
 * parked, credits, now }`) and waits as `queue` says: the Machine checks the rest when it
 * restores it. (Its numbers need not lie in the range: a ticket transferred in keeps its own.)
 */
export const isDesk = (desk, queue) => isRecord(desk) && ['waiting', 'serving', 'parked', 'credits'].every((key) => Array.isArray(desk[key]))
  && [...desk.waiting, ...desk.serving, ...desk.parked].every(isRecord) && desk.credits.every(Number.isSafeInteger)
  && Number.isSafeInteger(desk.now)
  && desk.waiting.length === queue.length && desk.waiting.every((ticket, i) => ticket.number === queue[i]);

/** Whether `transfers` has the shape Department.stored() gives them: `{ outbox: [entry], arrived: [[key, decision]] }`. */
export const isTransfers = (transfers) => isRecord(transfers) && Array.isArray(transfers.outbox) && Array.isArray(transfers.arrived)
  && transfers.outbox.every((e) => isRecord(e) && typeof e.key === 'string' && Number.isSafeInteger(e.number) && Number.isSafeInteger(e.taken)
    && typeof e.to === 'string' && Number.isSafeInteger(e.at))
  && transfers.arrived.every((a) => Array.isArray(a) && a.length === 2 && typeof a[0] === 'string' && isRecord(a[1])
    && typeof a[1].accepted === 'boolean' && Number.isSafeInteger(a[1].at));

/** How long a department remembers how a transfer to it was decided (the log's ms). */
export const ARRIVALS_KEPT_MS = 24 * 3600_000;

/** How many refused operations a department lists (the latest first). */
export const MAX_REFUSALS = 10;

export class Department {
  #own; // { rules, config } of this reader
  #Machine;
  #hooks;

  // Followed by every reader.
  #seq = 0; // the log's sequence number of the last operation applied
  #rules = null; // the record's rules, null before its first `configure`
  #config = null; // the record's configuration
  #pending = null; // a configuration of another range, waiting for the queue to empty
  #generation = 0; // grows with every switch
  #asleep = false;
  #lastActivity = 0; // the log's ms, 0 before the first activity
  #lastTs = 0;
  #refusals = [];
  #nextOpening = null; // the log's ms of the next daily opening, null without one
  #lastOpening = null; // the log's ms of the last one passed

  // Kept while current only.
  #machine = null;
  #queue = [];
  #desk = EMPTY_DESK; // the Machine's reportDepartment(): groups' lines, counters, parked
  #outbox = []; // tickets transferred out and not yet settled: { key, number, group, taken, to, at }
  #arrived = new Map(); // key -> { accepted, at }: how each ticket transferred in was decided
  #record;
  #effective = null; // the configuration the Machine runs: the pending one once the waiting tickets fit it
  #dirty = false; // the queue may have changed since it was last read from the Machine
  #changes = 0;

  /**
   * @param own      { rules, config }: this reader's rules and the configuration it declares
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
   * Starts from a stored state (`{ seq, rules, config, pending?, generation, asleep,
   * lastActivity, lastTs, queue, desk?, record, refusals? }`, checked by the log that stored it;
   * `desk` is the whole department as the Machine reported it, where it has more than a queue);
   * throws a MachineError if the Machine refuses its queue.
   */
  restore(snapshot) {
    this.#seq = snapshot.seq;
    this.#rules = snapshot.rules;
    this.#config = snapshot.config;
    this.#pending = snapshot.pending ?? null;
    this.#effective = snapshot.effective ?? snapshot.config;
    this.#generation = snapshot.generation;
    this.#asleep = snapshot.asleep;
    this.#lastActivity = snapshot.lastActivity;
    this.#lastTs = snapshot.lastTs;
    this.#record = snapshot.record;
    this.#refusals = snapshot.refusals ?? [];
    // Snapshots of earlier releases have no opening: one configured since is scheduled from here.
    this.#lastOpening = snapshot.lastOpening ?? null;
    this.#nextOpening = snapshot.nextOpening ?? openingAfter(snapshot.config?.opening, snapshot.lastTs, this.#lastOpening);
    this.#queue = snapshot.asleep ? [] : snapshot.queue;
    this.#outbox = snapshot.transfers?.outbox ?? [];
    this.#arrived = new Map(snapshot.transfers?.arrived ?? []);
    this.#drop();
    if (this.current && !snapshot.asleep) this.#boot(snapshot.desk ? { state: snapshot.desk } : { queue: snapshot.queue });
  }

  /** The configuration this reader declares in its operations (the facility's, as it knows it). */
  declare(config) {
    this.#own = { ...this.#own, config };
  }

  /** The log's sequence number of the last operation applied (0: none yet). */
  get seq() {
    return this.#seq;
  }

  /** Whether this reader runs the record's rules, so it keeps the queue. */
  get current() {
    return this.#rules !== null && this.#rules === this.#own.rules;
  }

  /** Why this reader cannot follow the record: null, 'not_configured' or 'needs_update'. */
  get mismatch() {
    if (this.#rules === null) return 'not_configured';
    return this.current ? null : 'needs_update';
  }

  /**
   * Whether an operation of this reader could be admitted at all. A reader of other rules can
   * still publish what may switch the record (a staff reset from a newer release, a reclaim)
   * and a configure, so it is not refused before the log decides.
   */
  get canPublish() {
    return this.current || this.#rules === null || newer(this.#own.rules, this.#rules);
  }

  /** When the department will be idle for its timeout (the log's ms), or null if never / switched off. */
  get idleDeadline() {
    const timeout = this.#config?.autoShutdownTimeout ?? Infinity;
    if (this.#asleep || this.#lastActivity === 0 || !Number.isFinite(timeout)) return null;
    return this.#lastActivity + timeout;
  }

  /**
   * When the log's clock next changes the department by itself, or null: its idle deadline, or
   * its next daily opening while it is switched on, whichever is first. What a tick asks about.
   */
  get deadline() {
    const opening = this.#asleep ? null : this.#nextOpening;
    const idle = this.idleDeadline;
    return idle === null || (opening !== null && opening < idle) ? opening : idle;
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
    await this.#passOpenings(at);

    const timeout = this.#config?.autoShutdownTimeout ?? Infinity;
    const idle = this.#asleep || (this.#lastActivity > 0 && at - this.#lastActivity > timeout);
    // A tick only asks the log's clock; whoever sends it, it is admitted and switches nothing.
    if (kind !== 'tick') {
      const refusal = this.#admit(operation, idle);
      if (refusal !== null) {
        this.#refuse(operation, at, refusal);
        return refusal;
      }
    }
    if (this.#rules === null) return ok(undefined); // a tick before any configuration

    if (!this.#asleep && this.#lastActivity > 0 && at - this.#lastActivity > timeout) {
      this.#sleep(this.#lastActivity + timeout);
    }
    if (kind === 'tick') return ok(undefined);
    if (this.#asleep && OPS[kind].wakes) this.#wake(at);
    if (!this.#asleep && kind !== 'configure') this.#lastActivity = at;
    if (kind === 'configure') return this.#configure(operation.config);
    // A reset empties the queue whatever the rules: every reader settles a pending range alike.
    if (kind === 'reset') this.#settle();
    if (!this.current) return null;
    const outcome = await this.#decide(operation, at);
    await this.#follow();
    return outcome;
  }

  /** Reads the queue back from the Machine if it may have changed (once per batch of operations). */
  async refresh() {
    if (!this.#dirty) return;
    this.#dirty = false;
    if (this.#machine === null) {
      this.#queue = [];
      this.#desk = EMPTY_DESK;
      return;
    }
    const { waiting, serving, parked, nextGroup, credits, now } = await this.#machine.reportDepartment();
    this.#queue = waiting.map((ticket) => ticket.number);
    this.#desk = { waiting, serving, parked, nextGroup, credits, now };
  }

  /**
   * What the page shows (call refresh() first). Record and queue are the last known when not
   * current. `at`: the log's time of the last operation applied (0 before the first). `pending`: the configuration that applies once the queue is empty, or null;
   * `refusals`: the latest operations refused, `{ at, kind, rules, config, code }`, latest first.
   */
  view(notices) {
    const config = this.#config ?? this.#own.config;
    const range = (this.current ? this.#effective : null) ?? config;
    const target = this.#pending ?? config;
    return {
      seq: this.#seq,
      epoch: this.#generation,
      asleep: this.#asleep,
      queue: [...this.#queue],
      desk: this.#view(),
      transfers: this.#transfers(),
      record: this.#record,
      notices,
      minNumber: range.minNumber,
      maxNumber: range.maxNumber,
      autoShutdownTimeout: config.autoShutdownTimeout,
      config,
      lastActivity: this.#lastActivity,
      at: this.#lastTs,
      rules: this.#rules,
      pending: sameMachine(range, target) ? null : target,
      refusals: this.#refusals,
      opening: config.opening ?? null,
      nextOpening: this.#nextOpening,
      lastOpening: this.#lastOpening,
    };
  }

  /**
   * What a log stores to restore() from later (call refresh() first); null when this reader is
   * not current, or before the first operation.
   */
  stored() {
    if (!this.current) return null;
    return {
      seq: this.#seq,
      rules: this.#rules,
      config: this.#config,
      pending: this.#pending,
      effective: this.#effective,
      generation: this.#generation,
      asleep: this.#asleep,
      lastActivity: this.#lastActivity,
      lastTs: this.#lastTs,
      queue: [...this.#queue],
      ...(this.#plain() ? {} : { desk: this.#desk }),
      ...(this.#outbox.length === 0 && this.#arrived.size === 0 ? {} : { transfers: this.#transfers() }),
      record: this.#record,
      refusals: this.#refusals,
      nextOpening: this.#nextOpening,
      lastOpening: this.#lastOpening,
    };
  }

  /** Tickets on their way out, and how tickets sent here were decided (js/engine/transfers.js). */
  #transfers() {
    return { outbox: this.#outbox.map((entry) => ({ ...entry })), arrived: [...this.#arrived].map(([key, value]) => [key, { ...value }]) };
  }

  /** Who waits in which group, who is at which counter, who is parked, and the group served next. */
  #view() {
    const { waiting, serving, parked, nextGroup } = this.#desk;
    return { waiting, serving, parked, nextGroup };
  }

  /**
   * Whether the department's state is the exercise's queue alone, which `queue` stores: then a
   * stored state keeps the shape (and size) it had before the queue rules.
   */
  #plain() {
    const { waiting, serving, parked } = this.#desk;
    return serving.length === 0 && parked.length === 0 && rulesOf(this.#effective ?? {}).groups.length === 1
      && waiting.every((t) => t.stamp === 0 && t.taken === 0);
  }

  /** Counts the changes a log must store: a log writes after a batch that changed it. */
  get changes() {
    return this.#changes;
  }

  /** Lets the Machine go (the reader stops following the department). */
  close() {
    this.#drop();
  }

  // --- Inside ------------------------------------------------------------------------------

  /**
   * Null if `operation` may apply, or the refusal: it may change the record's rules only as the
   * role its kind needs allows (see the header), and must otherwise match the record.
   */
  #admit({ kind, rules, config }, idle) {
    const refuse = (code, why) => failed(code, `${ERRORS[code]} (${why})`);
    if (kind === 'configure') {
      if (this.#rules === null) {
        this.#switch(rules, config);
        return null;
      }
      return rules === this.#rules ? null
        : refuse('needs_update', `the record runs rules ${this.#rules}, the configuration was sent with ${rules}`);
    }
    if (this.#rules === null) return refuse('not_configured', 'no configuration has been saved for it yet');
    if (kind === 'reclaim') {
      this.#switch(rules, this.#pending ?? this.#config);
      return null;
    }
    const staff = OPS[kind].role !== 'kiosk';
    const switching = rules !== this.#rules && staff && switches(kind) && newer(rules, this.#rules)
      && (kind === 'reset' || (idle && OPS[kind].wakes));
    if (rules !== this.#rules && !switching) {
      return refuse('needs_update', `the record runs rules ${this.#rules}, the operation declares ${rules}`);
    }
    // Checked before a switch: a refused operation changes nothing.
    if (!sameDeclared(config, this.#config) && !sameDeclared(config, this.#pending)) {
      return refuse('configuration_mismatch', `the record runs ${describeConfig(this.#config)}, the operation declares ${describeConfig(config)}`);
    }
    if (switching) this.#switch(rules, this.#pending ?? this.#config);
    return null;
  }

  /** Lists a refused operation, so staff can see what was tried (every reader lists the same). */
  #refuse({ kind, rules, config }, at, { code }) {
    const refusal = { at, kind, rules, config: config === undefined ? null : wireConfig(config), code };
    this.#refusals = [refusal, ...this.#refusals].slice(0, MAX_REFUSALS);
    this.#changes += 1;
  }

  /** The record starts over under `rules` and `config`: empty queue, empty application record. */
  #switch(rules, config) {
    this.#rules = rules;
    this.#use(config);
    this.#pending = null;
    this.#effective = config;
    this.#generation += 1;
    this.#asleep = false;
    this.#lastActivity = 0;
    this.#record = this.#hooks.initial();
    this.#queue = [];
    this.#changes += 1;
    this.#drop();
    if (this.current) this.#boot({});
  }

  /**
   * A manager's configuration. Of the same range and queue rules (or while switched off): at
   * once, on every reader. Of another range or other queue rules: pending, which every reader
   * accepts in operations besides the record's, and settles alike at the next reset, switch-off
   * or switch. Where the waiting tickets fit it, a current reader's Machine runs it at once
   * (#follow): only such a reader knows the queue, and only it answers.
   */
  async #configure(config) {
    this.#changes += 1;
    if (this.#asleep || sameMachine(config, this.#config)) {
      this.#use(config);
      this.#pending = null;
    } else {
      this.#pending = config;
    }
    if (!this.current) return null;
    const waiting = await this.#follow();
    return ok({ applied: sameMachine(this.#effective, this.#pending ?? this.#config), waiting });
  }

  /** The pending configuration becomes the record's (the queue is empty, or starts over). */
  #settle() {
    if (this.#pending === null) return;
    this.#use(this.#pending);
    this.#pending = null;
  }

  /**
   * Moves the Machine to the configuration every reader expects, if the waiting tickets fit
   * its range (the Machine decides: it refuses a queue outside its range). Returns how many
   * tickets wait.
   */
  async #follow() {
    const target = this.#pending ?? this.#config;
    if (this.#machine === null) {
      this.#effective = target;
      return 0;
    }
    const { waiting, serving, parked, credits, now } = await this.#machine.reportDepartment();
    if (sameMachine(this.#effective, target)) return waiting.length;
    // Its own numbers must fit the new range (numbers transferred in from elsewhere lie outside
    // any range), and its groups must have the tickets' groups: else the change waits.
    const own = (n) => n >= this.#effective.minNumber && n <= this.#effective.maxNumber;
    const fits = [...waiting, ...serving, ...parked].every(({ number: n }) => !own(n) || (n >= target.minNumber && n <= target.maxNumber));
    const state = { waiting, serving, parked, credits: sameList(rulesOf(target).weights, rulesOf(this.#effective).weights) ? credits : [], now };
    if (!fits || !this.#canBoot(target, state)) return waiting.length;
    this.#effective = target;
    this.#drop();
    this.#boot({ state });
    return waiting.length;
  }

  /** Whether a Machine of configuration `config` takes `state` (the Machine is the judge). */
  #canBoot(config, state) {
    try {
      new this.#Machine({ ...machineOptions(config), state }).free();
      return true;
    } catch {
      return false;
    }
  }

  #sleep(at) {
    this.#asleep = true;
    this.#drop();
    this.#queue = [];
    this.#settle();
    this.#effective = this.#config;
    this.#event({ type: 'shutdown', at });
  }

  #wake(at) {
    this.#asleep = false;
    this.#queue = [];
    this.#drop();
    if (this.current) this.#boot({});
    this.#event({ type: 'wake', at });
  }

  /** A Machine of the effective configuration, with `{ queue }` or `{ state }` (or nothing) restored. */
  #boot(restored) {
    // The log's clock decides idle shutdowns (apply), so the Machine itself never idles.
    this.#machine = new this.#Machine({ ...machineOptions(this.#effective), ...restored });
  }

  #drop() {
    const machine = this.#machine;
    this.#machine = null;
    this.#dirty = true;
    this.#desk = EMPTY_DESK;
    // Calls still pending are answered before the memory goes (Machine.free()).
    machine?.free();
  }

  #event(event) {
    this.#changes += 1;
    if (this.current) this.#record = applyEvent(this.#hooks, this.#record, event);
  }

  async #decide({ kind, arg, data }, at) {
    this.#dirty = true;
    this.#forget(at);
    if (kind === 'arrive') return this.#arrive(arg, data, at);
    if (kind === 'settle') return this.#settleTransfer(arg, at);
    const { outcome, event } = await perform(this.#machine, kind, arg, data, at);
    if (event !== null) this.#event(event);
    if (kind === 'transfer' && outcome.ok) {
      // Out of the queue and into the outbox, until the other department has decided.
      const { number, group, taken } = outcome.value;
      this.#outbox = [...this.#outbox, { key: arg.key, number, group, taken, to: arg.to, at }];
    }
    return outcome;
  }

  /**
   * A ticket sent here: queued the first time its key comes, and that decision is kept, so a
   * second arrival (another device carrying the same transfer) changes nothing. Resolves
   * `{ accepted, code? }`: a ticket this department cannot take (its number is in use here) is
   * refused, and goes back where it came from.
   */
  async #arrive(arg, data, at) {
    const decided = this.#arrived.get(arg.key);
    if (decided !== undefined) return ok({ accepted: decided.accepted, repeated: true });
    const { outcome, event } = await perform(this.#machine, 'arrive', arg, data, at);
    if (event !== null) this.#event(event);
    const accepted = outcome.ok;
    this.#arrived.set(arg.key, { accepted, at });
    this.#changes += 1;
    return ok(accepted ? { accepted } : { accepted, code: outcome.code });
  }

  /**
   * The other department's decision about a ticket sent from here: it leaves the outbox; if it
   * was refused, it comes back to its group's line (where this department places transfers).
   */
  async #settleTransfer({ key, accepted }, at) {
    const entry = this.#outbox.find((e) => e.key === key);
    if (entry === undefined) return ok({ settled: false });
    this.#outbox = this.#outbox.filter((e) => e !== entry);
    this.#changes += 1;
    if (accepted) return ok({ settled: true });
    const { number, group, taken, to } = entry;
    const back = await perform(this.#machine, 'arrive', { number, taken, group, from: to, key }, null, at);
    if (back.outcome.ok) {
      this.#event({ type: 'returned', number, group: back.event.group, taken, from: to, key, at });
      return ok({ settled: true, returned: true });
    }
    // Its number was handed out here again meanwhile: it stays in the outbox, for staff to see.
    this.#outbox = [...this.#outbox, { ...entry, stranded: true }];
    return ok({ settled: false, stranded: true });
  }

  /** Decisions about arrivals are kept a day of the log's time: long past any device that could still carry one. */
  #forget(at) {
    for (const [key, { at: decided }] of this.#arrived) {
      if (at - decided > ARRIVALS_KEPT_MS) {
        this.#arrived.delete(key);
        this.#changes += 1;
      }
    }
  }

  // --- Daily openings (opening.js) ---------------------------------------------------------

  /** The record's configuration is `config` from now on: its next opening follows it. */
  #use(config) {
    this.#config = config;
    this.#nextOpening = openingAfter(config.opening, this.#lastTs, this.#lastOpening);
  }

  /**
   * Passes each daily opening due by `at`, as of its own time, on every reader alike (an idle
   * shutdown due before one happens first, at its time). While switched on, `clear` empties the
   * queue as a reset does (the pending configuration settles with it) and the record gets `{ type:
   * 'reset', reason: 'opening', at }`; `keep` leaves the queue and the record gets `{ type:
   * 'opening', at }`. Switched off, there is nothing to start: it only passes. Neither is
   * activity, nor switches anything: builds that know no opening follow the same record's rules.
   */
  async #passOpenings(at) {
    while (this.#nextOpening !== null && this.#nextOpening <= at) {
      const due = this.#nextOpening;
      const idle = this.idleDeadline;
      if (idle !== null && idle < due) {
        this.#sleep(idle);
        continue;
      }
      this.#lastOpening = due;
      this.#changes += 1;
      if (!this.#asleep && this.#config.opening.waiting === 'keep') this.#event({ type: 'opening', at: due });
      else if (!this.#asleep) {
        this.#settle();
        if (this.current) {
          this.#dirty = true;
          this.#machine.resetState();
        }
        this.#event({ type: 'reset', reason: 'opening', at: due });
        if (this.current) await this.#follow();
      }
      this.#nextOpening = openingAfter(this.#config.opening, due, due);
    }
  }
}
