// A department's snapshots in the hub's key-value bucket: read once when a device starts
// following (so it applies only the operations after it), written now and then by any device
// whose credentials may (staff's; hub/accounts.conf). What a snapshot holds is in snapshot.js.
import { readConfig } from '../engine/options.js';
import { check, toSnapshot } from './snapshot.js';
import { isPermissionError } from './calls.js';

/** A device that can write snapshots writes one after this many operations of a department. */
export const SNAPSHOT_EVERY = 1000;

/**
 * The department's stored snapshot, checked: `{ snapshot }`, `{ problem }` (a sentence for
 * staff), or null when there is none.
 */
export async function loadSnapshot(hub, name, checkRecord) {
  const kv = await hub.kv;
  const entry = await kv.get(name);
  if (entry === null || entry.operation !== 'PUT') return null;
  let raw;
  try {
    raw = entry.json();
  } catch {
    raw = null;
  }
  return check(raw, name, readConfig, checkRecord);
}

/** Writes a department's snapshot every SNAPSHOT_EVERY operations, one write at a time. */
export class SnapshotWriter {
  #hub;
  #name;
  #canWrite = true;
  #since = 0;
  #writing = false;
  #next = null;
  #closed = false;

  constructor({ hub, name }) {
    this.#hub = hub;
    this.#name = name;
  }

  /** Counts one operation applied. */
  counted() {
    this.#since += 1;
  }

  /** Writes the department's snapshot if it is time (the device has caught up, and may write). */
  offer(department) {
    if (!this.#canWrite || this.#since < SNAPSHOT_EVERY) return;
    const stored = department.stored();
    if (stored === null) return;
    const snapshot = toSnapshot(this.#name, stored);
    this.#since = 0;
    this.#next = snapshot;
    if (!this.#writing) this.#writeAll();
  }

  close() {
    this.#closed = true;
  }

  async #writeAll() {
    this.#writing = true;
    try {
      while (this.#next !== null && !this.#closed && this.#canWrite) {
        const snapshot = this.#next;
        this.#next = null;
        await this.#write(snapshot);
      }
    } finally {
      this.#writing = false;
    }
  }

  /** Compare-and-set: replaces the stored snapshot only if it is older, and only what was read. */
  async #write(snapshot) {
    const value = JSON.stringify(snapshot);
    if (value.length > (this.#hub.connection.info?.max_payload ?? 1024 * 1024) - 1024) return;
    const kv = await this.#hub.kv;
    for (let tries = 0; tries < 3; tries++) {
      try {
        const entry = await kv.get(this.#name);
        if (entry === null) {
          await kv.create(this.#name, value);
          return;
        }
        if (storedSeq(entry) >= snapshot.seq) return;
        await kv.update(this.#name, value, entry.revision);
        return;
      } catch (error) {
        if (isPermissionError(error)) {
          this.#canWrite = false; // these credentials may not write snapshots: a kiosk or a board
          return;
        }
        // Another device wrote in between (wrong last sequence): read again.
      }
    }
  }
}

/** The stream sequence of a stored snapshot, or -1 when it is not a readable one. */
function storedSeq(entry) {
  try {
    const stored = entry.operation === 'PUT' ? entry.json() : null;
    return Number.isSafeInteger(stored?.seq) ? stored.seq : -1;
  } catch {
    return -1;
  }
}
