// The facility's saved configuration in one browser (issue 22): one IndexedDB record per version,
// in a database of its own, shared by every window. What a version is, and the interface, are
// js/engine/settings.js; here is only the transport that SettingsRecord
// (js/engine/settings-record.js) runs on. The hub's store (js/hub/settings.js) is its twin.
//
// Saving is compare-and-set inside one readwrite transaction: it reads the newest version and
// adds the next only if the newest is the one the manager edited from. IndexedDB runs readwrite
// transactions on a store one at a time, across windows too, so of two windows saving on the same
// version the second sees the first's and saves nothing. After a save the window says so on a
// BroadcastChannel; the others then read the new versions from IndexedDB, never from the
// message, which any script of the origin could have posted.
import { NAME } from '../engine/options.js';
import { settle } from './store.js';
import { isRecord } from '../engine/values.js';
import { changed, readError, settingsFailure, toBody, toEntry } from '../engine/settings.js';
import { SettingsRecord } from '../engine/settings-record.js';

const PREFIX = 'take-a-number-deluxe/settings/';
const STORE = 'versions'; // { version, savedAt, body }, by version

/** The database (and the channel) of the record `name`. */
export const databaseName = (name) => `${PREFIX}${name}`;

/** A stored record as a version, or null when it is not one a store wrote. */
const fromRecord = (record) => (isRecord(record) ? toEntry(record.version, record.savedAt, record.body) : null);

/** Storage refused, as a save's outcome. */
const unavailable = (error) => settingsFailure('unavailable', error?.name ?? error?.message ?? String(error));

/** The versions in this browser's IndexedDB: the transport of LocalSettings. */
class BrowserVersions {
  #name;
  #indexedDB;
  #BroadcastChannel;
  #now;
  #channel = null;
  #database = null; // Promise<IDBDatabase> while open, or being opened
  #known = 0; // the newest version offered
  #closed = false;

  constructor({ name, indexedDB, BroadcastChannel, now }) {
    if (typeof name !== 'string' || !NAME.test(name)) throw new TypeError('LocalSettings: name must be 1 to 100 letters, digits, dots, dashes or underscores');
    this.#name = name;
    this.#indexedDB = indexedDB;
    this.#BroadcastChannel = BroadcastChannel;
    this.#now = now;
  }

  follow(offer) {
    const started = this.#catchUp(offer, { every: false });
    // Without BroadcastChannel a window still saves and reads; it only hears others' saves at its next start.
    if (typeof this.#BroadcastChannel === 'function') {
      this.#channel = new this.#BroadcastChannel(databaseName(this.#name));
      this.#channel.onmessage = () => started.then(() => this.#catchUp(offer, { every: true }));
    }
    return started;
  }

  async save(config, base, device) {
    const record = { version: 0, savedAt: this.#now(), body: toBody(config, { device, account: null }) };
    let outcome;
    try {
      outcome = await compareAndAdd(await this.#open(), base, record);
    } catch (error) {
      return unavailable(error);
    }
    if (!outcome.saved) return changed(outcome.newest);
    this.#known = Math.max(this.#known, record.version);
    this.#channel?.postMessage('saved');
    return { ok: true, entry: fromRecord(record) };
  }

  async entries() {
    const records = await this.#read((store) => store.getAll());
    return records.map(fromRecord).filter((entry) => entry !== null);
  }

  async read(n) {
    return fromRecord(await this.#read((store) => store.get(n)));
  }

  close() {
    this.#closed = true;
    this.#channel?.close();
    this.#database?.then((database) => database.close(), () => {});
    this.#database = null;
  }

  /**
   * Offers the versions newer than the newest offered: `every` one of them, or the newest only
   * (at start: the older ones are history, not news). Nothing if storage is refused.
   */
  async #catchUp(offer, { every }) {
    try {
      for (const entry of await newerThan(await this.#open(), this.#known, every)) {
        this.#known = Math.max(this.#known, entry.version);
        offer(entry);
      }
    } catch {
      // storage refused: `latest` stays as it was, and saves say `unavailable`
    }
  }

  /** The result of `request(store)` in a readonly transaction; rejects with `unavailable`. */
  async #read(request) {
    try {
      const database = await this.#open();
      return await settle(request(database.transaction(STORE, 'readonly').objectStore(STORE)));
    } catch (error) {
      throw readError(unavailable(error));
    }
  }

  /** The database, opened once; a failed open is not kept, so the next call tries again. */
  #open() {
    if (this.#closed) return Promise.reject(new Error('closed'));
    if (this.#database === null) {
      const opening = openDatabase(this.#indexedDB, databaseName(this.#name), () => {
        if (this.#database === opening) this.#database = null;
      });
      this.#database = opening;
      opening.catch(() => {
        if (this.#database === opening) this.#database = null;
      });
    }
    return this.#database;
  }
}

/**
 * The facility's saved configuration in this browser, shared by every window that opens the same
 * `name` (`by.account` is always null: there is no hub account).
 */
export class LocalSettings extends SettingsRecord {
  /**
   * @param name              windows that open the same name share one record
   * @param indexedDB, BroadcastChannel  the browser's (replaceable in tests)
   * @param now               the clock each version's `savedAt` is read from
   */
  constructor({ name = 'facility', indexedDB = globalThis.indexedDB, BroadcastChannel = globalThis.BroadcastChannel, now = Date.now } = {}) {
    super(new BrowserVersions({ name, indexedDB, BroadcastChannel, now }));
  }
}

/**
 * Compare-and-set, in one readwrite transaction: adds `record` as the next version if the newest
 * readable version is `base` (0: none), and resolves `{ saved: true }` once committed; otherwise
 * writes nothing and resolves `{ saved: false, newest }`. Records no store wrote (from a bug, or
 * another version of the page) are stepped over, never replaced.
 */
function compareAndAdd(database, base, record) {
  return new Promise((resolve, reject) => {
    const transaction = database.transaction(STORE, 'readwrite', { durability: 'strict' });
    const store = transaction.objectStore(STORE);
    let outcome = null;
    let top = null; // the highest version number stored, readable or not
    const cursor = store.openCursor(null, 'prev');
    cursor.onsuccess = () => {
      const at = cursor.result;
      top ??= at?.key ?? 0;
      const newest = at ? fromRecord(at.value) : null;
      if (at && newest === null) {
        at.continue();
        return;
      }
      if ((newest?.version ?? 0) !== base) {
        outcome = { saved: false, newest };
        return;
      }
      record.version = top + 1;
      store.add(record);
      outcome = { saved: true };
    };
    transaction.oncomplete = () => resolve(outcome);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error ?? new Error('the transaction was aborted'));
  });
}

/** The readable versions newer than `known`, oldest first: `every` one, or the newest only. */
function newerThan(database, known, every) {
  return new Promise((resolve, reject) => {
    const found = [];
    const cursor = database.transaction(STORE, 'readonly').objectStore(STORE).openCursor(null, 'prev');
    cursor.onsuccess = () => {
      const at = cursor.result;
      if (!at || at.key <= known) return resolve(found);
      const entry = fromRecord(at.value);
      if (entry !== null) found.unshift(entry);
      if (!every && entry !== null) return resolve(found);
      at.continue();
    };
    cursor.onerror = () => reject(cursor.error);
  });
}

function openDatabase(indexedDB, name, onClosed) {
  return new Promise((resolve, reject) => {
    if (!indexedDB) throw new Error('this browser has no IndexedDB');
    const opening = indexedDB.open(name, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { keyPath: 'version' });
    opening.onsuccess = () => {
      const database = opening.result;
      // A newer version of the page wants to upgrade the database: let it, and open again next time.
      database.onversionchange = () => {
        database.close();
        onClosed();
      };
      resolve(database);
    };
    opening.onerror = () => reject(opening.error);
    opening.onblocked = () => reject(new Error('the database is held open by an older version of the page'));
  });
}
