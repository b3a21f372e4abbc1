// The facility's saved settings on the hub, as the page sees them: the settings record
// (HubSettings, js/hub/settings.js) on whichever connection the page's calls go through, the
// staff's while the console is open (so a save carries the account signed in, and the hub
// decides whether it may), the device's otherwise. It keeps the settings record's interface
// while the connection under it changes, so the Settings view and the page's follower need not
// know there is a hub. No DOM here.
import { loadHubBundle, accountOf } from './hub-mode.js';

const offline = () => ({ ok: false, code: 'offline', message: 'the facility hub cannot be reached' });

export class HubSettingsRecord {
  #current = null; // { hub, store }
  #latest = null;
  #listeners = new Set();
  #readyOnce;
  #becameReady;
  #stopCurrent = () => {};
  #load;

  /** @param followHub  (listener) => unsubscribe: the Hub the page's calls go through (HubConnections.followHub) */
  constructor({ followHub, load = loadHubBundle }) {
    this.#load = load;
    this.#readyOnce = new Promise((resolve) => { this.#becameReady = resolve; });
    followHub((hub) => { this.#use(hub).catch(() => {}); });
  }

  get latest() {
    return this.#latest;
  }

  /** Resolves once a connection's record has said what its newest version is. */
  get ready() {
    return this.#readyOnce;
  }

  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  save(config, options) {
    return this.#current === null ? Promise.resolve(offline()) : this.#current.store.save(config, options);
  }

  history() {
    return this.#current === null ? Promise.resolve([]) : this.#current.store.history();
  }

  version(n) {
    return this.#current === null ? Promise.resolve(null) : this.#current.store.version(n);
  }

  /** The Hub under the record now (null while none is connected): for what a save does next. */
  get hub() {
    return this.#current?.hub ?? null;
  }

  async #use(hub) {
    if (hub === (this.#current?.hub ?? null)) return;
    this.#stopCurrent();
    this.#current?.store.close();
    this.#current = null;
    if (hub === null) return;
    const { HubSettings } = await this.#load();
    const store = new HubSettings({ hub, account: accountOf(hub) });
    this.#current = { hub, store };
    this.#stopCurrent = store.subscribe((entry) => this.#offer(entry));
    await store.ready;
    if (this.#current?.store !== store) return;
    this.#offer(store.latest);
    this.#becameReady();
  }

  #offer(entry) {
    if (entry === null || (this.#latest !== null && entry.version <= this.#latest.version)) return;
    this.#latest = entry;
    for (const listener of this.#listeners) listener(entry);
  }
}
