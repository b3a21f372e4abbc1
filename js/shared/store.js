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

/**
 * The database connections of this window, one per database name, shared by every store on
 * it (a page has one store per department): one open, one upgrade, at start-up.
 */
const connections = new Map(); // name -> { database: Promise<IDBDatabase>, users }

/** The snapshots of one origin, in the IndexedDB database `databaseName`. */
export class IndexedDbStore {
  #databaseName;
  #indexedDB;
  #open = false;

  constructor(databaseName = 'take-a-number-deluxe', indexedDB = globalThis.indexedDB) {
    this.#databaseName = databaseName;
    this.#indexedDB = indexedDB;
  }

  /** The saved value of `name`, or undefined. Rejects when storage cannot be read. */
  async load(name) {
    const database = await this.#database();
    return settle(database.transaction(STORE, 'readonly').objectStore(STORE).get(name));
  }

  /** Saves `value` under `name`; resolves once the transaction has committed. */
  async save(name, value) {
    const database = await this.#database();
    const transaction = database.transaction(STORE, 'readwrite', { durability: 'strict' });
    transaction.objectStore(STORE).put(value, name);
    await committed(transaction);
  }

  /** This store is done with the database; the connection closes when no store uses it. */
  close() {
    if (!this.#open) return;
    this.#open = false;
    const shared = connections.get(this.#databaseName);
    if (!shared || --shared.users > 0) return;
    connections.delete(this.#databaseName);
    shared.database.then((database) => database.close(), () => {});
  }

  #database() {
    let shared = connections.get(this.#databaseName);
    if (shared === undefined) {
      shared = { database: openDatabase(this.#indexedDB, this.#databaseName), users: 0 };
      connections.set(this.#databaseName, shared);
      // A failed open is not kept: the next call tries again.
      shared.database.catch(() => {
        if (connections.get(this.#databaseName) === shared) connections.delete(this.#databaseName);
      });
    }
    if (!this.#open) {
      this.#open = true;
      shared.users += 1;
    }
    return shared.database;
  }
}

function openDatabase(indexedDB, name) {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open(name, 1);
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

/** The result of an IndexedDB request, as a promise. */
export function settle(request) {
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
