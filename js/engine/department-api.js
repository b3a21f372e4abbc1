// The API every department has, whichever log it is on: the Machine's promise API plus what
// sharing adds (wake, note, reset as a call, state, status, subscribe). SharedMachine and
// HubMachine extend it and supply only how a call travels, so that a page never has to ask which
// one it was given, and a method added here is added to both.
//
// The transport's part is reached through symbols, not public names: npm users see the API
// below and nothing of the plumbing (nats.js keeps its internals apart the same way).
import { machineError } from './errors.js';
import { checkConfig } from './options.js';
import { validArg } from './operations.js';
import { randomId } from './values.js';

/**
 * `[CALL](kind, arg, data, config)`: sends an operation and resolves with its answer. `config`,
 * for a `configure`, is the configuration it sets; other operations declare the machine's own.
 */
export const CALL = Symbol('call');
/** `[CAST](kind, arg)`: sends an operation whose answer nobody waits for. */
export const CAST = Symbol('cast');
/** `[NOTIFY]()`: tells every subscriber the current state. */
export const NOTIFY = Symbol('notify');
/** `[READY]()`: resolves `ready`. */
export const READY = Symbol('ready');
/** `[DECLARE](config)`: the configuration the machine's operations declare from now on. */
export const DECLARE = Symbol('declare');

export class DepartmentApi {
  #listeners = new Set();
  #ready;
  #becameReady;

  constructor() {
    this.#ready = new Promise((resolve) => { this.#becameReady = resolve; });
  }

  // --- The Machine's API -------------------------------------------------------------------

  /** Takes the next number. Switches a switched-off department on first. */
  queueNewNumber() {
    return this[CALL]('take');
  }

  /**
   * Serves the front of the queue, or `priorityNumber`. `details` (such as the counter calling
   * the number) go into the record with the serve.
   */
  serveNextQueuedNumber(priorityNumber, details) {
    if (priorityNumber !== undefined && !Number.isSafeInteger(priorityNumber)) {
      return Promise.reject(machineError('invalid_argument', 'the priority number must be a safe integer'));
    }
    return priorityNumber === undefined ? this[CALL]('serve', undefined, details) : this[CALL]('priority', priorityNumber, details);
  }

  /** Empties the queue. A cast: returns nothing (reset() is the call that hears a refusal). */
  resetState() {
    this[CAST]('reset');
  }

  /** Any other message: ignored, but it counts as activity. A cast. */
  send(message) {
    this[CAST]('send', message);
  }

  // --- A facility's queue rules (see the Machine's methods of the same names) -------------------

  /** Takes the next number in `options.group` (the first group when absent). */
  takeNumber(options) {
    const arg = options?.group === undefined ? undefined : { group: options.group };
    return this.#op('take', arg);
  }

  /**
   * Calls a waiting ticket to `counter`: the next in the department's order, or `pick.group`'s
   * front, or `pick.number`. `details` go into the record with the call. Resolves with the
   * ticket at the counter (and the one the call finished).
   */
  call(counter, pick, details) {
    return this.#op('call', { counter, ...(pick ?? {}) }, details);
  }

  /** Calls `counter`'s ticket once more. */
  recall(counter) {
    return this.#op('recall', { counter });
  }

  /** Ends `counter`'s ticket as served. */
  finish(counter) {
    return this.#op('finish', { counter });
  }

  /** Ends `counter`'s ticket as a no-show (once it has had the calls the department asks for). */
  noShow(counter) {
    return this.#op('no-show', { counter });
  }

  /** Sets `counter`'s ticket aside, to recall it to the same counter later. */
  park(counter) {
    return this.#op('park', { counter });
  }

  /** Calls parked ticket `number` back to the counter that parked it. */
  recallParked(number) {
    return this.#op('unpark', { number });
  }

  /**
   * Sends ticket `number` (waiting, at a counter or parked) to department `to`, keeping its
   * number: it leaves this department now and joins `to` (at the back or by the time it was first
   * taken, as `to` places transfers) once a device that follows both carries it over (see
   * js/engine/transfers.js). Resolves with `{ number, group, taken }`.
   */
  transfer(number, to) {
    return this.#op('transfer', { number, to, key: randomId() });
  }

  /** Sends operation `kind` if its argument is one every log carries; else rejects and sends nothing. */
  #op(kind, arg, details) {
    if (!validArg(kind, arg)) {
      return Promise.reject(machineError('invalid_argument', `invalid argument for ${kind}`));
    }
    return this[CALL](kind, arg, details);
  }

  // --- Sharing -----------------------------------------------------------------------------

  /** resetState() as a call: resolves once the reset is in the record. */
  reset() {
    return this[CALL]('reset');
  }

  /** Switches a switched-off department on (afresh); nothing happens if it is on. */
  wake() {
    return this[CALL]('wake');
  }

  /** Adds `details` to the record without touching the queue (the record's apply sees a `note`). */
  note(details) {
    return this[CALL]('note', undefined, details);
  }

  /**
   * Sets the department's number range and idle timeout in its record: `{ minNumber, maxNumber,
   * autoShutdownTimeout? }`. On a hub only a manager's credentials may (the hub refuses others
   * with `forbidden`). Resolves with `{ applied, waiting }`: `applied` false while tickets wait
   * outside the new range (it applies once the queue is empty, reset, or switched off). From
   * then on this machine's operations declare the new configuration. The numbers handed out and
   * the record carry on.
   */
  configure(config) {
    let checked;
    try {
      checked = checkConfig(config);
    } catch (error) {
      return Promise.reject(error);
    }
    return this[CALL]('configure', undefined, undefined, checked).then((value) => {
      this[DECLARE](checked);
      return value;
    });
  }

  /**
   * The configuration this machine's operations declare, without changing the record: the
   * facility's, once a manager has saved it (see configure()). An operation whose configuration
   * is neither the record's nor its pending one is refused with `configuration_mismatch`.
   */
  useConfiguration(config) {
    this[DECLARE](checkConfig(config));
  }

  /**
   * Starts the department over, empty, under this machine's rules, whatever rules its record
   * runs (staff on a hub): how staff bring a department back into service that was given rules
   * no device here runs. Waiting tickets are dropped, as with a reset.
   */
  reclaim() {
    return this[CALL]('reclaim');
  }

  /** Resolves once this window or device knows the department's state (or is closed). */
  get ready() {
    return this.#ready;
  }

  /** Whether the department is switched on, as far as this window or device knows. */
  get alive() {
    return this.state !== null && !this.state.asleep && this.status !== 'closed';
  }

  /** Calls `listener(state)` after every change; returns a function that stops it. */
  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  [NOTIFY]() {
    for (const listener of this.#listeners) listener(this.state);
  }

  [READY]() {
    this.#becameReady();
  }
}
