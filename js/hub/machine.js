// HubMachine: one department of a facility whose devices (kiosk, board, counters) share one
// record on a NATS JetStream hub, with the API of SharedMachine (js/shared/client.js), so the
// kiosk's Department and record hooks work with either.
//
// How a call works: the device publishes the operation to the department's subject on the stream
// (acknowledged by the hub, with a random msgID so that a retried publish is stored once), and
// follows the stream with an ordered consumer, applying every operation of every device in
// stream order to its Replica (replica.js). The call resolves when its own operation comes back
// and is applied: its answer is the one every device computes for it. A number is shown only
// once it is in the stream and everything before it has been applied, so the hub cannot lose it
// and no other device can have been handed it.
import {
  NAME, STREAM, subject, encodeOperation, parseOperation, readConfig, isJsonData, machineError,
  HUB_ERRORS, MAX_PAYLOAD,
} from './protocol.js';
import { Replica } from './replica.js';
import { check as checkSnapshot } from './snapshot.js';

/** A device that can write snapshots writes one after this many operations of a department. */
export const SNAPSHOT_EVERY = 1000;

/** A tick is sent this long after a department's idle deadline, as this device estimates the hub's clock. */
export const TICK_MARGIN_MS = 100;

/** A tick that came too early (device and hub clocks differ) is sent again after this long. */
export const TICK_RETRY_MS = 1000;

/** setTimeout's longest delay (about 24.8 days); longer waits are taken in steps. */
const MAX_DELAY = 2 ** 31 - 1;

/** The record of a department that keeps no record of its own. */
const NO_RECORD = Object.freeze({ initial: () => null, apply: (record) => record, check: (record) => record === null });

function checkOptions(options) {
  const bad = (why) => machineError('invalid_configuration', `invalid configuration: ${why}`);
  if (typeof options !== 'object' || options === null) throw bad('options must be an object');
  const { name, minNumber, maxNumber, autoShutdownTimeout = Infinity, record = NO_RECORD } = options;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw bad('name must be 1 to 100 letters, digits, dashes or underscores');
  }
  const config = readConfig({ minNumber, maxNumber, autoShutdownTimeout: autoShutdownTimeout === Infinity ? null : autoShutdownTimeout });
  if (config === null || (autoShutdownTimeout === null)) {
    throw bad('minNumber and maxNumber must be safe integers with minNumber below maxNumber, and autoShutdownTimeout a non-negative integer of milliseconds or Infinity');
  }
  if (typeof record !== 'object' || record === null
    || !['initial', 'apply', 'check'].every((hook) => typeof record[hook] === 'function')) {
    throw bad('record must have initial, apply and check functions');
  }
  // `seed` (an earlier version's local save) is accepted for SharedMachine's sake and unused:
  // in hub mode the hub's record is the only one.
  return { name, config, record };
}

function randomId() {
  if (globalThis.crypto?.randomUUID) return globalThis.crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

const isPermissionError = (error) => error?.name === 'PermissionViolationError' || error?.cause?.name === 'PermissionViolationError';

/**
 * Stops following and deletes the consumer on the hub: left there, each would stay until the
 * library's 5 minutes of inactivity, one per department per console lock or reconnection. A
 * delete that fails (the hub out of reach, the connection closing) leaves it to that timeout.
 */
function stopFollowing(messages, consumer) {
  messages.stop();
  Promise.resolve().then(() => consumer.delete()).catch(() => {});
}

export class HubMachine {
  #hub;
  #name;
  #config;
  #record;
  #replica;
  #now;
  #timers;

  #pending = new Map(); // id -> { kind, resolve, reject, answer, timer }, oldest first
  #state = null;
  #listeners = new Set();
  #closed = false;
  #ready;
  #becameReady;
  #onClose = new Set(); // what waits to follow the record again stops waiting on close()
  #isReady = false;
  #caughtUp = false;
  #loaded = false;
  #messages = null;
  #consumer = null; // the hub's consumer behind #messages
  #following = 0; // counts the consumers made: deliveries of an older one are dropped
  #wasOffline = false;
  // The stream is not being followed (its consumer was lost, or missed its heartbeats, and a
  // new one is not there yet): the hub may answer, but this department cannot see its record.
  #adrift = false;
  #inbox = [];
  #pumping = false;
  #notices = [];
  #offset = null; // hub clock minus this device's clock (ms), from the latest message
  #unsubscribeHub;

  #canSnapshot = true;
  #sinceSnapshot = 0;
  #snapshotWriting = false;
  #snapshotNext = null;

  #canTick = true;
  #tickTimer = null;
  #tickDeadline = null;
  #tickAttempt = 0;

  /**
   * Joins department `options.name` on `hub`: `{ name, minNumber, maxNumber,
   * autoShutdownTimeout?, record? }` as for SharedMachine. Throws a MachineError
   * `invalid_configuration` for bad options. Usually made with `hub.machine(options)`.
   */
  constructor(options, { hub } = {}) {
    const { name, config, record } = checkOptions(options);
    if (!hub || typeof hub.attach !== 'function') throw machineError('invalid_configuration', 'invalid configuration: a HubMachine needs a Hub');
    this.#hub = hub;
    this.#name = name;
    this.#config = config;
    this.#record = record;
    this.#now = hub.now;
    this.#timers = hub.timers;
    this.#replica = new Replica({ name, own: { rules: hub.rules, config }, Machine: hub.Machine, record });
    this.#ready = new Promise((resolve) => { this.#becameReady = resolve; });
    hub.attach(this);
    this.#unsubscribeHub = hub.subscribe((status) => {
      // Back from offline: follow afresh from the last operation applied, rather than wait for
      // the library's ordered consumer to notice missed heartbeats.
      if (status === 'online' && this.#wasOffline) this.#refollow();
      this.#wasOffline = status !== 'online';
      this.#notify();
    });
    this.#start();
  }

  // --- The Machine's API -------------------------------------------------------------------

  /** Takes the next number. Switches a switched-off department on first. */
  queueNewNumber() {
    return this.#call('take');
  }

  /**
   * Serves the front of the queue, or `priorityNumber`. `details` (plain JSON data, such as the
   * counter calling the number) goes into the record with the serve.
   */
  serveNextQueuedNumber(priorityNumber, details) {
    if (priorityNumber !== undefined && !Number.isSafeInteger(priorityNumber)) {
      return Promise.reject(machineError('invalid_argument', 'the priority number must be a safe integer'));
    }
    return priorityNumber === undefined ? this.#call('serve', undefined, details) : this.#call('priority', priorityNumber, details);
  }

  /**
   * `{ minNumber, maxNumber, queue, autoShutdownTimeout }` as this device has applied it, after
   * every call this device made before. Reading is not activity: it keeps no department awake.
   */
  async reportState() {
    if (this.#closed) throw machineError('closed');
    await Promise.allSettled([...this.#pending.values()].map((entry) => entry.answer));
    await this.#readyWithin(this.#hub.callTimeout);
    if (this.#closed) throw machineError('closed');
    const mismatch = this.#replica.mismatch;
    if (mismatch) throw machineError(mismatch, HUB_ERRORS[mismatch]);
    const { minNumber, maxNumber, queue, autoShutdownTimeout } = this.#state;
    return { minNumber, maxNumber, queue: [...queue], autoShutdownTimeout };
  }

  /** Empties the queue. A cast: returns nothing (see reset() to hear about a refusal). */
  resetState() {
    this.#call('reset').catch(() => {});
  }

  /** Counts as activity (keeps the department awake); the message itself goes nowhere. A cast. */
  send() {
    this.#call('send').catch(() => {});
  }

  // --- Sharing -----------------------------------------------------------------------------

  /** Switches a switched-off department on (afresh); nothing happens if it is on. */
  wake() {
    return this.#call('wake');
  }

  /** Adds `details` (plain JSON data) to the record without touching the queue. */
  note(details) {
    return this.#call('note', undefined, details);
  }

  /** resetState() as a call: resolves once applied, rejects `forbidden` where the hub refuses it. */
  reset() {
    return this.#call('reset');
  }

  /** Resolves once this device has caught up with the department's record, or is closed. */
  get ready() {
    return this.#ready;
  }

  /**
   * The latest state, or null before the first: `{ seq, epoch, asleep, queue, record, notices,
   * minNumber, maxNumber, autoShutdownTimeout, lastActivity, rules }`. `seq` is the stream
   * sequence of the last operation applied; `epoch` counts the times the record started over
   * under new rules or configuration; `rules` is the rules the record runs.
   */
  get state() {
    return this.#state;
  }

  /** Whether the department is switched on, as far as this device knows. */
  get alive() {
    return this.#state !== null && !this.#state.asleep && !this.#closed;
  }

  /** A hub machine never hosts: the hub holds the record. (SharedMachine's API.) */
  get isHost() {
    return false;
  }

  /**
   * 'connecting' (catching up), 'online', 'offline' (the hub cannot be reached: calls fail with
   * `offline`), 'needs-update' (the record runs other rules or another configuration than this
   * device: calls fail), or 'closed'.
   */
  get status() {
    if (this.#closed) return 'closed';
    if (this.#hub.status !== 'online') return 'offline';
    if (!this.#isReady) return 'connecting';
    if (this.#adrift) return 'offline';
    if (this.#replica.mismatch) return 'needs-update';
    return 'online';
  }

  /** The rules this device runs (the record's are `state.rules`). */
  get rules() {
    return this.#hub.rules;
  }

  /** Calls `listener(state)` after every change of the state or of the status. Returns a function that stops it. */
  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Leaves: unanswered calls reject with `closed`. The department goes on on the other devices. */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#timers.clearTimeout(this.#tickTimer);
    for (const [id, entry] of this.#pending) this.#settle(id, entry, { ok: false, code: 'closed', message: HUB_ERRORS.closed });
    this.#unfollow();
    this.#unsubscribeHub();
    this.#hub.detach(this);
    this.#replica.close();
    // Calls still waiting for the record, or to follow it again, end now as `closed` rather
    // than as `offline` once their time is up; and nobody waits on `ready` for good. (Not
    // through #notify: the views would show a department 'closed' for a moment.)
    for (const done of [...this.#onClose]) done();
    this.#becameReady();
  }

  // --- Calls -------------------------------------------------------------------------------

  async #call(kind, arg, data) {
    if (this.#closed) throw machineError('closed');
    if (data !== undefined && !isJsonData(data)) {
      throw machineError('invalid_argument', 'details must be plain JSON data (null, booleans, numbers, strings, arrays, objects)');
    }
    if (this.#hub.status !== 'online') throw machineError('offline');
    await this.#readyWithin(this.#hub.callTimeout);
    // Not following the record (its answer could not be seen): nothing is sent until it is
    // followed again, or the call says offline.
    await this.#followingWithin(this.#hub.callTimeout);
    if (this.#closed) throw machineError('closed');
    if (!this.#replica.canPublish) throw machineError('needs_update', HUB_ERRORS.needs_update);
    const id = randomId();
    const payload = encodeOperation({ id, rules: this.#hub.rules, config: this.#config, arg, data });
    if (payload.length > MAX_PAYLOAD) throw machineError('invalid_argument', 'the details are too large');
    const entry = { kind };
    entry.answer = new Promise((resolve, reject) => {
      entry.resolve = resolve;
      entry.reject = reject;
    });
    this.#pending.set(id, entry);
    entry.timer = this.#timers.setTimeout(() => {
      // Not applied in time: the caller hands nothing out. The operation may still be stored and
      // apply later (then every device sees a number nobody was told of, or a serve nobody saw).
      this.#settle(id, entry, { ok: false, code: 'offline', message: HUB_ERRORS.offline });
    }, this.#hub.callTimeout);
    this.#publish(kind, id, payload, this.#now() + this.#hub.callTimeout);
    return entry.answer;
  }

  /** Publishes until the hub acknowledges it (retries are stored once: same msgID) or the call ends. */
  async #publish(kind, id, payload, deadline) {
    for (let attempt = 0; this.#pending.has(id); attempt++) {
      try {
        const remaining = deadline - this.#now();
        await this.#hub.jetstream.publish(subject(this.#name, kind), payload, {
          msgID: id,
          expect: { streamName: STREAM },
          timeout: Math.max(1, Math.min(2000, remaining)),
        });
        return; // stored: the answer comes when it is applied
      } catch (error) {
        const entry = this.#pending.get(id);
        if (entry === undefined) return;
        if (isPermissionError(error)) {
          this.#settle(id, entry, { ok: false, code: 'forbidden', message: `${HUB_ERRORS.forbidden} (${kind})` });
          return;
        }
        if (this.#now() >= deadline) return; // the call's timer says offline
        await new Promise((resolve) => { this.#timers.setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)); });
      }
    }
  }

  #settle(id, entry, outcome) {
    if (this.#pending.get(id) !== entry) return;
    this.#pending.delete(id);
    this.#timers.clearTimeout(entry.timer);
    if (outcome.ok) entry.resolve(outcome.value);
    else entry.reject(machineError(outcome.code, outcome.message));
  }

  async #followingWithin(ms) {
    if (this.#closed) throw machineError('closed');
    if (!this.#adrift) return;
    await new Promise((resolve) => {
      let timer = null;
      let stop = () => {};
      const done = () => {
        stop();
        this.#onClose.delete(done);
        this.#timers.clearTimeout(timer);
        resolve();
      };
      timer = this.#timers.setTimeout(done, ms);
      stop = this.subscribe(() => { if (!this.#adrift) done(); });
      this.#onClose.add(done);
    });
    if (this.#closed) throw machineError('closed');
    if (this.#adrift) throw machineError('offline', `${HUB_ERRORS.offline} (the department's record is not being followed)`);
  }

  async #readyWithin(ms) {
    if (this.#isReady) return;
    let timer;
    const late = new Promise((resolve) => { timer = this.#timers.setTimeout(() => resolve(false), ms); });
    const ready = await Promise.race([this.#ready.then(() => true), late]);
    this.#timers.clearTimeout(timer);
    if (!ready) throw machineError('offline', `${HUB_ERRORS.offline} (the department's record could not be read)`);
  }

  // --- Following the stream ----------------------------------------------------------------

  /** Loads the snapshot, then follows the stream from after it; retries until it works or close(). */
  async #start() {
    for (let attempt = 0; !this.#closed; attempt++) {
      try {
        if (!this.#loaded) await this.#load();
        await this.#follow();
        return;
      } catch (error) {
        if (this.#closed) return;
        this.#notice(`cannot follow the hub yet (${error?.message ?? error}); trying again`);
        await new Promise((resolve) => { this.#timers.setTimeout(resolve, Math.min(5000, 250 * 2 ** attempt)); });
      }
    }
  }

  async #load() {
    const kv = await this.#hub.kv;
    const entry = await kv.get(this.#name);
    this.#loaded = true;
    if (entry === null || entry.operation !== 'PUT') return;
    let raw;
    try {
      raw = entry.json();
    } catch {
      raw = null;
    }
    const checked = checkSnapshot(raw, this.#name, readConfig, this.#record.check);
    if (checked.problem) {
      this.#notice(`${checked.problem}: the department's whole history is read instead`);
      return;
    }
    try {
      this.#replica.restore(checked.snapshot);
    } catch (error) {
      this.#replica = new Replica({ name: this.#name, own: { rules: this.#hub.rules, config: this.#config }, Machine: this.#hub.Machine, record: this.#record });
      this.#notice(`the stored snapshot could not be restored (${error?.code ?? error?.message}): the department's whole history is read instead`);
    }
  }

  async #follow() {
    const consumer = await this.#hub.jetstream.consumers.get(STREAM, {
      filter_subjects: subject(this.#name, '>'),
      opt_start_seq: this.#replica.seq + 1,
    });
    if (this.#closed) return;
    const info = await consumer.info(true);
    const following = ++this.#following;
    const messages = await consumer.consume({
      max_messages: 1000,
      // Heartbeats every second (half of expires): a consumer lost with a cluster node is
      // noticed within about 2 s (two missed) and made again; a pull every 2 s is nothing to a hub.
      expires: 2000,
      callback: (message) => {
        if (following !== this.#following) return;
        this.#inbox.push(message);
        this.#schedulePump();
      },
    });
    if (this.#closed) {
      stopFollowing(messages, consumer);
      return;
    }
    this.#messages = messages;
    this.#consumer = consumer;
    this.#setAdrift(false);
    this.#watchHeartbeats(messages);
    if (info.num_pending === 0) {
      this.#caughtUp = true;
      this.#schedulePump();
    }
    // The library re-creates an ordered consumer across reconnects by itself; if it gives up,
    // follow again from the last operation applied.
    messages.closed().then(() => {
      if (this.#closed || this.#messages !== messages) return;
      this.#messages = null;
      this.#setAdrift(true);
      this.#start();
    });
  }

  /**
   * A consumer whose node died goes quiet without closing: after two missed heartbeats the
   * department says it is offline and follows the stream again on a consumer of its own making,
   * rather than wait for the library's own recovery (which backs off while a cluster elects).
   */
  async #watchHeartbeats(messages) {
    try {
      for await (const event of messages.status()) {
        if (this.#closed || this.#messages !== messages) return;
        if (event.type === 'heartbeats_missed') {
          this.#refollow();
          return;
        }
      }
    } catch {
      // the consumer ended: closed() above follows again
    }
  }

  #setAdrift(adrift) {
    if (this.#adrift === adrift) return;
    this.#adrift = adrift;
    this.#notify();
  }

  /** Drops the current consumer and follows the stream again from the last operation applied. */
  #refollow() {
    if (this.#messages === null || this.#closed) return; // not following yet: #start is at it
    this.#unfollow();
    this.#following += 1;
    this.#inbox = []; // the new consumer delivers them again, in order
    this.#setAdrift(true);
    this.#start();
  }

  /** Stops following the current consumer, if any (and deletes it on the hub). */
  #unfollow() {
    if (this.#messages === null) return;
    stopFollowing(this.#messages, this.#consumer);
    this.#messages = null;
    this.#consumer = null;
  }

  #schedulePump() {
    this.#pump().catch((error) => {
      // A bug, not a state of the hub: say so, and follow the stream again from what was applied.
      this.#notice(`applying the department's operations failed (${error?.message ?? error}); reading them again`);
      this.#refollow();
    });
  }

  async #pump() {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (!this.#closed && (this.#inbox.length > 0 || (this.#caughtUp && !this.#isReady))) {
        const batch = this.#inbox.splice(0);
        const answered = [];
        for (const message of batch) {
          if (this.#closed) return;
          if (message.seq <= this.#replica.seq) continue; // delivered again after a reconnect
          const ts = Number(message.timestampNanos / 1_000_000n);
          this.#offset = ts - this.#now();
          const operation = parseOperation(message.subject, message.string());
          const outcome = await this.#replica.apply({ seq: message.seq, ts, operation });
          this.#sinceSnapshot += 1;
          const entry = operation.id === undefined ? undefined : this.#pending.get(operation.id);
          if (entry !== undefined && entry.kind === operation.kind) {
            answered.push([operation.id, entry, outcome ?? { ok: false, code: this.#replica.mismatch ?? 'needs_update', message: HUB_ERRORS.needs_update }]);
          }
          if (message.info.pending === 0) this.#caughtUp = true;
        }
        if (this.#closed) return;
        await this.#replica.refresh();
        this.#state = this.#replica.view(this.#notices);
        if (this.#caughtUp && !this.#isReady) {
          this.#isReady = true;
          this.#becameReady();
        }
        this.#notify();
        // The state that includes an answer is out before the answer.
        for (const [id, entry, outcome] of answered) this.#settle(id, entry, outcome);
        this.#armTick();
        this.#maybeSnapshot();
      }
    } finally {
      this.#pumping = false;
    }
  }

  #notify() {
    for (const listener of this.#listeners) listener(this.#state);
  }

  #notice(text) {
    this.#notices = [...this.#notices, { at: this.#now(), text }].slice(-20);
    if (this.#state !== null) this.#state = { ...this.#state, notices: this.#notices };
    this.#notify();
  }

  // --- Snapshots ---------------------------------------------------------------------------

  #maybeSnapshot() {
    if (!this.#canSnapshot || this.#sinceSnapshot < SNAPSHOT_EVERY || !this.#isReady) return;
    const snapshot = this.#replica.snapshot();
    if (snapshot === null) return;
    this.#sinceSnapshot = 0;
    this.#snapshotNext = snapshot;
    if (!this.#snapshotWriting) this.#writeSnapshots();
  }

  async #writeSnapshots() {
    this.#snapshotWriting = true;
    try {
      while (this.#snapshotNext !== null && !this.#closed && this.#canSnapshot) {
        const snapshot = this.#snapshotNext;
        this.#snapshotNext = null;
        await this.#storeSnapshot(snapshot);
      }
    } finally {
      this.#snapshotWriting = false;
    }
  }

  /** Compare-and-set: replaces the stored snapshot only if it is older, and only what was read. */
  async #storeSnapshot(snapshot) {
    const value = JSON.stringify(snapshot);
    if (value.length > (this.#hub.connection.info?.max_payload ?? 1024 * 1024) - 1024) return;
    const kv = await this.#hub.kv;
    for (let tries = 0; tries < 3; tries++) {
      try {
        const entry = await kv.get(this.#name);
        if (entry === null) {
          await kv.create(this.#name, value);
          return;
        }
        let stored = null;
        try {
          stored = entry.operation === 'PUT' ? entry.json() : null;
        } catch {
          stored = null;
        }
        if (Number.isSafeInteger(stored?.seq) && stored.seq >= snapshot.seq) return;
        await kv.update(this.#name, value, entry.revision);
        return;
      } catch (error) {
        if (isPermissionError(error)) {
          this.#canSnapshot = false; // these credentials may not write snapshots: a kiosk or a board
          return;
        }
        // Another device wrote in between (wrong last sequence): read again.
      }
    }
  }

  // --- Idle shutdown -----------------------------------------------------------------------

  /**
   * Arms a tick for just after the department's idle deadline, by this device's estimate of the
   * hub's clock. The tick decides nothing by itself: every device compares its hub timestamp
   * with the deadline, so an early tick changes nothing and a late one shuts down at the deadline.
   */
  #armTick() {
    this.#timers.clearTimeout(this.#tickTimer);
    this.#tickTimer = null;
    const deadline = this.#replica.idleDeadline;
    if (deadline === null || !this.#canTick || this.#offset === null || this.#closed) return;
    if (deadline !== this.#tickDeadline) {
      this.#tickDeadline = deadline;
      this.#tickAttempt = 0;
    }
    const fireAt = deadline - this.#offset + TICK_MARGIN_MS + this.#tickAttempt * TICK_RETRY_MS;
    const wait = Math.max(0, fireAt - this.#now());
    this.#tickTimer = this.#timers.setTimeout(() => {
      if (wait >= MAX_DELAY) {
        this.#armTick(); // not there yet: wait again
        return;
      }
      this.#tick(deadline);
    }, Math.min(wait, MAX_DELAY));
  }

  async #tick(deadline) {
    if (this.#replica.idleDeadline !== deadline || this.#closed) return;
    // Every device ticking for the same deadline uses the same msgID, so the hub stores one.
    const id = `tick-${this.#name}-${this.#replica.generation}-${deadline}-${this.#tickAttempt}`;
    this.#tickAttempt += 1;
    if (this.#hub.status === 'online') {
      try {
        await this.#hub.jetstream.publish(subject(this.#name, 'tick'),
          encodeOperation({ id, rules: this.#hub.rules, config: this.#config }), { msgID: id, timeout: 2000 });
      } catch (error) {
        if (isPermissionError(error)) {
          this.#canTick = false; // a board: the kiosk and the counters tick
          return;
        }
      }
    }
    if (this.#replica.idleDeadline === deadline) this.#armTick();
  }
}

