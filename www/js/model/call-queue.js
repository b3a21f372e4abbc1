// The board's calls, one at a time: a new call (or a recall) is shown large over the board for a
// few seconds and said aloud, then the next. Calls that come together (two counters calling in
// the same second) wait their turn, none lost and none cut off: each stays on screen for at
// least `showMs`, and until its call-out has been said to the end (at most `longestMs`, so a
// voice that never ends does not stop the board). No DOM here; time is passed in through
// `timers`, so Node tests step through it.

/** How long a call stays over the board at least. */
export const SHOW_MS = 4000;
/** How long a call waits at most for its call-out to end. */
export const LONGEST_MS = 15_000;
/** How many calls may wait before each is shown for half the time. */
export const BEHIND = 3;

export class CallQueue {
  #waiting = [];
  #listeners = new Set();
  #say;
  #timers;
  #showMs;
  #longestMs;
  /** The call on screen: `{ dept, call, again }` (call-out.js's news), or null. */
  current = null;

  /**
   * @param say     (news) => Promise that settles once its call-out has been said (or at once
   *                when nothing is said): called as the call comes on screen
   * @param timers  { setTimeout, clearTimeout }
   */
  constructor({ say = () => Promise.resolve(), timers = globalThis, showMs = SHOW_MS, longestMs = LONGEST_MS } = {}) {
    this.#say = say;
    this.#timers = timers;
    this.#showMs = showMs;
    this.#longestMs = longestMs;
  }

  /** How many calls wait behind the one on screen. */
  get waiting() {
    return this.#waiting.length;
  }

  /** A new call or recall: shown now, or after those before it. */
  push(news) {
    this.#waiting.push(news);
    if (this.current === null) this.#next();
    else this.#changed();
  }

  /** Calls `listener(current)` after each change; returns an unsubscribe. */
  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #next() {
    this.current = this.#waiting.shift() ?? null;
    if (this.current !== null) this.#time(this.current);
    this.#changed();
  }

  /** Moves on from `shown` once its time is up and it has been said. */
  #time(shown) {
    let minimum = false;
    let said = false;
    const done = () => {
      if (this.current !== shown || !minimum || !said) return;
      this.#timers.clearTimeout(cap);
      this.#next();
    };
    const cap = this.#timers.setTimeout(() => { said = true; done(); }, this.#longestMs);
    // A crowd of calls (more than BEHIND waiting) gets half the time each, so the board catches
    // up; every call is still shown, and said to its end.
    const showMs = this.#waiting.length > BEHIND ? this.#showMs / 2 : this.#showMs;
    this.#timers.setTimeout(() => { minimum = true; done(); }, showMs);
    Promise.resolve().then(() => this.#say(shown)).catch(() => {}).then(() => { said = true; done(); });
  }

  /** Tells every listener; one that throws neither stops the others nor the queue. */
  #changed() {
    for (const listener of this.#listeners) {
      try {
        listener(this.current);
      } catch (error) {
        globalThis.reportError?.(error);
      }
    }
  }
}
