// One department of the facility: its Machine, what is being served, and what is saved.
//
// No DOM here, so Node tests drive it with the real package. The page renders from
// `view()` after each change (`onChange`).
import * as storage from './storage.js';

export class Department {
  #Machine;
  #store;
  #machine = null;
  #nowServing = null;
  #queue = [];
  #asleep = false;
  #onChange;
  #onNotice;

  /**
   * @param config    one validated department from config.json
   * @param Machine   the Machine class of the package
   * @param store     a Storage (localStorage in the page)
   * @param onChange  called after every change of what the department shows
   * @param onNotice  called with text meant for staff (storage problems)
   */
  constructor({ config, Machine, store, onChange = () => {}, onNotice = () => {} }) {
    this.config = config;
    this.#Machine = Machine;
    this.#store = store;
    this.#onChange = onChange;
    this.#onNotice = onNotice;
  }

  /** Starts the machine from saved state when there is usable state, clean otherwise. */
  start() {
    const { state, problem } = storage.load(this.#store, this.config);
    if (problem) this.#onNotice(`${this.config.name}: ${problem}. Started with an empty queue.`);
    const error = state ? this.#restore(state) : this.#startEmpty();
    if (error) {
      this.#onNotice(`${this.config.name}: the saved tickets could not be restored (${error.code ?? error.message}). Started with an empty queue.`);
    }
    if (!state || error) this.#persist();
  }

  /** What the page shows: numbers waiting (front first), now serving, switched off or not. */
  view() {
    return { queue: [...this.#queue], nowServing: this.#nowServing, asleep: this.#asleep };
  }

  /** A customer takes a number: { number, ahead } or { full: true }. Wakes a sleeping machine. */
  async take() {
    const machine = this.#awake();
    let number;
    try {
      number = await machine.queueNewNumber();
    } catch (error) {
      if (error.code === 'all_possible_numbers_are_in_use') return { full: true };
      throw error;
    }
    await this.#refresh(machine);
    return { number, ahead: Math.max(0, this.#queue.indexOf(number)) };
  }

  /** Staff serve the next number, or `priority`: { number } or { empty: true } / { notFound: true }. */
  async serve(priority) {
    const machine = this.#awake();
    let number;
    try {
      number = await machine.serveNextQueuedNumber(priority);
    } catch (error) {
      if (error.code === 'empty_queue') return { empty: true };
      if (error.code === 'priority_number_not_found') return { notFound: true };
      throw error;
    }
    this.#nowServing = number;
    await this.#refresh(machine);
    return { number };
  }

  /** Staff empty the queue (a cast), and nothing is being served any more. */
  async reset() {
    const machine = this.#awake();
    machine.resetState();
    this.#nowServing = null;
    await this.#refresh(machine);
  }

  /** Wakes a machine that switched itself off; a no-op when it is on. */
  wake() {
    this.#awake();
  }

  /**
   * Another window of the kiosk (say, the board on a second screen) saved this department:
   * follow it, so that every window shows the same queue. The saved queue restarts this
   * window's machine; a cleared save (that window's machine switched itself off) switches
   * this one off too. Unusable saves are ignored here: the window that wrote them reports.
   */
  follow() {
    const { state, problem } = storage.load(this.#store, this.config);
    if (problem) return;
    const old = this.#machine;
    this.#machine = null; // the old machine's exit is not a shutdown of this department
    if (old?.alive) old.stop('replaced').catch(() => {});
    if (state === null) {
      this.#asleep = true;
      this.#queue = [];
    } else {
      this.#restore(state);
    }
    this.#onChange();
  }

  /** Stops the machine for good (page teardown, tests). */
  async close() {
    const machine = this.#machine;
    this.#machine = null;
    if (machine?.alive) await machine.stop('shutdown');
  }

  #awake() {
    if (this.#machine === null || !this.#machine.alive) {
      // As in the exercise: an auto-shut-down machine is gone; a touch starts a fresh one.
      this.#startEmpty();
      this.#persist();
      this.#onChange();
    }
    return this.#machine;
  }

  /** A fresh machine with an empty queue. Returns null (nothing went wrong). */
  #startEmpty() {
    this.#boot([]);
    this.#queue = [];
    this.#nowServing = null;
    return null;
  }

  /** A machine restored from saved state; if the machine refuses it, an empty one and the error. */
  #restore(state) {
    try {
      this.#boot(state.queue);
    } catch (error) {
      this.#startEmpty();
      return error;
    }
    this.#queue = [...state.queue];
    this.#nowServing = state.nowServing;
    return null;
  }

  #boot(queue) {
    const options = {
      minNumber: this.config.minNumber,
      maxNumber: this.config.maxNumber,
      autoShutdownTimeout: this.config.autoShutdownTimeout,
      queue,
    };
    const machine = new this.#Machine(options);
    this.#machine = machine;
    this.#asleep = false;
    machine.exited.then((reason) => {
      if (this.#machine !== machine) return; // replaced or closed meanwhile
      this.#asleep = true;
      // A clean shutdown ends the machine's queue, so nothing of it is kept.
      if (reason === 'normal') storage.clear(this.#store, this.config);
      this.#queue = [];
      this.#onChange();
    });
  }

  async #refresh(machine) {
    const { queue } = await machine.reportState();
    if (this.#machine !== machine) return;
    this.#queue = queue;
    this.#persist();
    this.#onChange();
  }

  #persist() {
    const problem = storage.save(this.#store, this.config, { queue: this.#queue, nowServing: this.#nowServing });
    if (problem) this.#onNotice(`${this.config.name}: ${problem}.`);
  }
}
