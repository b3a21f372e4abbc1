// Where the host keeps each machine's snapshot: IndexedDB in a browser.
//
// IndexedDB rather than localStorage because of what a takeover needs. The host answers a
// request only after the transaction that records it has committed, and IndexedDB promises
// that a transaction started later (by the next host, after the lock has passed) sees every
// committed one. localStorage promises no such order between the windows of a browser: each
// window reads its own copy, which the others' writes reach some time later. Transactions ask
// for strict durability, so an answered request also survives a power cut: kiosks get
// power-cycled.

const STORE = 'machines';

/** The snapshots of one origin, in the IndexedDB database `databaseName`. */
export class IndexedDbStore {
  #database = null;
  #databaseName;
  #indexedDB;

  constructor(databaseName = 'take-a-number-deluxe', indexedDB = globalThis.indexedDB) {
    this.#databaseName = databaseName;
    this.#indexedDB = indexedDB;
  }

  /** The saved value of `name`, or undefined. Rejects when storage cannot be read. */
  async load(name) {
    const database = await this.#open();
    return settle(database.transaction(STORE, 'readonly').objectStore(STORE).get(name));
  }

  /** Saves `value` under `name`; resolves once the transaction has committed. */
  async save(name, value) {
    const database = await this.#open();
    const transaction = database.transaction(STORE, 'readwrite', { durability: 'strict' });
    transaction.objectStore(STORE).put(value, name);
    await committed(transaction);
  }

  close() {
    this.#database?.then((database) => database.close(), () => {});
    this.#database = null;
  }

  #open() {
    if (this.#database === null) {
      this.#database = new Promise((resolve, reject) => {
        const opening = this.#indexedDB.open(this.#databaseName, 1);
        opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
        opening.onsuccess = () => {
          const database = opening.result;
          // A newer version of the page wants to upgrade the database: let it.
          database.onversionchange = () => database.close();
          resolve(database);
        };
        opening.onerror = () => reject(opening.error);
        opening.onblocked = () => reject(new Error('the database is held open by an older version of the page'));
      });
      this.#database.catch(() => { this.#database = null; });
    }
    return this.#database;
  }
}

/** Snapshots in memory: for tests, and for browsers without IndexedDB (nothing survives). */
export class MemoryStore {
  #values = new Map();

  async load(name) {
    return structuredClone(this.#values.get(name));
  }

  async save(name, value) {
    this.#values.set(name, structuredClone(value));
  }

  close() {}
}

function settle(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function committed(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error ?? new Error('the transaction was aborted'));
  });
}
