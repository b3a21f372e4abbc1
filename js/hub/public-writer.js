// A department's public summary on the hub: what customers' phones follow (the bucket tan-public,
// whose stream republishes each stored summary to tan.public.<department>; docs/hub.md). What a
// summary holds is the application's (the record's `summary` hook); here, when and how a device
// writes it.
//
// - Who writes. The device whose own operation (a call, or a tick it sent) was in a batch writes
//   at once, so a phone sees a call within a round trip. Every other device that may write checks
//   CHECK_AFTER_MS after a batch that was not its own whether the stored summary has caught up,
//   and writes it if not: an author that died right after its operation leaves no phone stale for
//   long. A device the hub refuses (a board) stops trying for good.
// - Never backwards. A summary is a pure function of the state at its `seq`, the same bytes on
//   every device, so which device writes does not matter, only that the stored one never goes
//   back: each write is compare-and-set on the stored summary's stream sequence, and a stored
//   summary whose `seq` is at least this one's is left alone. A write that loses the race reads
//   what won and decides again (TRIES times at most). Its msgID stores one copy of a summary that
//   two devices write at once.
// - Never in the way. It starts after the state is out and the calls are answered (a macrotask
//   later), one write at a time per department, always of the latest state.
import { STREAM, publicKey } from './protocol.js';
import { isPermissionError } from './calls.js';

/** A device that did not author a batch checks the stored summary this long after it (ms). */
export const CHECK_AFTER_MS = 2000;

/** Compare-and-set attempts per write: each lost race reads the winner and decides again. */
export const TRIES = 3;

/** How long a read or a write may take before this write is given up (the next batch tries again). */
const TIMEOUT_MS = 2000;

const isWrongLastSequence = (error) => error?.code === 10071 || /wrong last sequence/i.test(error?.message ?? '');

export class PublicWriter {
  #hub;
  #name;
  #summary; // the record's hook: (state, department) => plain data
  #state; // () => the state to publish (ready, caught up, current), or null
  #canWrite = true;
  #stored = null; // { seq, revision } of the stored summary as last seen, null: read it first
  #running = false;
  #again = false;
  #mustRead = false;
  #soon = null;
  #check = null;
  #closed = false;

  /** `summary`: the record's hook, or undefined (nothing is written); `state`: see above. */
  constructor({ hub, name, summary, state }) {
    this.#hub = hub;
    this.#name = name;
    this.#summary = summary;
    this.#state = state;
    if (typeof summary !== 'function') this.#canWrite = false;
  }

  /** Whether this device still writes (false: no hook, or the hub refused it). */
  get writing() {
    return this.#canWrite && !this.#closed;
  }

  /**
   * After a batch is applied and its state out: `own` when this device's operation was in it
   * (write now), otherwise check later that someone did.
   */
  applied({ own }) {
    if (!this.writing) return;
    if (own) {
      if (this.#soon === null) this.#soon = this.#hub.timers.setTimeout(() => { this.#soon = null; this.#run(false); }, 0);
    } else if (this.#check === null) {
      // Coalesced: one check per department however many batches arrive meanwhile; it looks at
      // the state as it is when it runs.
      this.#check = this.#hub.timers.setTimeout(() => { this.#check = null; this.#run(true); }, CHECK_AFTER_MS);
    }
  }

  close() {
    this.#closed = true;
    this.#hub.timers.clearTimeout(this.#soon);
    this.#hub.timers.clearTimeout(this.#check);
  }

  /** One write at a time; what is asked meanwhile is done once after it, of the latest state. */
  async #run(read) {
    this.#mustRead ||= read;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    try {
      do {
        this.#again = false;
        const mustRead = this.#mustRead;
        this.#mustRead = false;
        await this.#write(mustRead);
      } while (this.#again && this.writing);
    } catch {
      // Offline or slow: the next batch, or another device's check, writes it.
      this.#stored = null;
    } finally {
      this.#running = false;
    }
  }

  async #write(mustRead) {
    for (let tries = 0; tries < TRIES && this.writing; tries++) {
      // The author trusts what it last saw (the compare-and-set catches a change); a check reads.
      if (this.#stored === null || (mustRead && tries === 0)) {
        this.#stored = await this.#read();
        if (this.#stored === null) return;
      }
      const state = this.#state();
      if (state === null || !this.writing) return;
      if (this.#stored.seq === state.seq) return;
      if (this.#stored.seq > state.seq && !(await this.#forged(this.#stored))) return;
      const value = JSON.stringify(this.#summary(state, this.#name));
      if (value.length > (this.#hub.connection.info?.max_payload ?? 1024 * 1024) - 1024) return;
      try {
        const ack = await this.#hub.jetstream.publish(publicKey(this.#name), value, {
          msgID: `pub-${this.#name}-${state.seq}`,
          expect: { lastSubjectSequence: this.#stored.revision },
          timeout: TIMEOUT_MS,
        });
        // A duplicate: another device stored this very summary; what is newest is read next time.
        this.#stored = ack.duplicate ? null : { seq: state.seq, revision: ack.seq };
        return;
      } catch (error) {
        if (this.#refused(error)) return;
        if (!isWrongLastSequence(error)) throw error;
        this.#stored = null; // another device wrote in between: read it and decide again
      }
    }
  }

  /** The stored summary's `{ seq, revision }` (seq -1 when there is none or it is unreadable), or null when refused. */
  async #read() {
    let entry;
    try {
      entry = await (await this.#hub.publicKv).get(this.#name);
    } catch (error) {
      if (this.#refused(error)) return null;
      throw error;
    }
    if (entry === null) return { seq: -1, revision: 0 };
    let seq = -1;
    try {
      const stored = entry.operation === 'PUT' ? entry.json() : null;
      if (Number.isSafeInteger(stored?.seq)) seq = stored.seq;
    } catch {
      // not JSON: any summary replaces it
    }
    return { seq, revision: entry.revision };
  }

  /**
   * Whether a stored summary ahead of this device is one no device wrote: its `seq` is past the
   * operations stream's last sequence. The kiosk's credentials, which sit on a public touch
   * screen, may write summaries; without this, one with a made-up huge `seq` would stop every
   * device from writing that department's summaries again.
   */
  async #forged(stored) {
    try {
      const reply = await this.#hub.connection.request(`$JS.API.STREAM.INFO.${STREAM}`, '', { timeout: TIMEOUT_MS });
      const last = reply.json()?.state?.last_seq;
      return Number.isSafeInteger(last) && stored.seq > last;
    } catch {
      return false;
    }
  }

  #refused(error) {
    if (!isPermissionError(error)) return false;
    this.#canWrite = false; // these credentials may not write summaries: a board
    return true;
  }
}
