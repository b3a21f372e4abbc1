// SharedMachine: one running Machine per name for all the windows of a browser profile.
//
// Every window is a client with the Machine's promise API. The window holding the name's
// Web Lock hosts the one Machine (host.js); the others send it requests over a
// BroadcastChannel. When the host window closes or reloads, the browser hands the lock to a
// waiting window, whose host continues from the stored record, and every client resends what
// is still unanswered; each request is applied once, in the order its window made it.
import { channelName, leaderLockName, request, hello, parse } from './protocol.js';
import { machineError, settle } from '../engine/errors.js';
import { checkOptions } from '../engine/options.js';
import { randomId } from '../engine/values.js';
import { DepartmentApi, CALL, CAST, NOTIFY, READY, DECLARE } from '../engine/department-api.js';
import { Host } from './host.js';
import { IndexedDbStore } from './store.js';

/** How long a request waits for its answer before it is sent again. */
export const RETRY_MS = 500;

export class SharedMachine extends DepartmentApi {
  #name;
  #config;
  #record;
  #seed;
  #Machine;
  #store;
  #timers;
  #now;
  #BroadcastChannel;

  #id = randomId();
  #channel;
  #hostChannel = null;
  #host = null;
  #seq = 0;
  #pending = new Map(); // seq -> { op, arg, data, resolve, reject, sentAt }, oldest first
  #retryTimer = null;
  #state = null;
  #closed = false;
  #abort = new AbortController();
  #endLeadership = null;

  /**
   * Joins (or starts) the machine `options.name`: `{ name, minNumber, maxNumber,
   * autoShutdownTimeout?, record?, seed? }`. Throws a MachineError `invalid_configuration`
   * for bad options and `unsupported` where the browser cannot share.
   *
   * `deps` replaces the browser's parts (tests): `{ Machine, locks, BroadcastChannel, store,
   * now, timers }`; `Machine` is required.
   */
  constructor(options, deps = {}) {
    super();
    const { name, config, record, seed } = checkOptions(options);
    const locks = deps.locks ?? globalThis.navigator?.locks;
    this.#BroadcastChannel = deps.BroadcastChannel ?? globalThis.BroadcastChannel;
    if (!locks || !this.#BroadcastChannel || typeof deps.Machine !== 'function') {
      throw machineError('unsupported', 'this browser cannot share a machine between windows: it needs Web Locks, which browsers offer only to pages served over https:// or from localhost, and BroadcastChannel');
    }
    this.#name = name;
    this.#config = config;
    this.#record = record;
    this.#seed = seed;
    this.#Machine = deps.Machine;
    this.#store = deps.store ?? new IndexedDbStore();
    this.#timers = deps.timers ?? globalThis;
    this.#now = deps.now ?? Date.now;

    this.#channel = new this.#BroadcastChannel(channelName(name));
    this.#channel.onmessage = (event) => this.#receive(event.data);
    // Every window queues for the lock; the browser grants it to one at a time, and to the
    // next when the holder closes, reloads or crashes.
    locks.request(leaderLockName(name), { signal: this.#abort.signal }, () => this.#lead())
      .catch(() => {}); // aborted by close(): nothing to host
    this.#channel.postMessage(hello(this.#id));
    this.#armRetry();
  }

  // --- The Machine's API (the rest is DepartmentApi's) --------------------------------------

  /** `{ minNumber, maxNumber, queue, autoShutdownTimeout }`; an empty queue while switched off. */
  reportState() {
    return this.#call('report');
  }

  // --- Sharing -----------------------------------------------------------------------------

  /**
   * The latest state, or null before the first: `{ seq, epoch, asleep, queue, record,
   * notices, minNumber, maxNumber, autoShutdownTimeout, lastActivity }`.
   */
  get state() {
    return this.#state;
  }

  /**
   * 'online' until close(), then 'closed'. Within one browser the machine is always in reach: a
   * call made while no window hosts waits for the next host. (HubMachine's status has more.)
   */
  get status() {
    return this.#closed ? 'closed' : 'online';
  }

  /** Whether this window hosts the machine. */
  get isHost() {
    return this.#host !== null;
  }

  /** Leaves: unanswered calls reject with `closed`, and another window takes over hosting. */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#timers.clearTimeout(this.#retryTimer);
    for (const { reject } of this.#pending.values()) reject(machineError('closed'));
    this.#pending.clear();
    this.#channel.close();
    this.#host?.close();
    this.#hostChannel?.close();
    this.#host = null;
    this.#store.close();
    this.#abort.abort();
    this.#endLeadership?.();
  }

  // --- Inside ------------------------------------------------------------------------------

  /**
   * The wire keeps the shapes every version of the page speaks (protocol.js): a priority serve
   * is a `serve` with its number, and a note's details travel as the request's `arg`.
   */
  [CALL](kind, arg, data, config) {
    if (kind === 'priority') return this.#call('serve', arg, data);
    if (kind === 'note') return this.#call('note', data);
    if (kind === 'configure') return this.#call('configure', config);
    return this.#call(kind, arg, data);
  }

  [DECLARE](config) {
    this.#config = config;
  }

  [CAST](kind, arg) {
    this.#cast(kind, arg);
  }

  #call(op, arg, data) {
    if (this.#closed) return Promise.reject(machineError('closed'));
    const seq = this.#seq + 1;
    let entry;
    const answer = new Promise((resolve, reject) => {
      entry = { op, arg, data, resolve, reject, sentAt: 0 };
    });
    this.#pending.set(seq, entry);
    this.#seq = seq;
    if (!this.#post(seq, entry)) {
      this.#pending.delete(seq);
      this.#seq = seq - 1;
      entry.reject(machineError('invalid_argument', 'the value cannot be sent to another window (it is not structured-cloneable)'));
    }
    this.#armRetry();
    return answer;
  }

  #cast(op, arg) {
    if (this.#closed) return;
    this.#call(op, arg).catch(() => {
      // A message that cannot be cloned still counts as activity, as it would on a Machine.
      if (op === 'send') this.#call('send').catch(() => {});
    });
  }

  /** Sends request `seq`; false if its values cannot be cloned. */
  #post(seq, entry) {
    const ack = this.#pending.keys().next().value;
    try {
      this.#channel.postMessage(request(this.#id, seq, ack, entry.op, entry.arg, this.#config, entry.data));
    } catch {
      return false;
    }
    entry.sentAt = this.#now();
    return true;
  }

  /** Sends every unanswered request again, oldest first (the host drops out-of-order ones). */
  #resend() {
    for (const [seq, entry] of this.#pending) this.#post(seq, entry);
  }

  /**
   * While something is unanswered (a request, or the hello of a window that knows no state
   * yet), asks again every RETRY_MS: a message sent while no window hosted is lost.
   */
  #armRetry() {
    if (this.#retryTimer !== null || this.#closed || (this.#pending.size === 0 && this.#state !== null)) return;
    this.#retryTimer = this.#timers.setTimeout(() => {
      this.#retryTimer = null;
      if (this.#closed) return;
      const oldest = this.#pending.values().next().value;
      if (oldest && this.#now() - oldest.sentAt >= RETRY_MS) this.#resend();
      if (this.#state === null) this.#channel.postMessage(hello(this.#id));
      this.#armRetry();
    }, RETRY_MS);
  }

  #receive(data) {
    if (this.#closed) return;
    const message = parse(data);
    if (message === null) return;
    switch (message.kind) {
      case 'reply': {
        if (message.client !== this.#id) return;
        const entry = this.#pending.get(message.seq);
        if (!entry) return; // answered already (a resent request's second answer)
        this.#pending.delete(message.seq);
        settle(message.outcome, entry);
        if (this.#pending.size === 0 && this.#state !== null) {
          this.#timers.clearTimeout(this.#retryTimer);
          this.#retryTimer = null;
        }
        return;
      }
      case 'state':
        if (this.#state !== null && message.state.seq <= this.#state.seq) return;
        this.#state = message.state;
        this[READY]();
        this[NOTIFY]();
        return;
      case 'leader':
        this.#resend();
        return;
      default:
        // Requests and hellos are for the host, which listens on a channel of its own.
    }
  }

  /** Holds the lock: hosts the machine until this window closes. */
  async #lead() {
    if (this.#closed) return;
    // The host listens and speaks on its own channel object, so that this window's client
    // reaches it the same way the other windows do (a channel does not hear its own posts).
    const channel = new this.#BroadcastChannel(channelName(this.#name));
    const host = new Host({
      name: this.#name,
      config: () => this.#config,
      Machine: this.#Machine,
      store: this.#store,
      record: this.#record,
      seed: this.#seed,
      post: (message) => channel.postMessage(message),
      now: this.#now,
      timers: this.#timers,
    });
    channel.onmessage = (event) => {
      const message = parse(event.data);
      if (message?.kind === 'request' || message?.kind === 'hello') host.receive(message);
    };
    this.#hostChannel = channel;
    this.#host = host;
    const held = new Promise((resolve) => { this.#endLeadership = resolve; });
    try {
      await host.start();
    } catch (error) {
      // Hosting failed here (it should not: storage failures fall back to memory). Give the
      // lock up so that another window can host, rather than hold it with nothing behind it.
      host.close();
      channel.close();
      this.#host = null;
      this.#hostChannel = null;
      throw error;
    }
    await held;
  }
}
