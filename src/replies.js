// The JS half of a machine's replies: the pending promises of its calls, oldest first, and the
// values handed back to JS. Kept on the JS side so that a call crosses the wasm boundary once
// to get its promise and an answer once to settle it, with no JS function handles held in wasm
// (each would cost two more crossings and a slot in wasm-bindgen's reference table).

/** A MachineError: an Error with a stable `code`. */
export function machineError(code, message) {
  const error = new Error(message);
  error.name = 'MachineError';
  error.code = code;
  return error;
}

export class PendingCalls {
  // resolve, reject, resolve, reject, ... of the promises not yet settled, oldest at #head.
  #settlers = [];
  #head = 0;

  /** A new pending promise, answered after every promise made before it. */
  promise() {
    return new Promise((resolve, reject) => {
      this.#settlers.push(resolve, reject);
    });
  }

  resolveNumber(n) {
    this.#next(0)(n);
  }

  resolveUndefined() {
    this.#next(0)(undefined);
  }

  /** Any value built in wasm (the facility's replies: tickets at counters, reports). */
  resolveValue(value) {
    this.#next(0)(value);
  }

  /** `view` is a view of wasm memory: copied out before anything else runs. */
  resolveState(minNumber, maxNumber, view, autoShutdownTimeout) {
    // A counted loop: Array.from goes through the iterator protocol, several times slower.
    const queue = new Array(view.length);
    for (let i = 0; i < view.length; i++) queue[i] = view[i];
    this.#next(0)({ minNumber, maxNumber, queue, autoShutdownTimeout });
  }

  reject(code, message) {
    this.#next(1)(machineError(code, message));
  }

  /** The oldest promise's resolve (0) or reject (1); it leaves the queue. */
  #next(which) {
    const settlers = this.#settlers;
    const head = this.#head;
    const settle = settlers[head + which];
    settlers[head] = settlers[head + 1] = undefined;
    this.#head = head + 2;
    if (this.#head === settlers.length) {
      settlers.length = 0;
      this.#head = 0;
    } else if (this.#head > 4096 && this.#head * 2 > settlers.length) {
      // Under a steady pipeline the queue never empties: drop the settled front now and then.
      settlers.splice(0, this.#head);
      this.#head = 0;
    }
    return settle;
  }
}
