// Checks of untrusted values: what another window posts, what a hub stores, what JS passes in.

/** A plain object (not null, not an array). */
export const isRecord = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A non-negative safe integer. */
export const isCount = (value) => Number.isSafeInteger(value) && value >= 0;

/**
 * Whether `value` is plain JSON data that survives a round trip unchanged (details of a serve,
 * a note): null, booleans, finite numbers, strings, arrays and plain objects, not too deep.
 */
export function isJsonData(value, depth = 0) {
  if (depth > 16) return false;
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isJsonData(item, depth + 1));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value).every((item) => isJsonData(item, depth + 1));
  }
  return false;
}

/**
 * An id no other window or device will pick: a request's (the hub stores a retried publish once
 * by it), a window's. Where `crypto.randomUUID` is missing (http:// pages), time and two randoms.
 */
export function randomId() {
  if (globalThis.crypto?.randomUUID) return globalThis.crypto.randomUUID();
  const random = () => Math.random().toString(36).slice(2);
  return `${Date.now().toString(36)}-${random()}-${random()}`;
}
