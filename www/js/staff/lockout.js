// Guessing costs time. A Lockout wraps any async credential check (the staff PIN today, a hub
// login later) and limits wrong answers: a few are free, then every further wrong answer starts
// a wait that doubles up to a cap. No DOM here, so Node tests drive it with a made-up clock.
//
// The count lives in a record store shared by every window of the browser (IndexedDB on the
// page: staff-records.js), so it survives reloads and new windows. Attempts run one at a time
// under a lock shared by those windows (the Web Locks API), so two windows cannot both read "4
// wrong so far" and both get a fifth free try. (localStorage is not enough for that: Chromium
// caches it per process and shows one window's write to the others a moment later, so a window
// taking the lock just after another can still read the old count. Measured: 2 windows
// incrementing a counter 50 times each under a Web Lock lost 1 or 2 of the 100; in IndexedDB,
// none.)

/** 5 free wrong answers, then 30 s, doubling with every further wrong answer, at most 15 minutes. */
export const DEFAULT_POLICY = Object.freeze({
  freeAttempts: 5,
  firstWaitMs: 30_000,
  maxWaitMs: 15 * 60_000,
  historyLength: 20, // lockouts remembered for the staff notices
});

export class LockoutError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'LockoutError';
    this.code = code;
  }
}

/** The wait that starts after `failures` wrong answers in a row: none for the free ones. */
export function waitAfter(failures, policy = DEFAULT_POLICY) {
  if (failures < policy.freeAttempts) return 0;
  const doublings = Math.min(failures - policy.freeAttempts, 40); // 2^40 x 30 s is far past any cap
  return Math.min(policy.maxWaitMs, policy.firstWaitMs * 2 ** doublings);
}

const EMPTY = Object.freeze({ failures: 0, lockedUntil: 0, waitMs: 0, lockouts: Object.freeze([]) });
const isTime = (n) => Number.isSafeInteger(n) && n >= 0;

/**
 * Checks a stored record. Anything that is not exactly what `attempt` stores (a record from an
 * older version, or edited by hand) is reported as damaged and read as one wrong answer short
 * of a wait: damage never buys free guesses, and never locks staff out by itself.
 */
export function checkRecord(saved, policy = DEFAULT_POLICY) {
  if (saved === undefined) return { record: EMPTY, damaged: false };
  const ok = typeof saved === 'object' && saved !== null
    && isTime(saved.failures) && isTime(saved.lockedUntil) && isTime(saved.waitMs)
    && Array.isArray(saved.lockouts)
    && saved.lockouts.every((l) => typeof l === 'object' && l !== null && isTime(l.at) && isTime(l.waitMs) && isTime(l.failures));
  if (!ok) return { record: damaged(policy), damaged: true };
  const { failures, lockedUntil, waitMs, lockouts } = saved;
  return { record: { failures, lockedUntil, waitMs, lockouts: lockouts.map(({ at, waitMs: w, failures: f }) => ({ at, waitMs: w, failures: f })) }, damaged: false };
}

function damaged(policy) {
  return { ...EMPTY, failures: Math.max(0, policy.freeAttempts - 1) };
}

/**
 * How long the current wait still runs. Never longer than the wait itself, so a device clock
 * set back (a time server correcting it, say) cannot stretch a 30 s wait into hours.
 */
function remaining(record, now) {
  return Math.max(0, Math.min(record.lockedUntil - now, record.waitMs));
}

// Without Web Locks (Node, or a browser that lacks them) attempts are serialised within this
// window only; the page runs in secure contexts, where every current browser has Web Locks.
const localTails = new Map();
function localLock(name, task) {
  const run = (localTails.get(name) ?? Promise.resolve()).then(task);
  const tail = run.catch(() => {});
  localTails.set(name, tail);
  tail.then(() => { if (localTails.get(name) === tail) localTails.delete(name); });
  return run;
}

/** Runs `task` holding the lock `name`, shared by every window of this browser when possible. */
export function withSharedLock(name, task) {
  const locks = globalThis.navigator?.locks;
  return locks ? locks.request(name, () => task()) : localLock(name, task);
}

export class Lockout {
  #store;
  #key;
  #now;
  #withLock;
  #policy;

  /**
   * @param {object} options
   * @param {{ get(key): Promise<any>, set(key, value): Promise<void> }} options.store where the
   *   count is kept: a store every window sees at once (staff-records.js IdbRecords on the page)
   * @param {string} options.key its key there, also the name of the lock
   * @param {() => number} [options.now] the wall clock in ms (Date.now)
   * @param {(name: string, task: () => Promise<any>) => Promise<any>} [options.withLock]
   * @param {object} [options.policy] DEFAULT_POLICY unless a test says otherwise
   */
  constructor({ store, key, now = Date.now, withLock = withSharedLock, policy = DEFAULT_POLICY }) {
    this.#store = store;
    this.#key = key;
    this.#now = now;
    this.#withLock = withLock;
    this.#policy = policy;
  }

  /** The record's key; a change to it in another window means the count changed. */
  get key() {
    return this.#key;
  }

  /**
   * What a screen shows: the wait still running (0 when none), how many wrong answers are
   * left before one starts, the lockouts so far (oldest first), and whether the record was damaged.
   */
  async status() {
    const { record, damaged: isDamaged } = await this.#read();
    return {
      remainingMs: remaining(record, this.#now()),
      attemptsBeforeWait: Math.max(0, this.#policy.freeAttempts - record.failures),
      lockouts: record.lockouts,
      damaged: isDamaged,
    };
  }

  /**
   * Runs `check` unless a wait is running. A truthy answer is a success: the count starts
   * again. A falsy one is a wrong answer: it counts, and may start a wait. A check that throws
   * (no WebCrypto, a hub out of reach) is not a wrong answer: the error is passed on and the
   * count stays as it was.
   *
   * Resolves to { ok: true, value } or { ok: false, wrong, remainingMs, attemptsBeforeWait }:
   * `wrong` when the check ran and said no, `remainingMs` > 0 when a wait is running (the check
   * was refused, or its wrong answer has just started the wait).
   * Rejects with LockoutError 'storage_unavailable' when the count cannot be read or saved:
   * without a saved count there is no limit, so the check is not run.
   */
  attempt(check) {
    return this.#withLock(this.#key, async () => {
      const { record } = await this.#read();
      const waiting = remaining(record, this.#now());
      if (waiting > 0) return this.#refused(record, waiting, false);

      // Count the attempt before running it: closing the window in the middle of a slow
      // check must not make the attempt free.
      const failures = record.failures + 1;
      await this.#write({ ...record, failures });
      let value;
      try {
        value = await check();
      } catch (error) {
        await this.#write(record);
        throw error;
      }
      if (value) {
        await this.#write({ ...record, failures: 0, lockedUntil: 0, waitMs: 0 });
        return { ok: true, value };
      }
      const waitMs = waitAfter(failures, this.#policy);
      if (waitMs === 0) {
        return { ok: false, wrong: true, remainingMs: 0, attemptsBeforeWait: this.#policy.freeAttempts - failures };
      }
      const now = this.#now();
      const lockouts = [...record.lockouts, { at: now, waitMs, failures }].slice(-this.#policy.historyLength);
      const next = { failures, lockedUntil: now + waitMs, waitMs, lockouts };
      await this.#write(next);
      return this.#refused(next, waitMs, true);
    });
  }

  /** Forgets the wrong answers and any running wait (the device holder's reset); the list of lockouts stays. */
  clear() {
    return this.#withLock(this.#key, async () => {
      const { record } = await this.#read();
      await this.#write({ ...EMPTY, lockouts: record.lockouts });
    });
  }

  #refused(record, remainingMs, wrong) {
    return { ok: false, wrong, remainingMs, attemptsBeforeWait: Math.max(0, this.#policy.freeAttempts - record.failures) };
  }

  async #read() {
    let saved;
    try {
      saved = await this.#store.get(this.#key);
    } catch (error) {
      throw new LockoutError('storage_unavailable', `this browser cannot read the count of wrong attempts (${error.name})`);
    }
    return checkRecord(saved, this.#policy);
  }

  async #write(record) {
    try {
      await this.#store.set(this.#key, record);
    } catch (error) {
      throw new LockoutError('storage_unavailable', `this browser cannot save the count of wrong attempts (${error.name})`);
    }
  }
}
