// Staff access on one device. The PIN is set on the device itself (first-run setup on the staff
// view) and kept only as a salted PBKDF2 hash in that browser's storage (IndexedDB,
// staff-records.js): nothing the server serves holds the PIN or a hash of it. Every check of a
// PIN goes through a Lockout, so guessing at the kiosk costs time. No DOM here: Node tests
// drive it with an in-memory record store.
//
// What this protects, and what it does not (someone holding the device can reset the PIN, by
// design), is in SECURITY.md.
import { Lockout, withSharedLock } from './lockout.js';

/** Record keys (and the names of their cross-window locks). */
export const PIN_KEY = 'take-a-number-deluxe/staff/v1/pin';
export const LOCKOUT_KEY = 'take-a-number-deluxe/staff/v1/lockout';

export const MIN_PIN_LENGTH = 6;
export const MAX_PIN_LENGTH = 12;
/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256; about 0.1 s per check on a desktop core. */
export const PIN_ITERATIONS = 600_000;
const MIN_ITERATIONS = 100_000; // a stored record with fewer is treated as damaged
const SALT_BYTES = 16;

const HEX = /^[0-9a-f]+$/;
const hexToBytes = (hex) => Uint8Array.from(hex.match(/../g), (byte) => parseInt(byte, 16));
const bytesToHex = (bytes) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

// Six-digit PINs that lead published lists of the most used ones and that the rules below
// do not already catch (pairs, keypad lines and mirrors).
const FAMOUS = new Set(['112233', '123321', '147258', '159753', '159357', '123654', '789456', '102030', '696969', '520520']);

/**
 * Why `pin` is not acceptable as a new PIN, as `{ code, params }` (the page translates the
 * code: i18n/<language>.json, "pin.problem.<code>"), or null when it is acceptable. Refused:
 * anything but 6 to 12 digits, one digit repeated (111111), a run up or down (123456, 654321,
 * 890123 wrapping round), a short group repeated (121212, 123123, 100100), and a few famous
 * ones (FAMOUS): the first guesses anyone tries.
 */
export function pinProblemCode(pin) {
  if (typeof pin !== 'string' || !/^[0-9]*$/.test(pin)) return { code: 'digits-only' };
  if (pin.length < MIN_PIN_LENGTH) return { code: 'too-short', params: { count: MIN_PIN_LENGTH } };
  if (pin.length > MAX_PIN_LENGTH) return { code: 'too-long', params: { count: MAX_PIN_LENGTH } };
  const digits = Array.from(pin, Number);
  const steps = new Set(digits.slice(1).map((d, i) => (d - digits[i] + 10) % 10));
  if (steps.size === 1) {
    const [step] = steps;
    if (step === 0) return { code: 'repeats-digit' };
    if (step === 1 || step === 9) return { code: 'counts' };
  }
  for (let size = 2; size <= 3; size++) {
    if (pin === pin.slice(0, size).repeat(Math.ceil(pin.length / size)).slice(0, pin.length)) {
      return { code: 'repeats-group' };
    }
  }
  if (FAMOUS.has(pin)) return { code: 'famous' };
  return null;
}

/** Each problem's English text: what `problem` says (the page shows the translation of `code`). */
export const PROBLEMS = Object.freeze({
  'digits-only': () => 'A PIN is made of digits only.',
  'too-short': ({ count }) => `A PIN needs at least ${count} digits.`,
  'too-long': ({ count }) => `A PIN has at most ${count} digits.`,
  'repeats-digit': () => 'That PIN repeats one digit: choose one that is harder to guess.',
  counts: () => 'That PIN counts up or down: choose one that is harder to guess.',
  'repeats-group': () => 'That PIN repeats a short group of digits: choose one that is harder to guess.',
  famous: () => 'That PIN is one of the most used ones: choose one that is harder to guess.',
  'not-same': () => 'The two PINs are not the same.',
  'already-set': () => 'A staff PIN has already been set up on this device (perhaps in another window).',
  'cannot-save': ({ error }) => `This browser cannot save the PIN (${error}).`,
});

/** `{ ok: false, problem, code, params }`: a refusal, in English and as a code. */
const refusal = ({ code, params = {} }) => ({ ok: false, problem: PROBLEMS[code](params), code, params });

/** Why `pin` is not acceptable as a new PIN, in English, or null when it is. */
export function pinProblem(pin) {
  const problem = pinProblemCode(pin);
  return problem === null ? null : PROBLEMS[problem.code](problem.params ?? {});
}

/** The PBKDF2-SHA256 hash of `pin` as hex. */
export async function hashPin(pin, saltHex, iterations, subtle = globalThis.crypto?.subtle) {
  if (!subtle) throw new Error('WebCrypto is unavailable: serve the kiosk over https or from localhost');
  const key = await subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: hexToBytes(saltHex), iterations }, key, 256);
  return bytesToHex(bits);
}

/** Compares every digit, so the time taken does not tell how much of the hash matched. */
function sameHash(a, b) {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

const HOW = new Set(['setup', 'change', 'reset']);

/**
 * Checks the device's stored PIN record: { pin: null } when none is set up, { pin } when
 * usable, or { pin: null, damaged: true } when something is stored that StaffAccess did not
 * write. A damaged record is not "no PIN": the page does not offer first-run setup for it,
 * since anyone at the screen could then take the console over; the device holder resets it.
 */
export function checkPin(saved) {
  if (saved === undefined) return { pin: null, damaged: false };
  const ok = typeof saved === 'object' && saved !== null
    && saved.algorithm === 'PBKDF2-SHA256'
    && typeof saved.salt === 'string' && HEX.test(saved.salt) && saved.salt.length === 2 * SALT_BYTES
    && typeof saved.hash === 'string' && HEX.test(saved.hash) && saved.hash.length === 64
    && Number.isSafeInteger(saved.iterations) && saved.iterations >= MIN_ITERATIONS
    && Number.isSafeInteger(saved.setAt) && HOW.has(saved.how);
  if (!ok) return { pin: null, damaged: true };
  const { algorithm, salt, iterations, hash, setAt, how } = saved;
  return { pin: { algorithm, salt, iterations, hash, setAt, how }, damaged: false };
}

/** Staff access on this device: setting up, checking, changing and resetting the PIN. */
export class StaffAccess {
  #records;
  #subtle;
  #random;
  #now;
  #withLock;
  #lockout;

  /**
   * @param {object} options
   * @param {{ get, set, subscribe }} options.records the device's shared records (IdbRecords)
   * @param {SubtleCrypto} [options.subtle] WebCrypto (crypto.subtle)
   * @param {(n: number) => Uint8Array} [options.random] n random bytes, for salts
   * @param {() => number} [options.now] the wall clock in ms
   * @param {Function} [options.withLock] the cross-window lock (see lockout.js)
   * @param {object} [options.policy] the lockout policy (lockout.js DEFAULT_POLICY)
   */
  constructor({
    records,
    subtle = globalThis.crypto?.subtle,
    random = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n)),
    now = Date.now,
    withLock = withSharedLock,
    policy,
  }) {
    this.#records = records;
    this.#subtle = subtle;
    this.#random = random;
    this.#now = now;
    this.#withLock = withLock;
    this.#lockout = new Lockout({ store: records, key: LOCKOUT_KEY, now, withLock, ...(policy ? { policy } : {}) });
  }

  /** 'unset' (first-run setup), 'set', or 'damaged' (only the device holder's reset helps). */
  async state() {
    const { pin, damaged } = await this.#readPin();
    return pin ? 'set' : damaged ? 'damaged' : 'unset';
  }

  /** The shared wrong-attempt count: { remainingMs, attemptsBeforeWait, lockouts, damaged }. */
  lockoutStatus() {
    return this.#lockout.status();
  }

  /** Everything the lock view shows, read together: { state, lockout, notices }. */
  async snapshot() {
    const [state, lockout, notices] = await Promise.all([this.state(), this.lockoutStatus(), this.notices()]);
    return { state, lockout, notices };
  }

  /** Calls `listener(key)` when another window changed the PIN (PIN_KEY) or the count (LOCKOUT_KEY). */
  subscribe(listener) {
    return this.#records.subscribe(listener);
  }

  /** First-run setup: only while no PIN is stored (nor a damaged one). */
  setUp(pin, repeat) {
    return this.#replace(pin, repeat, 'setup', async () => (await this.state() === 'unset' ? null : { code: 'already-set' }));
  }

  /**
   * Checks `pin` through the lockout. Resolves to { ok: true } or
   * { ok: false, remainingMs, attemptsBeforeWait }, as Lockout.attempt does.
   */
  async unlock(pin) {
    const outcome = await this.#lockout.attempt(() => this.#matches(pin));
    return outcome.ok ? { ok: true } : outcome;
  }

  /**
   * Changes the PIN. The current PIN is checked through the lockout first, so an open console
   * left alone does not let anyone take the PIN over, nor guess it without limit.
   * Resolves to { ok: true }, { ok: false, problem, code } for an unusable new PIN (nothing counted),
   * or a wrong-PIN outcome as `unlock` gives.
   */
  async change(current, pin, repeat) {
    const problem = this.#newPinProblem(pin, repeat);
    if (problem) return refusal(problem);
    const outcome = await this.#lockout.attempt(() => this.#matches(current));
    if (!outcome.ok) return outcome;
    return this.#replace(pin, repeat, 'change', async () => null);
  }

  /**
   * The forgotten-PIN reset: replaces whatever PIN is stored (or a damaged record) and forgets
   * the wrong attempts, keeping every ticket. The page offers it only at an address nothing
   * links to, for whoever holds the device; SECURITY.md says why that is the line.
   */
  async reset(pin, repeat) {
    const outcome = await this.#replace(pin, repeat, 'reset', async () => null);
    if (outcome.ok) await this.#lockout.clear();
    return outcome;
  }

  /**
   * Staff notices from this device's shared records: each lockout, and PIN changes and resets:
   * `{ at, text, code, params }`, `text` in English, `code` for the page to translate
   * ("notice.<code>").
   */
  async notices() {
    const list = (await this.#lockout.status()).lockouts.map(({ at, waitMs, failures }) => ({
      at: new Date(at),
      text: `Staff PIN: ${failures} wrong attempts in a row; PIN entry paused for ${formatDuration(waitMs)}.`,
      code: 'pin-lockout',
      params: { count: failures, waitMs },
    }));
    const { pin } = await this.#readPin();
    if (pin?.how === 'change') list.push({ at: new Date(pin.setAt), text: 'The staff PIN of this device was changed.', code: 'pin-changed', params: {} });
    if (pin?.how === 'reset') list.push({ at: new Date(pin.setAt), text: 'The staff PIN of this device was reset.', code: 'pin-reset', params: {} });
    return list.sort((a, b) => a.at - b.at);
  }

  #newPinProblem(pin, repeat) {
    return pinProblemCode(pin) ?? (pin === repeat ? null : { code: 'not-same' });
  }

  async #readPin() {
    return checkPin(await this.#records.get(PIN_KEY));
  }

  async #matches(pin) {
    const { pin: stored } = await this.#readPin();
    if (!stored || typeof pin !== 'string') return false;
    return sameHash(await hashPin(pin, stored.salt, stored.iterations, this.#subtle), stored.hash);
  }

  /** Hashes and stores a new PIN under the cross-window lock, if `refused()` finds no reason not to. */
  async #replace(pin, repeat, how, refused) {
    const problem = this.#newPinProblem(pin, repeat);
    if (problem) return refusal(problem);
    return this.#withLock(PIN_KEY, async () => {
      const reason = await refused();
      if (reason) return refusal(reason);
      const salt = bytesToHex(this.#random(SALT_BYTES));
      const hash = await hashPin(pin, salt, PIN_ITERATIONS, this.#subtle);
      const record = { algorithm: 'PBKDF2-SHA256', salt, iterations: PIN_ITERATIONS, hash, setAt: this.#now(), how };
      try {
        await this.#records.set(PIN_KEY, record);
      } catch (error) {
        return refusal({ code: 'cannot-save', params: { error: error.name } });
      }
      return { ok: true };
    });
  }
}

/** "30 s", "2 min", "15 min": how long a wait lasts. */
export function formatDuration(ms) {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/** "0:27", "14:59": a countdown, rounded up so it never shows 0:00 while still waiting. */
export function formatCountdown(ms) {
  const seconds = Math.ceil(Math.max(0, ms) / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * The console's open/locked state in one window, locking itself again after `lockAfterMs`
 * without staff activity, so a console left open does not stay open for customers.
 */
export class StaffSession {
  #lockAfterMs;
  #timer = null;
  #onChange;
  unlocked = false;

  constructor({ lockAfterMs, onChange = () => {} }) {
    this.#lockAfterMs = lockAfterMs;
    this.#onChange = onChange;
  }

  /** How long the console stays open without staff activity, from the next activity on. */
  set lockAfterMs(ms) {
    this.#lockAfterMs = ms;
  }

  /** Opens the console; call only after the PIN was accepted. */
  open() {
    const was = this.unlocked;
    this.unlocked = true;
    this.activity();
    if (!was) this.#onChange();
  }

  /** Staff did something: the inactivity countdown starts again. */
  activity() {
    if (!this.unlocked) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.lock(), this.#lockAfterMs);
  }

  lock() {
    clearTimeout(this.#timer);
    this.#timer = null;
    if (!this.unlocked) return;
    this.unlocked = false;
    this.#onChange();
  }
}
