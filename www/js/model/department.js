// One department of the facility, as a window of the kiosk sees it: the department's shared
// machine (one for every window of the browser: js/shared/), turned into what the page shows
// and does.
//
// No DOM here, so Node tests drive it with the real package. Each view renders from `view()`
// and `record()` after each change (`subscribe`), whichever window made it.
//
// Counters: a department with counters (config.json) calls each number *to a counter*; the
// record (ticket-record.js) keeps the number at each one. A department without counters passes
// `counter` null everywhere and has one number being served.
import { estimateWait } from './estimate.js';
import { NUMBER, TAKEN, OUTCOME } from './ticket-record.js';

/** The kiosk record before the state is known. */
const NO_RECORD = Object.freeze({
  nowServing: null, counters: {}, calls: [], recall: null,
  day: { start: 0, tickets: [], resets: 0, noShows: 0, longestQueue: 0 },
});

/** What a department's record keeps of its settings, and its operations declare. */
const rangeOf = ({ minNumber, maxNumber, autoShutdownTimeout, opening }) => ({ minNumber, maxNumber, autoShutdownTimeout, opening });

/** Calls `listener(dept)` after each change of each of `departments`; returns an unsubscribe. */
export function subscribeEach(departments, listener) {
  const stops = departments.map((dept) => dept.subscribe(() => listener(dept)));
  return () => { for (const stop of stops) stop(); };
}

export class Department {
  #machine = null;
  #unsubscribe = () => {};
  #listeners = new Set();

  /**
   * @param config    one validated department from config.json
   * @param machine   the department's SharedMachine, HubMachine (or anything with its API)
   * @param onChange  called after every change of what the department shows (see subscribe)
   */
  constructor({ config, machine, onChange }) {
    this.config = config;
    if (onChange) this.#listeners.add(onChange);
    this.use(machine);
  }

  /** Calls `listener()` after every change of what the department shows. Returns an unsubscribe. */
  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed() {
    for (const listener of this.#listeners) listener();
  }

  /**
   * Uses another machine of the same department from now on: in hub mode, the staff's own
   * connection once they have signed in at the console, and the device's again once it locks.
   */
  use(machine) {
    this.#unsubscribe();
    this.#machine = machine;
    // A machine made before the facility's settings changed (the device's, kept while staff
    // used theirs) declares the settings this department runs now.
    machine.useConfiguration(rangeOf(this.config));
    this.#unsubscribe = machine.subscribe(() => this.#changed()) ?? (() => {});
    this.#changed();
  }

  /**
   * Whether the department can be reached: 'online' (always, within one browser, until closed);
   * in hub mode also 'connecting', 'offline', 'needs-update', 'not-configured' or 'not-set-up' (HubMachine's status).
   */
  get status() {
    return this.#machine.status;
  }

  /** Resolves once the department's state is known. */
  get ready() {
    return this.#machine.ready;
  }

  /** Whether this window hosts the department's machine. */
  get isHost() {
    return this.#machine.isHost;
  }

  /**
   * What the page shows: numbers waiting (front first), now serving, switched off or not,
   * whether the state is known yet, and the notices for staff.
   */
  view() {
    const state = this.#machine.state;
    const status = this.status;
    if (state === null) return { queue: [], nowServing: null, asleep: false, known: false, notices: [], refusals: [], status };
    return {
      queue: [...state.queue],
      nowServing: state.record?.nowServing ?? null,
      asleep: state.asleep,
      known: true,
      notices: state.notices,
      // What the record refused (another release's, or a forged, operation): staff see it.
      refusals: state.refusals ?? [],
      status,
    };
  }

  /**
   * The department's part of the kiosk record (ticket-record.js): `{ nowServing, counters, calls,
   * recall, day }`, the same in every window.
   */
  record() {
    return this.#machine.state?.record ?? NO_RECORD;
  }

  /** The number at `counter` (or, without counters, the number being served), or null. */
  current(counter = null) {
    const record = this.record();
    if (counter === null) return record.nowServing;
    return record.counters[counter]?.number ?? null;
  }

  /** The estimated wait in ms of a ticket with `ahead` people before it at `now`, or null (estimate.js). */
  estimate({ ahead, now }) {
    return estimateWait(this.record().day.tickets, { ahead, now });
  }

  /**
   * Runs the department under `config` from now on (a newer version of the facility's settings,
   * same id): what the views show, and the range and idle timeout its operations declare. Its
   * record takes them from the manager's save (configure), not from here.
   */
  reconfigure(config) {
    this.config = config;
    this.#machine.useConfiguration(rangeOf(config));
    this.#changed();
  }

  /**
   * Sets the department's range, idle timeout and daily opening in its record (a manager's
   * save): resolves `{ applied, waiting }`, applied false while waiting tickets keep the old range.
   */
  configure(config) {
    return this.#machine.configure(config);
  }

  /**
   * Starts the department over, empty, under this device's release, whatever rules its record
   * was given (staff, when the record runs rules no device here runs: status needs-update).
   */
  reclaim() {
    return this.#machine.reclaim();
  }

  /**
   * A customer takes a number: { number, ahead, taken } or { full: true }. Wakes a sleeping
   * machine. `taken` is when the record says the ticket was taken (ms; the hub's clock in hub
   * mode), null if the record does not know it: with the number, it names this ticket among
   * every ticket of that number (a phone follows it by both: follow/address.js).
   */
  async take() {
    let number;
    try {
      number = await this.#machine.queueNewNumber();
    } catch (error) {
      if (error.code === 'all_possible_numbers_are_in_use') return { full: true };
      throw error;
    }
    // The state that includes this ticket arrived before the answer did.
    const queue = this.#machine.state?.queue ?? [];
    const ticket = this.record().day.tickets.findLast((t) => t[NUMBER] === number && t[OUTCOME] === 'waiting');
    return { number, ahead: Math.max(0, queue.indexOf(number)), taken: ticket?.[TAKEN] ?? null };
  }

  /**
   * Staff serve the next number, or `priority`, at `counter` (null without counters):
   * { number } or { empty: true } / { notFound: true }.
   */
  async serve(priority, counter = null) {
    this.#checkCounter(counter);
    try {
      return { number: await this.#machine.serveNextQueuedNumber(priority, counter === null ? undefined : { counter }) };
    } catch (error) {
      if (error.code === 'empty_queue') return { empty: true };
      if (error.code === 'priority_number_not_found') return { notFound: true };
      throw error;
    }
  }

  /**
   * Staff call the number at `counter` again (the board flashes it, windows with sound say it
   * again): { number }, or { nobody: true } when nobody is at that counter.
   */
  recall(counter = null) {
    return this.#note('recall', counter);
  }

  /**
   * The person called to `counter` did not come: their ticket is closed as a no-show (it never
   * returns to the queue) and the counter is free. { number } or { nobody: true }.
   */
  noShow(counter = null) {
    return this.#note('no-show', counter);
  }

  async #note(kind, counter) {
    this.#checkCounter(counter);
    const number = this.current(counter);
    if (number === null) return { nobody: true };
    // The record checks again when it applies the note, in order with every other change: a
    // number that left the counter meanwhile is not touched.
    await this.#machine.note({ kind, counter });
    return { number };
  }

  #checkCounter(counter) {
    const { counters = [] } = this.config;
    if (counter === null ? counters.length > 0 : !counters.includes(counter)) {
      const error = new Error(counter === null
        ? `${this.config.name} calls numbers to counters: choose one`
        : `${this.config.name} has no counter ${JSON.stringify(counter)}`);
      error.code = 'unknown_counter';
      throw error;
    }
  }

  /** Staff empty the queue; resolves once it is in the record (rejects if refused). */
  async reset() {
    await this.#machine.reset();
  }

  /** Wakes a machine that switched itself off; nothing happens when it is on. */
  wake() {
    return this.#machine.wake();
  }

  /** Leaves the shared machine (page teardown, tests); another window hosts it if this one did. */
  close() {
    this.#unsubscribe();
    this.#machine.close();
  }
}
