// A device's link to the facility hub: one NATS connection (made by the caller, so that the same
// code runs over TCP in Node and over WebSocket in a browser), the JetStream and key-value
// handles on it, and whether the hub can be reached right now. Each department is a HubMachine
// made by `hub.machine(options)`; they share this one connection.
//
// "Can be reached" is checked, not assumed: the NATS client notices a dead connection only after
// missed pings (minutes by default), and a kiosk must say it is offline within seconds. So the
// hub sends its own ping every WATCH_MS and calls itself offline when the pong is PONG_WAIT_MS
// late, or at once when the client reports a disconnect.
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { BUCKET, PUBLIC_BUCKET } from './protocol.js';
import { HubMachine } from './machine.js';

/** How often the hub's reachability is checked (ms). */
export const WATCH_MS = 1000;

/** A ping unanswered for this long means offline (ms). */
export const PONG_WAIT_MS = 2000;

/** How long a call waits to be stored and applied before it fails with `offline` (ms). */
export const CALL_TIMEOUT_MS = 10_000;

/**
 * NATS connection options a device should use (pass them to `connect` / `wsconnect` with the
 * servers and credentials): reconnect forever, quickly, and notice a silent hub within seconds.
 */
export const CONNECTION_OPTIONS = Object.freeze({
  maxReconnectAttempts: -1,
  reconnectTimeWait: 500,
  reconnectJitter: 250,
  pingInterval: 2000,
  maxPingOut: 2,
  waitOnFirstConnect: true,
});

export class Hub {
  #connection;
  #jetstream;
  #kv = null;
  #publicKv = null;
  #Machine;
  #rules;
  #timers;
  #now;
  #callTimeout;

  #status = 'online';
  #listeners = new Set();
  #machines = new Set();
  #watchTimer = null;
  #checking = false;
  #statusEvents = null;
  #closed = false;

  /**
   * @param connection   a connected NatsConnection (`connect` from @nats-io/transport-node,
   *                     `wsconnect` from @nats-io/nats-core), ideally with CONNECTION_OPTIONS
   * @param Machine      the package's Machine class (the package entry passes its own)
   * @param rules        which rules this device runs (the package entry passes its version)
   * @param callTimeout  ms a call may take before it fails with `offline`
   * @param now, timers  replaceable clock and timers (tests)
   */
  constructor({ connection, Machine, rules, callTimeout = CALL_TIMEOUT_MS, now = Date.now, timers = globalThis }) {
    if (!connection || typeof connection.flush !== 'function') throw new TypeError('Hub needs a NATS connection');
    if (typeof Machine !== 'function' || typeof rules !== 'string' || rules.length === 0) {
      throw new TypeError('Hub needs the Machine class and a rules version');
    }
    this.#connection = connection;
    this.#jetstream = jetstream(connection, { timeout: 5000 });
    this.#Machine = Machine;
    this.#rules = rules;
    this.#callTimeout = callTimeout;
    this.#now = now;
    this.#timers = timers;
    if (connection.isClosed()) this.#status = 'offline';
    this.#followEvents();
    this.#scheduleCheck();
    connection.closed().then(() => this.#setStatus('offline'));
  }

  /** One department: a HubMachine with SharedMachine's options (`name`, range, timeout, record). */
  machine(options) {
    return new HubMachine(options, { hub: this });
  }

  /** 'online' or 'offline' (the hub cannot be reached, or this hub object was closed). */
  get status() {
    return this.#status;
  }

  /** Calls `listener(status)` when the status changes; returns a function that stops it. */
  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Closes every department's machine and stops watching. The connection is the caller's to close. */
  close() {
    if (this.#closed) return;
    for (const machine of [...this.#machines]) machine.close();
    this.#closed = true;
    this.#timers.clearTimeout(this.#watchTimer);
    this.#statusEvents?.stop?.();
    this.#setStatus('offline');
  }

  // --- For the departments' machines -------------------------------------------------------

  /** @internal */ get connection() { return this.#connection; }
  /** @internal */ get jetstream() { return this.#jetstream; }
  /** @internal */ get Machine() { return this.#Machine; }
  /** @internal */ get rules() { return this.#rules; }
  /** @internal */ get callTimeout() { return this.#callTimeout; }
  /** @internal */ get now() { return this.#now; }
  /** @internal */ get timers() { return this.#timers; }
  /** @internal */ get closed() { return this.#closed; }

  /** @internal The snapshot bucket (direct gets: readers need no stream-info permission). */
  get kv() {
    this.#kv ??= new Kvm(this.#jetstream).open(BUCKET, { allow_direct: true });
    return this.#kv;
  }

  /** @internal The public summaries' bucket, read the same way (js/hub/public-writer.js). */
  get publicKv() {
    this.#publicKv ??= new Kvm(this.#jetstream).open(PUBLIC_BUCKET, { allow_direct: true });
    return this.#publicKv;
  }

  /** @internal */
  attach(machine) {
    if (this.#closed) throw new Error('the hub was closed');
    this.#machines.add(machine);
  }

  /** @internal */
  detach(machine) {
    this.#machines.delete(machine);
  }

  // --- Watching ----------------------------------------------------------------------------

  async #followEvents() {
    const events = this.#connection.status();
    this.#statusEvents = events;
    try {
      for await (const event of events) {
        if (this.#closed) return;
        if (event.type === 'disconnect' || event.type === 'staleConnection') this.#setStatus('offline');
        else if (event.type === 'reconnect') this.#check();
      }
    } catch {
      // the connection closed: closed() above says offline
    }
  }

  #scheduleCheck() {
    if (this.#closed) return;
    this.#watchTimer = this.#timers.setTimeout(() => {
      this.#check().finally(() => this.#scheduleCheck());
    }, WATCH_MS);
  }

  async #check() {
    if (this.#checking || this.#closed) return;
    this.#checking = true;
    let late;
    const timeout = new Promise((resolve) => { late = this.#timers.setTimeout(() => resolve(false), PONG_WAIT_MS); });
    try {
      const answered = this.#connection.isClosed() ? false
        : await Promise.race([this.#connection.flush().then(() => true, () => false), timeout]);
      if (!this.#closed) this.#setStatus(answered ? 'online' : 'offline');
    } finally {
      this.#timers.clearTimeout(late);
      this.#checking = false;
    }
  }

  #setStatus(status) {
    if (this.#closed && status === 'online') return;
    if (status === this.#status) return;
    this.#status = status;
    for (const listener of this.#listeners) listener(status);
  }
}
