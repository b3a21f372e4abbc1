// One department of the facility, as a window of the kiosk sees it: the department's shared
// machine (one for every window of the browser: js/shared/), turned into what the page shows
// and does.
//
// No DOM here, so Node tests drive it with the real package. The page renders from `view()`
// after each change (`onChange`), whichever window made it.

export class Department {
  #machine;

  /**
   * @param config    one validated department from config.json
   * @param machine   the department's SharedMachine (or anything with its API)
   * @param onChange  called after every change of what the department shows
   */
  constructor({ config, machine, onChange = () => {} }) {
    this.config = config;
    this.#machine = machine;
    machine.subscribe(() => onChange());
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
    if (state === null) return { queue: [], nowServing: null, asleep: false, known: false, notices: [] };
    return {
      queue: [...state.queue],
      nowServing: state.record?.nowServing ?? null,
      asleep: state.asleep,
      known: true,
      notices: state.notices,
    };
  }

  /** A customer takes a number: { number, ahead } or { full: true }. Wakes a sleeping machine. */
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
    return { number, ahead: Math.max(0, queue.indexOf(number)) };
  }

  /** Staff serve the next number, or `priority`: { number } or { empty: true } / { notFound: true }. */
  async serve(priority) {
    try {
      return { number: await this.#machine.serveNextQueuedNumber(priority) };
    } catch (error) {
      if (error.code === 'empty_queue') return { empty: true };
      if (error.code === 'priority_number_not_found') return { notFound: true };
      throw error;
    }
  }

  /** Staff empty the queue; resolves once every window has been told. */
  async reset() {
    this.#machine.resetState();
    // A cast has no answer; a call made after it is answered after it has been applied.
    await this.#machine.reportState();
  }

  /** Wakes a machine that switched itself off; nothing happens when it is on. */
  wake() {
    return this.#machine.wake();
  }

  /** Leaves the shared machine (page teardown, tests); another window hosts it if this one did. */
  close() {
    this.#machine.close();
  }
}
