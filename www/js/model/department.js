// One department of the facility, as a window of the kiosk sees it: the department's shared
// machine (one for every window of the browser: js/shared/), turned into what the page shows
// and does.
//
// No DOM here, so Node tests drive it with the real package. Each view renders from `view()`
// and `record()` after each change (`subscribe`), whichever window made it.
//
// Counters: a department with counters (config.json) calls each number *to a counter*; the
// record (ticket-record.js) keeps the number at each one. A department without counters passes
// `counter` null everywhere and has one number being served: to the machine, its calls go to the
// one counter SOLE_COUNTER ('*', a name no configured counter can have), which the record shows
// as null.
//
// Staff act through the department's counters' operations (js/engine/operations.js): call, call
// again, finish, no-show, park, recall parked, transfer. A ticket stays at its counter until one
// of them moves it, or the counter's next call finishes it.
import { estimateWait } from './estimate.js';
import { NUMBER, TAKEN, OUTCOME, SOLE_COUNTER } from './ticket-record.js';
import { engineConfig, aheadInOrder } from './queue-rules.js';

/** The kiosk record before the state is known. */
const NO_RECORD = Object.freeze({
  nowServing: null, counters: {}, calls: [], recall: null,
  day: { start: 0, tickets: [], resets: 0, noShows: 0, longestQueue: 0 },
});

/** What a department's record keeps of its settings, and its operations declare: range, idle timeout, queue rules, daily opening. */
const rangeOf = engineConfig;

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

  /**
   * The number at `counter` (or, without counters, the number being served), or null: the
   * ticket the department's desk holds there, which staff act on.
   */
  current(counter = null) {
    return this.seat(counter)?.number ?? null;
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
   * A customer takes a number, in `group` (an id of the department's groups; none without
   * groups): { number, group, ahead, taken } or { full: true }. Wakes a sleeping machine.
   * `taken` is when the record says the ticket was taken (ms; the hub's clock in hub mode), null
   * if the record does not know it: with the number, it names this ticket among every ticket of
   * that number (a phone follows it by both: follow/address.js). `ahead` counts the tickets
   * called before it in the department's order, as the desk says, where it does.
   */
  async take(group = null) {
    let number;
    try {
      number = group === null ? await this.#machine.queueNewNumber() : await this.#machine.takeNumber({ group });
    } catch (error) {
      if (error.code === 'all_possible_numbers_are_in_use') return { full: true };
      throw error;
    }
    // The state that includes this ticket arrived before the answer did.
    const state = this.#machine.state;
    const ahead = group !== null && state?.desk ? aheadInOrder(state.desk.waiting, number, engineConfig(this.config), state.desk.nextGroup)
      : Math.max(0, (state?.queue ?? []).indexOf(number));
    const ticket = this.record().day.tickets.findLast((t) => t[NUMBER] === number && t[OUTCOME] === 'waiting');
    return { number, group, ahead, taken: ticket?.[TAKEN] ?? null };
  }

  /**
   * Staff serve the next number, or `priority`, at `counter` (null without counters): a call.
   * { number } or { empty: true } / { notFound: true }.
   */
  async serve(priority, counter = null) {
    const outcome = await this.call(counter, priority === undefined ? undefined : { number: priority });
    return outcome.number === undefined ? outcome : { number: outcome.number };
  }

  /**
   * Staff call a waiting ticket to `counter` (null without counters): the next in the
   * department's order (`pick` undefined), the front of `pick.group`, or `pick.number`. Resolves
   * `{ number, group, calls, finished }` (`finished`: the counter's previous ticket, which the
   * call ended as served, or null), or `{ empty: true }` (nobody waits, in that group),
   * `{ notFound: true }` (that number does not wait), `{ unknownGroup: true }`.
   */
  async call(counter = null, pick = undefined) {
    const at = this.#counterAt(counter);
    try {
      const { number, group, calls, finished } = await this.#machine.call(at, pick);
      return { number, group, calls, finished };
    } catch (error) {
      if (error.code === 'empty_queue') return { empty: true };
      if (error.code === 'priority_number_not_found' || error.code === 'ticket_not_found') return { notFound: true };
      if (error.code === 'unknown_group') return { unknownGroup: true };
      throw error;
    }
  }

  /**
   * Staff call the number at `counter` again (the board flashes it, windows with sound say it
   * again): { number }, or { nobody: true } when nobody is at that counter.
   */
  recall(counter = null) {
    return this.#atCounter('recall', counter);
  }

  /**
   * The person called to `counter` did not come: their ticket is closed as a no-show (it never
   * returns to the queue) and the counter is free. { number }, { nobody: true }, or
   * { tooFewCalls: { calls, needed } } while the ticket has had fewer calls than the department
   * asks for before a no-show (call it again first).
   */
  noShow(counter = null) {
    return this.#atCounter('noShow', counter);
  }

  /** The person at `counter` is done with: the counter is free. { number } or { nobody: true }. */
  finish(counter = null) {
    return this.#atCounter('finish', counter);
  }

  /**
   * Sets the ticket at `counter` aside (the customer fetches a document): it leaves the counter
   * and waits in `parked()` to be called back to it. { number } or { nobody: true }.
   */
  park(counter = null) {
    return this.#atCounter('park', counter);
  }

  /**
   * Calls parked ticket `number` back to the counter that parked it (finishing the ticket there,
   * if any). { number, counter } (counter null without counters) or { notParked: true }.
   */
  async recallParked(number) {
    try {
      const seat = await this.#machine.recallParked(number);
      return { number: seat.number, counter: seat.counter === SOLE_COUNTER ? null : seat.counter, calls: seat.calls, finished: seat.finished };
    } catch (error) {
      if (error.code === 'not_parked') return { notParked: true };
      throw error;
    }
  }

  /**
   * Sends ticket `number` (waiting, at a counter or parked) to department `to` (another
   * department's id), keeping its number; `number` null: the ticket at `counter`. { number, to },
   * { nobody: true } (no ticket at `counter`), or { notFound: true } (that number is neither
   * waiting, at a counter nor parked here). Throws `invalid_argument` for `to` this department.
   */
  async transfer(number, to, counter = null) {
    if (to === this.config.id || typeof to !== 'string') {
      const error = new Error(`${this.config.name} cannot transfer a ticket to ${JSON.stringify(to)}: choose another department`);
      error.code = 'invalid_argument';
      throw error;
    }
    let which = number;
    if (which === null) {
      which = this.current(counter);
      if (which === null) return { nobody: true };
    }
    try {
      await this.#machine.transfer(which, to);
      return { number: which, to };
    } catch (error) {
      if (error.code === 'ticket_not_found') return { notFound: true };
      throw error;
    }
  }

  /** The tickets parked in this department, oldest first: [{ number, group, counter, calls }] (counter null without counters). */
  parked() {
    return (this.#machine.state?.desk?.parked ?? []).map(({ number, group, counter, calls }) => (
      { number, group, counter: counter === SOLE_COUNTER ? null : counter, calls }));
  }

  /** The ticket at `counter` (null without counters): { number, group, calls } or null. */
  seat(counter = null) {
    const at = counter === null ? SOLE_COUNTER : counter;
    const ticket = (this.#machine.state?.desk?.serving ?? []).find((t) => t.counter === at);
    return ticket === undefined ? null : { number: ticket.number, group: ticket.group, calls: ticket.calls };
  }

  /** The group the department calls next (state.desk.nextGroup), or null when nobody waits. */
  nextGroup() {
    return this.#machine.state?.desk?.nextGroup ?? null;
  }

  /** How many calls a ticket needs before it may be marked a no-show (the department's rules; 1 by default). */
  get callsBeforeNoShow() {
    return this.config.callsBeforeNoShow ?? 1;
  }

  /** `method` of the machine at `counter`, with the answers staff see. */
  async #atCounter(method, counter) {
    const at = this.#counterAt(counter);
    try {
      const seat = await this.#machine[method](at);
      return { number: seat.number };
    } catch (error) {
      if (error.code === 'counter_idle') return { nobody: true };
      if (error.code === 'too_few_calls') {
        return { tooFewCalls: { calls: this.seat(counter)?.calls ?? null, needed: this.callsBeforeNoShow } };
      }
      throw error;
    }
  }

  /** The machine's name of `counter` (checked): SOLE_COUNTER for a department without counters. */
  #counterAt(counter) {
    this.#checkCounter(counter);
    return counter === null ? SOLE_COUNTER : counter;
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
