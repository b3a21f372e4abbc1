// The host: the one running Machine of a name, in whichever window holds the leader lock.
//
// It applies the requests of every window in one order, one batch at a time: apply each
// request to the Machine, write the new snapshot, and only once it has committed, publish the
// new state and answer. So an answer a window has seen is always in the stored record, and a
// window that takes over hosting continues from it exactly (see snapshot.js for what else the
// record holds to make that so).
import { wakes, reply, stateMessage, leader } from './protocol.js';
import { FORMAT, empty, check, CLIENT_TTL_MS, MAX_CLIENTS } from './snapshot.js';
import { MemoryStore } from './store.js';
import { ok, failed } from '../engine/errors.js';
import { perform, applyEvent } from '../engine/operations.js';
import { sameConfig, describeConfig } from '../engine/options.js';
import { withNotice } from '../engine/notices.js';
import { longTimeout } from '../engine/timers.js';

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

  #snapshot = null;
  #machine = null;
  #clients = new Map(); // id -> { applied, seen, results: Map(seq -> outcome) }
  #inbox = [];
  #pumping = false;
  #dirty = false; // the record changed since it was last written
  #closed = false;
  #started = false; // requests wait in the inbox until the record is loaded
  #cancelIdle = () => {};

  /**
   * @param name     the machine's name (the department)
   * @param config   { minNumber, maxNumber, autoShutdownTimeout }, already checked
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

  /** Loads the stored record, starts the Machine from it, and announces this host. */
  async start() {
    const at = this.#now();
    let snapshot = empty(this.#name, this.#config, this.#record.initial());
    let raw;
    try {
      raw = await this.#store.load(this.#name);
    } catch (error) {
      // Storage refused (disabled, or private mode in some browsers): keep working from memory,
      // and say that nothing is being saved.
      this.#store = new MemoryStore();
      snapshot.notices = withNotice(snapshot.notices, `tickets cannot be saved in this browser (${error?.name ?? error})`, at);
    }
    let seeded = null;
    if (raw === undefined) {
      seeded = this.#seed?.() ?? null;
      if (seeded?.notice) snapshot.notices = withNotice(snapshot.notices, seeded.notice, at);
      if (seeded?.queue) snapshot = { ...snapshot, queue: seeded.queue, record: seeded.record ?? snapshot.record, lastActivity: at };
    } else {
      const checked = check(raw, this.#name, this.#config, this.#record.check);
      if (checked.snapshot) snapshot = checked.snapshot;
      else snapshot.notices = withNotice(snapshot.notices, `${checked.problem}. Started with an empty queue.`, at);
    }
    this.#snapshot = { ...snapshot, epoch: snapshot.epoch + 1, seq: snapshot.seq + 1 };
    for (const { id, applied, seen, results } of this.#snapshot.clients) {
      this.#clients.set(id, { applied, seen, results: new Map(results) });
    }

    // From here to the first publish nothing awaits, so no hello is answered half-way.
    if (!this.#snapshot.asleep) this.#resume(at);
    // The windows may show the state at once: it is the stored one (or, where time has passed,
    // one every next host would derive from it alike), so nothing shown can be lost. Requests
    // are answered only once the new epoch is written, as every answer after a write.
    this.#post(leader(this.#snapshot.epoch));
    this.#publish();
    await this.#save();
    this.#dirty = false;
    seeded?.commit?.();
    if (this.#closed) return;
    this.#started = true;
    this.#pump();
  }

  /** A request or hello from a window (already checked by protocol.parse). */
  receive(message) {
    if (this.#closed) return;
    if (message.kind === 'hello') {
      // Answered as soon as there is a state to show: before the host's start-up write, too.
      if (this.#snapshot !== null) this.#publish();
      return;
    }
    this.#inbox.push(message);
    this.#pump();
  }

  /** This window stops hosting (it is closing, or its client was closed). */
  close() {
    this.#closed = true;
    this.#cancelIdle();
    const machine = this.#machine;
    this.#machine = null;
    if (machine?.alive) machine.stop('handover').catch(() => {});
  }

  /** The state windows see: what is in the record, minus the bookkeeping. */
  view() {
    const { seq, epoch, asleep, queue, record, notices, minNumber, maxNumber, autoShutdownTimeout, lastActivity } = this.#snapshot;
    return { seq, epoch, asleep, queue, record, notices, minNumber, maxNumber, autoShutdownTimeout, lastActivity };
  }

  // --- Starting ----------------------------------------------------------------------------

  /** Restores the Machine of a stored, awake record; or puts it to sleep if it idled out meanwhile. */
  #resume(at) {
    const snapshot = this.#snapshot;
    const timeout = this.#config.autoShutdownTimeout;
    const idle = snapshot.lastActivity > 0 ? at - snapshot.lastActivity : 0;
    if (idle >= timeout) {
      // The machine would have switched itself off while nobody hosted it (every window was
      // closed, or the browser was): it did, at the time it would have.
      this.#sleep(snapshot.lastActivity + timeout);
      return;
    }
    try {
      this.#boot(snapshot.queue);
    } catch (error) {
      this.#boot([]);
      this.#snapshot = {
        ...this.#snapshot,
        queue: [],
        record: this.#record.initial(),
        notices: withNotice(snapshot.notices, `the saved tickets could not be restored (${error.code ?? error.message}). Started with an empty queue.`, at),
      };
      return;
    }
    // A new Machine counts its idle timeout from now; the time already spent idle still counts.
    if (Number.isFinite(timeout) && idle > 0) this.#armIdleCarryOver(timeout - idle);
  }

  #boot(queue) {
    const machine = new this.#Machine({
      minNumber: this.#config.minNumber,
      maxNumber: this.#config.maxNumber,
      autoShutdownTimeout: this.#config.autoShutdownTimeout,
      queue,
    });
    this.#machine = machine;
    machine.exited.then(() => {
      if (this.#machine !== machine || this.#closed) return; // replaced, or handed over
      this.#inbox.push({ kind: 'exit', machine });
      this.#pump();
    });
  }

  /** Stops the Machine after `ms` unless something happens first (cancelled by any activity). */
  #armIdleCarryOver(ms) {
    const machine = this.#machine;
    this.#cancelIdle = longTimeout(this.#timers, Math.max(ms, 0), () => {
      if (this.#machine === machine) machine.stop('normal').catch(() => {});
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
    const replies = [];
    for (const message of batch) {
      if (message.kind === 'exit') {
        if (message.machine === this.#machine) {
          this.#machine = null;
          this.#sleep(this.#now());
        }
        continue;
      }
      if (!sameConfig(message.config, this.#config)) {
        replies.push(reply(message.client, message.seq, failed('configuration_mismatch',
          `this window has ${describeConfig(message.config)}, the machine runs with ${describeConfig(this.#config)}`)));
        continue;
      }
      const answered = this.#answered(message);
      if (answered !== undefined) {
        if (answered !== null) replies.push(reply(message.client, message.seq, answered));
        continue;
      }
      const outcome = await this.#apply(message);
      const entry = this.#clients.get(message.client);
      entry.applied = message.seq;
      entry.results.set(message.seq, outcome);
      replies.push(reply(message.client, message.seq, outcome));
    }
    if (this.#closed) return; // handed over meanwhile: the next host answers the retries
    if (this.#dirty) {
      this.#dirty = false;
      if (this.#machine !== null) this.#snapshot.queue = (await this.#machine.reportState()).queue;
      this.#snapshot.seq += 1;
      await this.#save();
      if (this.#closed) return;
      this.#publish();
    }
    for (const message of replies) this.#post(message);
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

  async #apply({ op, arg, data }) {
    const at = this.#now();
    if (wakes(op) && this.#machine === null) this.#wake(at);
    const machine = this.#machine;
    if (machine !== null) {
      this.#snapshot.lastActivity = at;
      this.#cancelIdle();
    }
    switch (op) {
      case 'report':
        if (machine === null) return ok({ ...this.#configState(), queue: [] });
        return ok(await machine.reportState());
      case 'send':
        machine?.send(arg);
        return ok(undefined);
      case 'note':
        machine?.send('note'); // staff activity keeps the department awake, as any message does
        return this.#perform(machine, op, undefined, arg, at);
      default:
        return this.#perform(machine, op, arg, data, at);
    }
  }

  async #perform(machine, op, arg, data, at) {
    const { outcome, event } = await perform(machine, op, arg, data, at);
    if (event !== null) this.#event(event);
    return outcome;
  }

  #wake(at) {
    this.#boot([]);
    this.#snapshot.asleep = false;
    this.#snapshot.queue = [];
    this.#event({ type: 'wake', at });
  }

  #sleep(at) {
    this.#cancelIdle();
    this.#snapshot.asleep = true;
    this.#snapshot.queue = [];
    this.#event({ type: 'shutdown', at });
  }

  /** Every change of the record goes through here, so that it gets written. */
  #event(event) {
    this.#snapshot.record = applyEvent(this.#record, this.#snapshot.record, event);
    this.#dirty = true;
  }

  #configState() {
    const { minNumber, maxNumber, autoShutdownTimeout } = this.#config;
    return { minNumber, maxNumber, autoShutdownTimeout };
  }

  // --- Writing and telling -----------------------------------------------------------------

  async #save() {
    const now = this.#now();
    const clients = [...this.#clients]
      .filter(([, entry]) => now - entry.seen < CLIENT_TTL_MS || entry.seen === 0)
      .sort(([, a], [, b]) => b.seen - a.seen)
      .slice(0, MAX_CLIENTS);
    this.#clients = new Map(clients);
    this.#snapshot.clients = clients.map(([id, { applied, seen, results }]) => ({ id, applied, seen, results: [...results] }));
    this.#snapshot.format = FORMAT;
    try {
      await this.#store.save(this.#name, this.#snapshot);
    } catch (error) {
      // The kiosk keeps working, but staff must know that a reload may lose tickets.
      this.#snapshot.notices = withNotice(this.#snapshot.notices, `tickets could not be saved (${error?.name ?? error})`, now);
    }
  }

  #publish() {
    this.#post(stateMessage(this.view()));
  }
}
