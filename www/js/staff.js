// The staff PIN lock. The PIN is never stored: config.json holds a salted PBKDF2 hash, and the
// entered PIN is hashed with WebCrypto and compared. The console locks itself again after a
// period without staff activity, so a console left open does not stay open for customers.

const hexToBytes = (hex) => Uint8Array.from(hex.match(/../g), (byte) => parseInt(byte, 16));
const bytesToHex = (bytes) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

/** The PBKDF2-SHA256 hash of `pin` as hex (also used by scripts/pin-hash.mjs). */
export async function hashPin(pin, saltHex, iterations, subtle = globalThis.crypto?.subtle) {
  if (!subtle) throw new Error('WebCrypto is unavailable: serve the kiosk over https or from localhost');
  const key = await subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: hexToBytes(saltHex), iterations }, key, 256);
  return bytesToHex(bits);
}

export class StaffLock {
  #pin;
  #lockAfterMs;
  #timer = null;
  #onChange;
  unlocked = false;

  constructor({ pin, lockAfterMs, onChange = () => {} }) {
    this.#pin = pin;
    this.#lockAfterMs = lockAfterMs;
    this.#onChange = onChange;
  }

  /** Checks `pin`; unlocks and returns true when it matches. */
  async unlock(pin) {
    const hash = await hashPin(String(pin), this.#pin.salt, this.#pin.iterations);
    // Compare every digit, so the time taken does not tell how much of the hash matched.
    let difference = hash.length ^ this.#pin.hash.length;
    for (let i = 0; i < hash.length; i++) difference |= hash.charCodeAt(i) ^ this.#pin.hash.charCodeAt(i);
    if (difference !== 0) return false;
    this.unlocked = true;
    this.activity();
    this.#onChange();
    return true;
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
