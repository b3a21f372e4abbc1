// The facility's departments as the settings in use say, while the page runs: a manager's newer
// settings are applied without a reload (apply), and the views follow (follow, subscribe). A
// department the new settings keep keeps its Department object and its machine, so nothing it
// shows is interrupted (a ticket on screen, a number being called); a new one starts; a removed
// one's machine is closed here, and its record stays where it is kept (its figures too). No DOM
// here, and no machine of its own: departments.js says how a department starts.
import { subscribeEach } from './department.js';

/**
 * The departments of the facility's settings in use, as they change. `departments` and `config`
 * are the current ones; `subscribe(listener)` hears of each change of them.
 */
export class Facility {
  #listeners = new Set();
  #start;
  #changed;

  /**
   * @param config   the validated configuration to start with
   * @param start    (deptConfig) => Department: a department new to this window
   * @param changed  (departments) => void: after each change of the list (the hub's connections)
   */
  constructor({ config, start, changed = () => {} }) {
    this.config = config;
    this.#start = start;
    this.#changed = changed;
    this.departments = config.departments.map((dept) => start(dept));
  }

  /** Calls `listener(facility)` after each change of the settings; returns an unsubscribe. */
  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Calls `build(departments)` now and after each change of the list; what a build returns (a
   * function, if anything) is called before the next one, to undo its subscriptions. Returns an
   * unsubscribe.
   */
  follow(build) {
    let undo = build(this.departments);
    return this.subscribe(() => {
      undo?.();
      undo = build(this.departments);
    });
  }

  /**
   * Calls `listener()` now, after each change of the list, and after each change of what any
   * of its departments shows (a view of them all: the figures, the banner). Returns an
   * unsubscribe.
   */
  watch(listener) {
    return this.follow((departments) => {
      listener();
      return subscribeEach(departments, () => listener());
    });
  }

  /**
   * Runs `config` (validated) from now on: departments matched by id, in its order; a kept one
   * reconfigured, a new one started, a removed one closed. Listeners are told once all is done,
   * each of them even if another throws (the first error is thrown after).
   */
  apply(config) {
    const before = new Map(this.departments.map((dept) => [dept.config.id, dept]));
    const departments = config.departments.map((wanted) => {
      const dept = before.get(wanted.id);
      if (dept === undefined) return this.#start(wanted);
      before.delete(wanted.id);
      dept.reconfigure(wanted);
      return dept;
    });
    this.config = config;
    this.departments = departments;
    this.#changed(departments);
    for (const gone of before.values()) gone.close();
    // Every view follows, whatever one of them throws: the first error is for the caller.
    let failure = null;
    for (const listener of this.#listeners) {
      try {
        listener(this);
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== null) throw failure;
  }

  /** Closes every department (the page cannot start after all). */
  close() {
    for (const dept of this.departments) dept.close();
  }
}

