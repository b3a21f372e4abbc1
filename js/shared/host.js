// The host: the one writer of a department's log in one browser, in whichever window holds the
// leader lock.
//
// It orders the requests of every window, stamps each with its clock, and applies them to the
// department (js/engine/department.js, the same engine a hub's devices apply the stream with)
// one batch at a time: apply, write the new snapshot, and only once it has committed, publish
// the new state and answer. So an answer a window has seen is always in the stored record, and a
// window that takes over hosting continues from it exactly (see snapshot.js for what else the
// record holds to make that so). Idle shutdowns and daily openings are the engine's too: the host
// only asks, with a tick just after the deadline, so a takeover carries the idle time over by
// itself.
import { reply, stateMessage, leader } from './protocol.js';
import { FORMAT, empty, check, CLIENT_TTL_MS, MAX_CLIENTS } from './snapshot.js';
import { MemoryStore } from './store.js';
import { Department } from '../engine/department.js';
import { validArg } from '../engine/operations.js';
import { ok, failed } from '../engine/errors.js';
import { sameSettings, checkConfig } from '../engine/options.js';
import { withNotice } from '../engine/notices.js';
import { longTimeout } from '../engine/timers.js';
import { openingAfter } from '../engine/opening.js';

/** The rules every operation of this log carries: one writer at a time, so never another's. */
const RULES = 'browser';

export class Host {
  #name;
  #config;
  #Machine;
  #store;
  #record;
  #seed;
  #post;
  #now;
  #timers;

  #department = null;
  #seq = 0; // grows with every change windows see
  #epoch = 0; // grows with every takeover
  #notices = [];
  #clients = new Map(); // id -> { applied, seen, results: Map(seq -> outcome) }
  #inbox = [];
  #pumping = false;
  #closed = false;
  #started = false; // requests wait in the inbox until the record is loaded
  #cancelIdle = () => {};

  /**
   * @param name     the machine's name (the department)
   * @param config   () => { minNumber, maxNumber, autoShutdownTimeout, opening? }: this window's, already
   *                 checked. It starts a record that has none, and a record of another
   *                 configuration is reconfigured to it when this window takes over: the
   *                 windows of one browser share the facility's settings (www/js/model/).
   * @param Machine  the package's Machine class
   * @param store    where snapshots live (store.js)
   * @param record   { initial, apply, check }: the application's part of the record
   * @param seed     () => { queue, record, notice, commit } | null: state to start from when
   *                 nothing is stored yet (the kiosk's saves of earlier versions)
   * @param post     sends a protocol message to every window
   */
  constructor({ name, config, Machine, store, record, seed, post, now = Date.now, timers = globalThis }) {
    this.#name = name;
    this.#config = config;
    this.#Machine = Machine;
    this.#store = store;
    this.#record = record;
    this.#seed = seed;
    this.#post = post;
    this.#now = now;
    this.#timers = timers;
  }

  /** Loads the stored record, starts the department from it, and announces this host. */
  async start() {
    const at = this.#now();
    const { snapshot, seeded } = await this.#load(at);
    this.#seq = snapshot.seq + 1;
    this.#epoch = snapshot.epoch + 1;
    this.#notices = snapshot.notices;
    for (const { id, applied, seen, results } of snapshot.clients) {
      this.#clients.set(id, { applied, seen, results: new Map(results) });
    }
    const department = this.#restore(snapshot, at);
    // Switched off, or opened for the day, while nobody hosted it (every window, or the browser,
    // was closed) if its idle time ran out or its opening came meanwhile: the engine says so, at
    // the time it would have happened.
    if (department.deadline !== null && at > department.deadline) await this.#operate(department, 'tick');
    // Started by a window of another configuration (config.json was edited since): this one's
    // applies, as a manager's would, at once or once the waiting tickets are served.
    // (The record's own configuration and pending one, queue rules, opening and all: the view's
    // `pending` is null once the Machine runs it, which a configuration still to settle may be.)
    const { config, pending } = department.stored();
    const own = this.#config();
    if (!sameSettings(own, config) && !sameSettings(own, pending)) {
      await this.#operate(department, 'configure', undefined, undefined, own);
    }
    await department.refresh();
    if (this.#closed) {
      department.close();
      return;
    }
    // From here to the first publish nothing awaits, so no hello is answered half-way. The
    // windows may show the state at once: it is the stored one (or, where time has passed, one
    // every next host would derive from it alike), so nothing shown can be lost. Requests are
    // answered only once the new epoch is written, as every answer after a write.
    this.#department = department;
    this.#post(leader(this.#epoch));
    this.#publish();
    await this.#save();
    seeded?.commit?.();
    if (this.#closed) return;
    this.#started = true;
    this.#armIdle();
    this.#pump();
  }

  /** A request or hello from a window (already checked by protocol.parse). */
  receive(message) {
    if (this.#closed) return;
    if (message.kind === 'hello') {
      // Answered as soon as there is a state to show: before the host's start-up write, too.
      if (this.#department !== null) this.#publish();
      return;
    }
    this.#inbox.push(message);
    this.#pump();
  }

  /** This window stops hosting (it is closing, or its client was closed). */
  close() {
    this.#closed = true;
    this.#cancelIdle();
    this.#department?.close();
  }

  /** The state windows see: what is in the record, minus the bookkeeping. */
  view() {
    const {
      asleep, queue, desk, transfers, record, minNumber, maxNumber, autoShutdownTimeout, lastActivity, pending, refusals, opening, nextOpening, lastOpening,
    } = this.#department.view(this.#notices);
    return {
      seq: this.#seq, epoch: this.#epoch, asleep, queue, desk, transfers, record, notices: this.#notices, minNumber, maxNumber, autoShutdownTimeout,
      lastActivity, pending, refusals, opening, nextOpening, lastOpening,
    };
  }

  // --- Starting ----------------------------------------------------------------------------

  /** The stored snapshot (or a seed, or an empty one), with notices for what could not be used. */
  async #load(at) {
    let snapshot = { ...empty(this.#name, this.#config(), this.#record.initial()), config: this.#config() };
    const notice = (text) => { snapshot.notices = withNotice(snapshot.notices, text, at); };
    let raw;
    try {
      raw = await this.#store.load(this.#name);
    } catch (error) {
      // Storage refused (disabled, or private mode in some browsers): keep working from memory,
      // and say that nothing is being saved.
      this.#store = new MemoryStore();
      notice(`tickets cannot be saved in this browser (${error?.name ?? error})`);
    }
    let seeded = null;
    if (raw === undefined) {
      seeded = this.#seed?.() ?? null;
      if (seeded?.notice) notice(seeded.notice);
      if (seeded?.queue) snapshot = { ...snapshot, queue: seeded.queue, record: seeded.record ?? snapshot.record, lastActivity: at };
    } else {
      const checked = check(raw, this.#name, this.#record.check);
      if (checked.snapshot) snapshot = checked.snapshot;
      else notice(`${checked.problem}. Started with an empty queue.`);
    }
    return { snapshot, seeded };
  }

  /** The department as the snapshot left it; empty, with a notice, if the Machine refuses its queue. */
  #restore(snapshot, at) {
    const department = new Department({ own: { rules: RULES, config: this.#config() }, Machine: this.#Machine, record: this.#record });
    const { config, pending, refusals, asleep, lastActivity, queue, desk, transfers, record, lastOpening = null } = snapshot;
    // A new record, or a save of an earlier release: its first opening is the next from now.
    const nextOpening = snapshot.nextOpening ?? openingAfter(config.opening, at, lastOpening);
    const state = {
      seq: 0, rules: RULES, config, pending, refusals, generation: 0, asleep, lastActivity, lastTs: lastActivity, queue, desk, transfers, record,
      nextOpening, lastOpening,
    };
    try {
      department.restore(state);
    } catch (error) {
      department.restore({ ...state, queue: [], desk: undefined, record: this.#record.initial() });
      this.#notices = withNotice(this.#notices, `the saved tickets could not be restored (${error.code ?? error.message}). Started with an empty queue.`, at);
    }
    return department;
  }

  /** Asks the engine, just after the department's deadline, whether it has idled out or opened. */
  #armIdle() {
    this.#cancelIdle();
    const deadline = this.#department.deadline;
    if (deadline === null || this.#closed) return;
    this.#cancelIdle = longTimeout(this.#timers, Math.max(0, deadline + 1 - this.#now()), () => {
      this.#inbox.push({ kind: 'tick' });
      this.#pump();
    });
  }

  // --- Applying requests -------------------------------------------------------------------

  async #pump() {
    if (this.#pumping || !this.#started) return;
    this.#pumping = true;
    try {
      while (this.#inbox.length > 0 && !this.#closed) {
        await this.#process(this.#inbox.splice(0));
      }
    } finally {
      this.#pumping = false;
    }
  }

  async #process(batch) {
    const department = this.#department;
    const changes = department.changes;
    const replies = [];
    for (const message of batch) {
      if (message.kind === 'tick') {
        await this.#operate(department, 'tick');
        continue;
      }
      const answered = this.#answered(message);
      if (answered !== undefined) {
        if (answered !== null) replies.push(reply(message.client, message.seq, answered));
        continue;
      }
      const outcome = await this.#request(department, message);
      const entry = this.#clients.get(message.client);
      entry.applied = message.seq;
      entry.results.set(message.seq, outcome);
      replies.push(reply(message.client, message.seq, outcome));
    }
    if (this.#closed) return; // handed over meanwhile: the next host answers the retries
    if (department.changes !== changes) {
      await department.refresh();
      this.#seq += 1;
      await this.#save();
      if (this.#closed) return;
      this.#publish();
    }
    for (const message of replies) this.#post(message);
    this.#armIdle();
  }

  /**
   * Whether `message` was dealt with already: its earlier answer, null to drop it (out of
   * order: the client resends everything from its oldest unanswered request), or undefined
   * to apply it now. Each client's requests apply once each, in the order it made them.
   */
  #answered(message) {
    const { client, seq, ack } = message;
    let entry = this.#clients.get(client);
    if (entry === undefined) {
      // A client new to this record. Only its oldest unanswered request may start it, so that
      // a later request overtaking an earlier one (lost with a previous host) waits for it.
      if (seq !== ack) return null;
      entry = { applied: seq - 1, seen: 0, results: new Map() };
      this.#clients.set(client, entry);
    }
    entry.seen = this.#now();
    for (const done of entry.results.keys()) if (done < ack) entry.results.delete(done);
    if (seq <= entry.applied) return entry.results.get(seq) ?? null;
    return seq === entry.applied + 1 ? undefined : null;
  }

  /** A window's request as an operation of the log. The wire's shapes are protocol.js's. */
  async #request(department, { op, arg, data, config }) {
    switch (op) {
      case 'report': {
        // A read counts as activity, as a call to a Machine of one's own does; it wakes nothing.
        const outcome = await this.#operate(department, 'send', undefined, undefined, config);
        if (!outcome.ok) return outcome;
        await department.refresh();
        const { minNumber, maxNumber, queue, autoShutdownTimeout } = department.view([]);
        return ok({ minNumber, maxNumber, queue, autoShutdownTimeout });
      }
      case 'send':
        return this.#operate(department, 'send', undefined, undefined, config);
      case 'note':
        return this.#operate(department, 'note', undefined, arg, config);
      case 'configure': {
        // The configuration to set travels as the argument; the request's own is the window's.
        let wanted;
        try {
          wanted = checkConfig(arg);
        } catch (error) {
          return failed('invalid_argument', error.message);
        }
        return this.#operate(department, 'configure', undefined, undefined, wanted);
      }
      default:
        // What a hub's parser refuses (js/hub/protocol.js), a host refuses too.
        if (!validArg(op === 'serve' && arg !== undefined ? 'priority' : op, arg)) {
          return failed('invalid_argument', `invalid argument for ${op}`);
        }
        return this.#operate(department, op, arg, data, config);
    }
  }

  /**
   * Applies operation `kind` now, with the rules of this log and `config`, the configuration
   * the window that asked declares (the engine refuses one that is not the record's).
   */
  #operate(department, kind, arg, data, config = this.#config()) {
    const operation = { kind, rules: RULES, config, arg, data };
    return department.apply({ seq: department.seq + 1, ts: this.#now(), operation });
  }

  // --- Writing and telling -----------------------------------------------------------------

  async #save() {
    const now = this.#now();
    const clients = [...this.#clients]
      .filter(([, entry]) => now - entry.seen < CLIENT_TTL_MS || entry.seen === 0)
      .sort(([, a], [, b]) => b.seen - a.seen)
      .slice(0, MAX_CLIENTS);
    this.#clients = new Map(clients);
    const { config, pending, refusals, asleep, queue, record, lastActivity, nextOpening, lastOpening } = this.#department.view(this.#notices);
    const { desk, transfers, effective } = this.#department.stored() ?? {};
    const snapshot = {
      format: FORMAT,
      name: this.#name,
      // The range and any queue rules the Machine runs (a change it runs already is saved as
      // made), the record's timeout; queue rules only where they are not the exercise's, so a
      // release before them reads the save alike.
      ...(effective ?? config),
      autoShutdownTimeout: config.autoShutdownTimeout,
      opening: config.opening ?? null,
      seq: this.#seq,
      epoch: this.#epoch,
      asleep,
      queue,
      ...(desk ? { desk } : {}),
      ...(transfers ? { transfers } : {}),
      lastActivity,
      record,
      notices: this.#notices,
      pending,
      refusals,
      nextOpening,
      lastOpening,
      clients: clients.map(([id, { applied, seen, results }]) => ({ id, applied, seen, results: [...results] })),
    };
    try {
      await this.#store.save(this.#name, snapshot);
    } catch (error) {
      // The kiosk keeps working, but staff must know that a reload may lose tickets.
      this.#notices = withNotice(this.#notices, `tickets could not be saved (${error?.name ?? error})`, now);
    }
  }

  #publish() {
    this.#post(stateMessage(this.view()));
  }
}
