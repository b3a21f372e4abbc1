// Carries transfers between departments. Each department is its own log, so a transfer is three
// operations, each applied alike by every window or device of its log:
//
//   1. `transfer` in the source: the ticket leaves its queue (or counter) for the source's
//      outbox, under a key made once by whoever sent it (department-api.js).
//   2. `arrive` in the target: the first arrival of a key decides (queued, or refused when its
//      number is in use there), and every later one of that key changes nothing.
//   3. `settle` in the source, with the target's decision: the outbox entry goes; a refused
//      ticket comes back to its line in the source.
//
// A Transfers watches the departments it is given (every department of a page, on one log) and
// sends 2 and 3 for every outbox entry whose target it also has. Any number of them may run, on
// any windows or devices: the keys make their repeats harmless. So a transfer is never lost (it
// waits in the outbox until some window or device that follows both departments carries it, and
// a staff console that made it does so at once) and never doubled (the target decides each key
// once). Only what the target has decided is settled, so a refusal cannot be guessed wrong.
import { CALL } from './department-api.js';

/** How long to wait before carrying an entry again whose last attempt went unanswered or failed. */
export const RETRY_MS = 2_000;

/** After a refusal that retrying will not change (these credentials may not: a kiosk's), wait this long. */
export const FORBIDDEN_RETRY_MS = 60_000;

export class Transfers {
  #machines = new Map(); // department name -> DepartmentApi
  #stops = new Map();
  #busy = new Map(); // key -> the time after which it may be tried again
  #timer = null;
  #closed = false;
  #now;
  #retryMs;

  /** `now` and `retryMs` for tests. */
  constructor({ now = () => Date.now(), retryMs = RETRY_MS } = {}) {
    this.#now = now;
    this.#retryMs = retryMs;
  }

  /** Carries transfers from and to department `name` (a SharedMachine or HubMachine) from now on. */
  add(name, machine) {
    this.remove(name);
    this.#machines.set(name, machine);
    this.#stops.set(name, machine.subscribe(() => this.#carry()) ?? (() => {}));
    this.#carry();
  }

  /** Stops following department `name` (its machine is not closed). */
  remove(name) {
    this.#stops.get(name)?.();
    this.#stops.delete(name);
    this.#machines.delete(name);
  }

  /** Stops everything. */
  close() {
    this.#closed = true;
    for (const name of [...this.#machines.keys()]) this.remove(name);
    clearTimeout(this.#timer);
  }

  /** Every outbox entry this page can carry, with the step it is at. */
  pending() {
    const out = [];
    for (const [from, machine] of this.#machines) {
      for (const entry of machine.state?.transfers?.outbox ?? []) {
        if (!entry.stranded) out.push({ from, ...entry, carried: this.#machines.has(entry.to) });
      }
    }
    return out;
  }

  #carry() {
    if (this.#closed) return;
    const now = this.#now();
    let waiting = false;
    for (const entry of this.pending()) {
      const target = this.#machines.get(entry.to);
      if (target === undefined) continue;
      const source = this.#machines.get(entry.from);
      if ((this.#busy.get(entry.key) ?? 0) > now) {
        waiting = true;
        continue;
      }
      const decided = new Map(target.state?.transfers?.arrived ?? []).get(entry.key);
      this.#busy.set(entry.key, now + this.#retryMs);
      waiting = true;
      const settle = (accepted) => source[CALL]('settle', { key: entry.key, accepted });
      // Run inside the machines' notifications: whatever goes wrong here must stay here.
      const step = Promise.resolve().then(() => (decided === undefined
        ? target[CALL]('arrive', { number: entry.number, taken: entry.taken, group: entry.group, from: entry.from, key: entry.key })
          .then(({ accepted }) => settle(accepted))
        : settle(decided.accepted)));
      step.then(
        () => {
          // The next state of either department carries it one step further.
          this.#busy.delete(entry.key);
          this.#carry();
        },
        (error) => {
          if (error?.code === 'forbidden') this.#busy.set(entry.key, this.#now() + FORBIDDEN_RETRY_MS);
        },
      );
    }
    // Whatever went unanswered is tried again: a state change alone may never come.
    clearTimeout(this.#timer);
    if (waiting) this.#timer = setTimeout(() => this.#carry(), this.#retryMs);
  }
}
