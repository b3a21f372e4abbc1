// HubMachine: one department of a facility whose devices (kiosk, board, counters) share one
// record on a NATS JetStream hub, with the API of SharedMachine (js/shared/client.js), so the
// kiosk's Department and record hooks work with either.
//
// How a call works: the device publishes the operation to the department's subject on the stream
// (calls.js), and follows the stream (follower.js), applying every operation of every device in
// stream order to its copy of the department (js/engine/department.js). The call resolves when its own operation comes back
// and is applied: its answer is the one every device computes for it. A number is shown only
// once it is in the stream and everything before it has been applied, so the hub cannot lose it
// and no other device can have been handed it. Idle shutdowns are ticks.js's; the snapshots a
// late device starts from, snapshot-store.js's; the public summary phones follow, public-writer.js's.
import { encodeOperation, parseOperation, isHubName, HUB_ERRORS, MAX_PAYLOAD } from './protocol.js';
import { Calls } from './calls.js';
import { Follower } from './follower.js';
import { IdleTicks } from './ticks.js';
import { SnapshotWriter, loadSnapshot } from './snapshot-store.js';
import { PublicWriter } from './public-writer.js';
import { machineError, failed } from '../engine/errors.js';
import { checkOptions } from '../engine/options.js';
import { withNotice } from '../engine/notices.js';
import { isJsonData, randomId } from '../engine/values.js';
import { Department } from '../engine/department.js';
import { DepartmentApi, CALL, CAST, NOTIFY, READY, DECLARE } from '../engine/department-api.js';

export { SNAPSHOT_EVERY } from './snapshot-store.js';

export class HubMachine extends DepartmentApi {
  #hub;
  #name;
  #config;
  #record;
  #replica; // this device's copy of the department, applied from the stream
  #calls;
  #follower;
  #ticks;
  #snapshots;
  #public;

  #state = null;
  #upToDate = false; // the last message applied was the last one the hub had (its pending count was 0)
  #notices = [];
  #closed = false;
  #isReady = false;
  #caughtUp = false;
  #onClose = new Set(); // what waits to follow the record again stops waiting on close()
  #wasOffline = false;
  #pumping = false;
  #offset = null; // hub clock minus this device's clock (ms), from the latest message
  #unsubscribeHub;

  /**
   * Joins department `options.name` on `hub`: `{ name, minNumber, maxNumber,
   * autoShutdownTimeout?, record? }` as for SharedMachine. Throws a MachineError
   * `invalid_configuration` for bad options. Usually made with `hub.machine(options)`.
   */
  constructor(options, { hub } = {}) {
    // `seed` (an earlier version's local save) is accepted for SharedMachine's sake and unused:
    // in hub mode the hub's record is the only one.
    super();
    const { name, config, record } = checkOptions(options);
    if (!isHubName(name)) {
      throw machineError('invalid_configuration', 'invalid configuration: a department on a hub cannot have a dot in its name (a dot separates the hub\'s subject tokens)');
    }
    if (!hub || typeof hub.attach !== 'function') throw machineError('invalid_configuration', 'invalid configuration: a HubMachine needs a Hub');
    this.#hub = hub;
    this.#name = name;
    this.#config = config;
    this.#record = record;
    this.#replica = this.#newReplica();
    this.#calls = new Calls({ hub, name });
    this.#ticks = new IdleTicks({ hub, name, config: () => this.#config, replica: () => this.#replica, offset: () => this.#offset });
    this.#snapshots = new SnapshotWriter({ hub, name });
    this.#public = new PublicWriter({
      hub,
      name,
      summary: record.summary?.bind(record),
      // Only a state every device agrees on, and only the newest this device can know of.
      state: () => (this.#isReady && this.#upToDate && this.#replica.mismatch === null && !this.#closed ? this.#state : null),
    });
    this.#follower = new Follower({
      hub,
      name,
      from: () => this.#replica.seq,
      prepare: () => this.#load(),
      on: {
        arrived: () => this.#schedulePump(),
        caughtUp: () => {
          this.#caughtUp = true;
          this.#schedulePump();
        },
        adrift: () => this.#notify(),
        notice: (text) => this.#notice(text),
      },
    });
    hub.attach(this);
    this.#unsubscribeHub = hub.subscribe((status) => {
      // Back from offline: follow afresh from the last operation applied, rather than wait for
      // the library's ordered consumer to notice missed heartbeats.
      if (status === 'online' && this.#wasOffline) this.#follower.refollow();
      this.#wasOffline = status !== 'online';
      this.#notify();
    });
    this.#follower.start();
  }

  // --- The Machine's API (the rest is DepartmentApi's) --------------------------------------

  /**
   * `{ minNumber, maxNumber, queue, autoShutdownTimeout }` as this device has applied it, after
   * every call this device made before. Reading is not activity: it keeps no department awake.
   */
  async reportState() {
    if (this.#closed) throw machineError('closed');
    await Promise.allSettled(this.#calls.answers());
    await this.#readyWithin(this.#hub.callTimeout);
    if (this.#closed) throw machineError('closed');
    const mismatch = this.#replica.mismatch;
    if (mismatch) throw machineError(mismatch);
    const { minNumber, maxNumber, queue, autoShutdownTimeout } = this.#state;
    return { minNumber, maxNumber, queue: [...queue], autoShutdownTimeout };
  }

  // --- Sharing -----------------------------------------------------------------------------

  /**
   * The latest state, or null before the first: `{ seq, epoch, asleep, queue, record, notices,
   * minNumber, maxNumber, autoShutdownTimeout, lastActivity, rules }`. `seq` is the stream
   * sequence of the last operation applied; `epoch` counts the times the record started over
   * under new rules or configuration; `rules` is the rules the record runs.
   */
  get state() {
    return this.#state;
  }

  /** A hub machine never hosts: the hub holds the record. (SharedMachine's API.) */
  get isHost() {
    return false;
  }

  /**
   * 'connecting' (catching up), 'online', 'offline' (the hub cannot be reached, or the record is
   * not being followed: calls fail with `offline`), 'needs-update' (the record runs other rules
   * than this device: calls fail), 'not-configured' (no manager has configured the department
   * yet: calls fail), or 'closed'.
   */
  get status() {
    if (this.#closed) return 'closed';
    if (this.#hub.status !== 'online') return 'offline';
    if (!this.#isReady) return 'connecting';
    if (this.#follower.adrift) return 'offline';
    const mismatch = this.#replica.mismatch;
    if (mismatch !== null) return mismatch === 'not_configured' ? 'not-configured' : 'needs-update';
    return 'online';
  }

  /** The rules this device runs (the record's are `state.rules`). */
  get rules() {
    return this.#hub.rules;
  }

  /** Leaves: unanswered calls reject with `closed`. The department goes on on the other devices. */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#ticks.close();
    this.#snapshots.close();
    this.#public.close();
    this.#calls.answerAll(failed('closed'));
    this.#follower.close();
    this.#unsubscribeHub();
    this.#hub.detach(this);
    this.#replica.close();
    // Calls still waiting for the record, or to follow it again, end now as `closed` rather
    // than as `offline` once their time is up; and nobody waits on `ready` for good. (Not
    // through #notify: the views would show a department 'closed' for a moment.)
    for (const done of [...this.#onClose]) done();
    this[READY]();
  }

  // --- Calls -------------------------------------------------------------------------------

  [CALL](kind, arg, data, config) {
    return this.#call(kind, arg, data, config);
  }

  [DECLARE](config) {
    this.#config = config;
    this.#replica.declare(config);
  }

  /** A cast's message goes nowhere: only the activity reaches the record. */
  [CAST](kind) {
    this.#call(kind).catch(() => {});
  }

  async #call(kind, arg, data, config = this.#config) {
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
    // What the record would refuse is not sent (a reclaim is for a record of any rules).
    if (this.#replica.mismatch === 'not_configured' && kind !== 'configure') throw machineError('not_configured');
    if (kind !== 'reclaim' && !this.#replica.canPublish) throw machineError('needs_update');
    const id = randomId();
    const payload = encodeOperation({ id, rules: this.#hub.rules, config, arg, data });
    if (payload.length > MAX_PAYLOAD) throw machineError('invalid_argument', 'the details are too large');
    return this.#calls.call(kind, id, payload);
  }

  /** Resolves at once, or when the record is followed again; `offline` after `ms`, `closed` on close(). */
  async #followingWithin(ms) {
    if (this.#closed) throw machineError('closed');
    if (!this.#follower.adrift) return;
    await this.#until(() => !this.#follower.adrift, ms);
    if (this.#closed) throw machineError('closed');
    if (this.#follower.adrift) throw machineError('offline', `${HUB_ERRORS.offline} (the department's record is not being followed)`);
  }

  async #readyWithin(ms) {
    if (this.#isReady) return;
    await this.#until(() => this.#isReady, ms);
    if (!this.#isReady && !this.#closed) throw machineError('offline', `${HUB_ERRORS.offline} (the department's record could not be read)`);
  }

  /** Resolves when `done()` holds after a change, after `ms`, or on close(), whichever is first. */
  #until(done, ms) {
    return new Promise((resolve) => {
      let stop = () => {};
      const finish = () => {
        stop();
        this.#onClose.delete(finish);
        this.#hub.timers.clearTimeout(timer);
        resolve();
      };
      const timer = this.#hub.timers.setTimeout(finish, ms);
      stop = this.subscribe(() => { if (done()) finish(); });
      this.#onClose.add(finish);
    });
  }

  // --- Applying the stream -----------------------------------------------------------------

  #newReplica() {
    return new Department({ own: { rules: this.#hub.rules, config: this.#config }, Machine: this.#hub.Machine, record: this.#record });
  }

  /** Starts from the stored snapshot, if there is a usable one. */
  async #load() {
    const loaded = await loadSnapshot(this.#hub, this.#name, this.#record.check);
    if (loaded === null) return;
    if (loaded.problem) {
      this.#notice(`${loaded.problem}: the department's whole history is read instead`);
      return;
    }
    try {
      this.#replica.restore(loaded.snapshot);
    } catch (error) {
      this.#replica = this.#newReplica();
      this.#notice(`the stored snapshot could not be restored (${error?.code ?? error?.message}): the department's whole history is read instead`);
    }
  }

  #schedulePump() {
    this.#pump().catch((error) => {
      // A bug, not a state of the hub: say so, and follow the stream again from what was applied.
      this.#notice(`applying the department's operations failed (${error?.message ?? error}); reading them again`);
      this.#follower.refollow();
    });
  }

  async #pump() {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      let batch;
      while (!this.#closed && ((batch = this.#follower.take()).length > 0 || (this.#caughtUp && !this.#isReady))) {
        const { answered, own } = await this.#applyAll(batch);
        if (this.#closed) return;
        await this.#replica.refresh();
        this.#state = this.#replica.view(this.#notices);
        if (this.#caughtUp && !this.#isReady) {
          this.#isReady = true;
          this[READY]();
        }
        this.#notify();
        // The state that includes an answer is out before the answer.
        for (const [id, entry, outcome] of answered) this.#calls.answer(id, entry, outcome);
        this.#ticks.arm();
        if (this.#isReady) this.#snapshots.offer(this.#replica);
        if (this.#isReady && this.#upToDate && batch.length > 0) this.#public.applied({ own });
      }
    } finally {
      this.#pumping = false;
    }
  }

  /**
   * Applies delivered messages in order; returns the answers owed to this device's calls, and
   * whether an operation of this device (a call, or a tick it sent) was among them.
   */
  async #applyAll(batch) {
    const answered = [];
    let own = false;
    for (const message of batch) {
      if (this.#closed) return { answered, own };
      if (message.seq <= this.#replica.seq) continue; // delivered again after a reconnect
      const ts = Number(message.timestampNanos / 1_000_000n);
      this.#offset = ts - this.#hub.now();
      const operation = parseOperation(message.subject, message.string());
      const outcome = await this.#replica.apply({ seq: message.seq, ts, operation });
      this.#snapshots.counted();
      const entry = this.#calls.waiting(operation.id, operation.kind);
      if (entry !== undefined) answered.push([operation.id, entry, outcome ?? failed(this.#replica.mismatch ?? 'needs_update', HUB_ERRORS.needs_update)]);
      own ||= entry !== undefined || (operation.kind === 'tick' && this.#ticks.sent(operation.id));
      this.#upToDate = message.info.pending === 0;
      if (this.#upToDate) this.#caughtUp = true;
    }
    return { answered, own };
  }

  #notify() {
    this[NOTIFY]();
  }

  #notice(text) {
    this.#notices = withNotice(this.#notices, text, this.#hub.now());
    if (this.#state !== null) this.#state = { ...this.#state, notices: this.#notices };
    this.#notify();
  }
}
