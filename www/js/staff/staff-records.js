// Small records kept on this device and shared by every window of the browser: the staff PIN's
// hash and the count of wrong attempts. IndexedDB, not localStorage, because a window must read
// what another has just written (see lockout.js for the measurement); a BroadcastChannel tells
// the other windows that a record changed, as the `storage` event does for localStorage.
//
// A database of their own, apart from the departments' records (js/shared/store.js), so that
// the staff reset never touches the tickets.

const STORE = 'records';

/** Records in one IndexedDB database, `get`/`set` by key, one transaction each. */
export class IdbRecords {
  #name;
  #idb;
  #channel;
  #db = null;
  #listeners = new Set();

  /**
   * @param {object} [options]
   * @param {string} [options.name] the database name, also the BroadcastChannel's
   */
  constructor({ name = 'take-a-number-deluxe-staff', idb = globalThis.indexedDB, Channel = globalThis.BroadcastChannel } = {}) {
    this.#name = name;
    this.#idb = idb;
    this.#channel = Channel ? new Channel(name) : null;
    this.#channel?.addEventListener('message', (event) => {
      for (const listener of this.#listeners) listener(event.data?.key ?? null);
    });
  }

  /** The stored value (a structured clone), or undefined. */
  async get(key) {
    return this.#transaction('readonly', (store) => store.get(key));
  }

  /** Stores `value` under `key`; resolves once committed, then tells the other windows. */
  async set(key, value) {
    await this.#transaction('readwrite', (store) => store.put(value, key));
    this.#channel?.postMessage({ key });
  }

  /** Calls `listener(key)` when another window of this browser changed a record. Returns an unsubscribe. */
  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async #open() {
    if (this.#db) return this.#db;
    if (!this.#idb) throw new DOMException('IndexedDB is not available', 'NotSupportedError');
    this.#db = await new Promise((resolve, reject) => {
      const request = this.#idb.open(this.#name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new DOMException('the staff records are being upgraded in another window', 'AbortError'));
    });
    // A newer version of the page wants to upgrade the database: let it, and reopen next time.
    this.#db.onversionchange = () => {
      this.#db?.close();
      this.#db = null;
    };
    return this.#db;
  }

  async #transaction(mode, operation) {
    const db = await this.#open();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = operation(transaction.objectStore(STORE));
      // Settle on commit, not on the request: a value is only shared once it is committed.
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error ?? request.error);
      transaction.onabort = () => reject(transaction.error ?? new DOMException('transaction aborted', 'AbortError'));
    });
  }
}
