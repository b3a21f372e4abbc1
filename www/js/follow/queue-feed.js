// The phone's one connection to the facility hub, in the follow page's terms: the department's
// latest public summary, now and whenever it changes. The hub's visitor account may do exactly
// what this module does (docs/follow.md): one direct get of the last summary (no JetStream
// consumer, which is what lets a hub serve a thousand phones) and one core subscription to the
// summaries as the bucket republishes them. After a reconnect it gets the last one again, as
// any published while the phone was away are gone.
//
// Only @nats-io/nats-core: the phone's page loads no JetStream client.
import { wsconnect, Empty } from '@nats-io/nats-core';
import { readSummary, newer } from './summary.js';

/** The visitor's replies come to an inbox of its own, the only one it may subscribe to. */
export const INBOX_PREFIX = '_INBOX_public';
export const summarySubject = (department) => `tan.public.${department}`;
/**
 * The last summary, asked of the hub's JetStream by its domain (`hub`, hub/hub.conf): the same
 * subject answers on the hub and through the public edge (hub/edge.conf), a leaf node that
 * passes on only domain-named JetStream requests.
 */
export const lastSummarySubject = (department) => `$JS.hub.API.DIRECT.GET.KV_tan-public.$KV.tan-public.${department}`;

/** A listener that throws is the page's bug: reported, and the feed goes on. */
function tell(listener, value) {
  try {
    listener(value);
  } catch (error) {
    console.error(error);
  }
}

const GET_TIMEOUT_MS = 5000;
/** A first connection that fails is tried again after this, doubling up to the maximum. */
const RETRY_MS = { first: 2000, max: 30_000 };

/**
 * Follows `department` on the hub at `servers` as `user`/`pass`. `onSummary(summary)` hears
 * each newer summary (summary.js; null while the department has none yet); `onStatus(status)`
 * hears 'connecting', 'live', 'reconnecting' and 'unreachable'. Call `refresh()` when the page
 * comes back to the screen (a suspended page may have missed summaries) and `close()` to stop.
 */
export class QueueFeed {
  #options;
  #connect;
  #nc = null;
  #kept = null;
  #closed = false;
  #retry = null;
  /** The last status told. */
  status = null;

  constructor({ servers, user, pass, department, onSummary, onStatus }, connect = wsconnect) {
    this.#options = { servers, user, pass, department, onSummary, onStatus };
    this.#connect = connect;
  }

  start() {
    this.#status('connecting');
    this.#open(RETRY_MS.first);
  }

  async #open(wait) {
    const { servers, user, pass, department } = this.#options;
    let nc;
    try {
      nc = await this.#connect({
        servers, user, pass, inboxPrefix: INBOX_PREFIX, name: 'follow',
        maxReconnectAttempts: -1, reconnectTimeWait: 1000, reconnectJitter: 500,
        // A phone changes networks and sleeps: a dead connection is noticed within ~15 s.
        pingInterval: 5000, maxPingOut: 2,
      });
    } catch (error) {
      if (this.#closed) return;
      console.warn(`follow: the hub cannot be reached (${error.message}); trying again`);
      this.#status('unreachable');
      this.#retry = setTimeout(() => this.#open(Math.min(wait * 2, RETRY_MS.max)), wait);
      return;
    }
    if (this.#closed) {
      nc.close().catch(() => {});
      return;
    }
    this.#nc = nc;
    nc.subscribe(summarySubject(department), { callback: (error, msg) => {
      if (!error) this.#take(msg);
    } });
    this.#watch(nc);
    // Closed for good (the hub refused the account on a reconnect, say): start over.
    nc.closed().then(() => {
      if (this.#closed || this.#nc !== nc) return;
      this.#nc = null;
      this.#status('unreachable');
      this.#retry = setTimeout(() => this.#open(RETRY_MS.first), RETRY_MS.first);
    });
    await this.refresh();
  }

  async #watch(nc) {
    try {
      for await (const event of nc.status()) {
        if (event.type === 'disconnect') this.#status('reconnecting');
        else if (event.type === 'reconnect') this.refresh();
        else if (event.type === 'error') console.warn(`follow: the hub says ${event.error?.message}`);
      }
    } catch {
      // the status iterator ends with the connection
    }
  }

  /** Gets the department's last summary again; 'live' once it has. Never rejects. */
  async refresh() {
    const nc = this.#nc;
    if (nc === null || nc.isClosed()) return;
    try {
      const msg = await nc.request(lastSummarySubject(this.#options.department), Empty, { timeout: GET_TIMEOUT_MS });
      const code = msg.headers?.code ?? 0;
      if (code === 404) {
        if (this.#kept === null) tell(this.#options.onSummary, null);
      } else if (code >= 300) {
        throw new Error(`the hub answered ${code} ${msg.headers.description}`);
      } else this.#take(msg);
      this.#status('live');
    } catch (error) {
      if (this.#closed || nc.isClosed()) return;
      // No responders: the hub has no public summaries (not set up for following); a timeout:
      // the connection is going. Either way the page says it is not live, and the reconnect,
      // or the next summary, brings it back.
      console.warn(`follow: the last summary could not be read (${error.message})`);
      this.#status('unreachable');
    }
  }

  /** A summary as stored or republished: kept when it is this department's and newer. */
  #take(msg) {
    const operation = msg.headers?.get('KV-Operation');
    if (operation === 'DEL' || operation === 'PURGE') return; // not a summary: the admin's clean-up
    let value;
    try {
      value = msg.json();
    } catch {
      console.warn('follow: a summary that is not JSON was skipped');
      return;
    }
    const { summary, problem } = readSummary(value, this.#options.department);
    if (problem) {
      console.warn(`follow: a summary was skipped: ${problem}`);
      return;
    }
    const kept = newer(this.#kept, summary);
    if (kept === this.#kept) return;
    this.#kept = kept;
    tell(this.#options.onSummary, kept);
    this.#status('live');
  }

  #status(status) {
    if (this.#closed) return;
    if (status !== this.status) {
      this.status = status;
      tell(this.#options.onStatus, status);
    }
  }

  close() {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#nc?.close().catch(() => {});
  }
}
