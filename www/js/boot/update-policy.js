// When the kiosk may switch to a new build or config: only at a quiet moment. No DOM here, so
// Node tests drive it with made-up times; updates.js feeds it the page's events.
//
// Quiet means: nobody has touched the screen or pressed a key for `quietAfterMs` (a customer
// who just took a ticket is still reading it, or printing it), and the page does not report
// itself busy (the staff console unlocked). A new build that has installed in the background
// waits for such a moment, is then activated, and the page reloads into it; a new config.json
// only needs the reload.

export const QUIET_AFTER_MS = 60_000;
/** How often a busy page looks again (the page has no event for "no longer busy"). */
export const BUSY_RECHECK_MS = 5_000;

export class UpdatePolicy {
  #quietAfterMs;
  #lastActivity;
  #waiting = false; // a new build has installed and waits to take over
  #activating = false; // it was asked to take over; the reload follows its arrival
  #reload = false; // a reload brings something new (the new build, a new config.json)

  constructor({ quietAfterMs = QUIET_AFTER_MS, now = 0 } = {}) {
    this.#quietAfterMs = quietAfterMs;
    this.#lastActivity = now; // the start counts as activity: nobody reloads a page just shown
  }

  /** A touch or a key press at `now`. */
  activity(now) {
    this.#lastActivity = Math.max(this.#lastActivity, now);
  }

  /** A new build has installed and is waiting (a newer one than any asked before, if so). */
  updateWaiting() {
    this.#waiting = true;
    this.#activating = false;
  }

  /** A new build controls the page now (this page asked for it, or another window did). */
  controllerChanged() {
    this.#waiting = false;
    this.#activating = false;
    this.#reload = true;
  }

  /** The worker has cached a new config.json. */
  configChanged() {
    this.#reload = true;
  }

  /** Whether anything is waiting to be applied. */
  get pending() {
    return this.#waiting || this.#reload;
  }

  /**
   * What to do at `now`: { action: 'none' } (nothing pending, or the new build is already
   * taking over), { action: 'wait', ms } (look again after ms), { action: 'activate' } (ask
   * the waiting build to take over) or { action: 'reload' }.
   */
  decide(now, busy) {
    if (!this.pending || (this.#activating && !this.#reload)) return { action: 'none' };
    if (busy) return { action: 'wait', ms: BUSY_RECHECK_MS };
    const quietIn = this.#lastActivity + this.#quietAfterMs - now;
    if (quietIn > 0) return { action: 'wait', ms: quietIn };
    if (this.#waiting) {
      this.#activating = true;
      return { action: 'activate' };
    }
    return { action: 'reload' };
  }
}
