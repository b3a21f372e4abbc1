// The facility's saved configuration on the hub (issue 22): one key per version, `version.<n>`,
// in the key-value bucket tan-config, which every device reads and only the manager's account
// may write (hub/accounts.conf). What a version is, and the interface, are js/engine/settings.js;
// here is only the transport that SettingsRecord (js/engine/settings-record.js) runs on.
//
// Saving is a publish that the hub stores only if the key has no value yet (expected last
// subject sequence 0): of two managers saving on the same version, the hub stores one and
// refuses the other, which then reads what is there. Following is two things started in this
// order, so that nothing saved in between is missed: a watch of new keys (the hub pushes each
// new version as it is stored), then the newest version already there, found from the keys
// alone (headers only) and read with one get. Everything in the bucket came over the network:
// a version that is not what a store writes is skipped.
import { Kvm, KvWatchInclude } from '@nats-io/kv';
import { JetStreamApiCodes } from '@nats-io/jetstream';
import { CONFIG_BUCKET } from './protocol.js';
import { isPermissionError } from './calls.js';
import { changed, isWho, readError, settingsFailure, toBody, toEntry } from '../engine/settings.js';
import { SettingsRecord } from '../engine/settings-record.js';

/** The key of version `n`, and every version's. */
const key = (n) => `version.${n}`;
const ALL = 'version.*';

/** The version a key holds, or 0 when it is not a version's key. */
const versionOf = (name) => {
  const match = /^version\.([1-9][0-9]{0,15})$/.exec(name);
  const n = match === null ? 0 : Number(match[1]);
  return Number.isSafeInteger(n) ? n : 0;
};

/** Unreadable versions a save steps over before it gives up (each was put there by hand). */
const MAX_SKIPPED = 100;

/** How long to wait before following again, after the n-th failure in a row (ms). */
const retryDelay = (attempt) => Math.min(5000, 250 * 2 ** attempt);

/** Whether the hub refused a write because the key already has a value. */
const isTaken = (error) => error?.code === JetStreamApiCodes.StreamWrongLastSequence;

/** A hub error as a store's outcome: refused for this account, or the hub out of reach. */
const failure = (error) => settingsFailure(isPermissionError(error) ? 'forbidden' : 'offline', error?.message ?? String(error));

/** A bucket entry (a get's or a watch's) as a version, or null if it is none. */
function fromBucket(stored) {
  if (stored === null || stored.operation !== 'PUT') return null;
  let body;
  try {
    body = stored.json();
  } catch {
    return null;
  }
  return toEntry(versionOf(stored.key), stored.created.getTime(), body);
}

/** The versions in the hub's bucket: the transport of HubSettings. */
class HubVersions {
  #hub;
  #account;
  #kv;
  #offer = null;
  #loaded = null;
  #watch = null;
  #wake = null;
  #again = false;
  #stopStatus = () => {};
  #closed = false;

  constructor({ hub, account }) {
    if (!hub?.jetstream || typeof hub.subscribe !== 'function') throw new TypeError('HubSettings needs a Hub');
    if (!isWho(account)) throw new TypeError('HubSettings: account must be a name of 1 to 200 characters, or null');
    this.#hub = hub;
    this.#account = account;
    // Direct gets: any replica answers a read, and the devices' permissions name those subjects.
    this.#kv = new Kvm(hub.jetstream).open(CONFIG_BUCKET, { allow_direct: true });
  }

  follow(offer) {
    this.#offer = offer;
    this.#stopStatus = this.#hub.subscribe((status) => {
      if (status === 'online') this.#refollow();
    });
    return new Promise((resolve) => {
      this.#loaded = resolve;
      this.#follow();
    });
  }

  async save(config, base, device) {
    if (this.#hub.status === 'offline') return settingsFailure('offline');
    const value = JSON.stringify(toBody(config, { device, account: this.#account }));
    try {
      const kv = await this.#kv;
      if (base > 0 && (await this.#get(kv, base)) === null) return changed(await this.#find(kv));
      for (let n = base + 1; n <= base + 1 + MAX_SKIPPED; n++) {
        let revision;
        try {
          revision = await kv.put(key(n), value, { previousSeq: 0 });
        } catch (error) {
          if (!isTaken(error)) throw error;
          // Taken: by another save (changed), or by something no store wrote, which no one can
          // edit from, so the next number is the next version.
          if ((await this.#get(kv, n)) !== null) return changed(await this.#find(kv));
          continue;
        }
        return { ok: true, entry: await this.#savedAs(kv, n, revision, value) };
      }
      return changed(await this.#find(kv));
    } catch (error) {
      return failure(error);
    }
  }

  async entries() {
    const kv = await this.#reader();
    // By version: a key written again by hand is what a get of it reads, its last value.
    const versions = new Map();
    try {
      for await (const stored of await kv.history({ key: ALL })) {
        const entry = fromBucket(stored);
        if (entry === null) versions.delete(versionOf(stored.key));
        else versions.set(entry.version, entry);
      }
    } catch (error) {
      throw readError(failure(error));
    }
    return [...versions.values()];
  }

  async read(n) {
    const kv = await this.#reader();
    try {
      return await this.#get(kv, n);
    } catch (error) {
      throw readError(failure(error));
    }
  }

  close() {
    this.#closed = true;
    this.#stopStatus();
    this.#refollow();
  }

  // --- Reading -----------------------------------------------------------------------------

  /** The bucket, for a read; rejects at once with `offline` while out of reach. */
  async #reader() {
    if (this.#hub.status === 'offline') throw readError(settingsFailure('offline'));
    return this.#kv;
  }

  /** Version `n`, or null when there is none (or it is unreadable). */
  async #get(kv, n) {
    return fromBucket(await kv.get(key(n)));
  }

  /** The newest readable version: the keys (headers only), then one get (more past unreadable ones). */
  async #find(kv) {
    const versions = [];
    for await (const name of await kv.keys(ALL)) {
      const n = versionOf(name);
      if (n > 0) versions.push(n);
    }
    for (const n of versions.sort((a, b) => b - a)) {
      const entry = await this.#get(kv, n);
      if (entry !== null) return entry;
    }
    return null;
  }

  /** The version just stored, with the hub's timestamp (or this device's clock if it cannot be read). */
  async #savedAs(kv, n, revision, value) {
    try {
      const entry = fromBucket(await kv.get(key(n), { revision }));
      if (entry !== null) return entry;
    } catch {
      // stored, but not read back: the watch will bring the hub's timestamp to every other device
    }
    return toEntry(n, this.#hub.now(), JSON.parse(value));
  }

  // --- Following ---------------------------------------------------------------------------

  /** Follows the bucket until close(): again at once after refollow(), after a pause otherwise. */
  async #follow() {
    for (let failures = 0; !this.#closed;) {
      failures = (await this.#followOnce()) ? 0 : failures + 1;
      this.#loaded(); // known, or out of reach: `latest` stays as it was
      if (this.#again) this.#again = false;
      else await this.#pause(retryDelay(failures)); // it failed, or the library gave the watch up
    }
  }

  /**
   * Watches new versions, then takes the newest already there, then every new one until the
   * watch ends (refollow(), or the library gave it up). False if it could not start.
   */
  async #followOnce() {
    if (this.#hub.status === 'offline') return false; // a request now would only wait to time out
    let watch = null;
    try {
      const kv = await this.#kv;
      watch = await kv.watch({ key: ALL, include: KvWatchInclude.UpdatesOnly });
      if (this.#closed) return true;
      this.#watch = watch;
      this.#offer(await this.#find(kv));
      this.#loaded();
      for await (const stored of watch) this.#offer(fromBucket(stored));
      return true;
    } catch {
      return false;
    } finally {
      watch?.stop();
      this.#watch = null;
    }
  }

  /**
   * Back in reach: the watch may have missed versions, or died quietly with the server it was
   * on, so follow again now (a new watch, then the newest), rather than after the library's
   * missed heartbeats.
   */
  #refollow() {
    this.#again = true;
    this.#watch?.stop();
    this.#wake?.();
  }

  /** Waits `ms`, or less if refollow() comes first. */
  #pause(ms) {
    return new Promise((resolve) => {
      const timer = this.#hub.timers.setTimeout(() => { this.#wake = null; resolve(); }, ms);
      this.#wake = () => {
        this.#wake = null;
        this.#hub.timers.clearTimeout(timer);
        resolve();
      };
    });
  }
}

/**
 * The facility's saved configuration on the hub, for a device signed in as `account` (the Hub
 * does not know its user name; the page does): kept with each version this device saves.
 */
export class HubSettings extends SettingsRecord {
  /** @param {{ hub: import('./hub.js').Hub, account?: string | null }} options */
  constructor({ hub, account = null } = {}) {
    super(new HubVersions({ hub, account }));
  }
}
