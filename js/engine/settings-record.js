// A store of the facility's saved configuration as its callers see it (the interface is in
// settings.js), written once on top of where the versions live: its transport, the browser's
// IndexedDB (js/shared/settings.js) or the hub's bucket (js/hub/settings.js). Here: the
// arguments, the newest version known and who hears of a newer one, and what a closed store
// answers. There: compare-and-set, reading, and following what others save.
import { machineError } from './errors.js';
import { isVersion, readError, saveProblem, settingsFailure } from './settings.js';

/**
 * Where the versions live.
 * @typedef {object} SettingsTransport
 * @property {(offer: (entry: import('./settings.js').SettingsEntry | null) => void) => Promise<void>} follow
 *   offers the newest version there, then each one saved after it (or, after a time out of
 *   reach, the newest), until close(); resolves once the newest was offered or cannot be reached
 * @property {(config: object, base: number, device: string | null) => Promise<import('./settings.js').SaveOutcome>} save
 *   compare-and-set, with arguments already checked
 * @property {() => Promise<import('./settings.js').SettingsEntry[]>} entries  every readable
 *   version, in any order; rejects with a MachineError when they cannot be read
 * @property {(version: number) => Promise<import('./settings.js').SettingsEntry | null>} read  rejects as `entries` does
 * @property {() => void} close
 */

/** @implements {import('./settings.js').SettingsStore} */
export class SettingsRecord {
  #transport;
  #entry = null;
  #listeners = new Set();
  #ready;
  #loaded;
  #closed = false;

  /** @param {SettingsTransport} transport */
  constructor(transport) {
    this.#transport = transport;
    this.#ready = new Promise((resolve) => { this.#loaded = resolve; });
    transport.follow((entry) => this.#offer(entry)).then(this.#loaded, this.#loaded);
  }

  get latest() {
    return this.#entry;
  }

  get ready() {
    return this.#ready;
  }

  subscribe(listener) {
    this.#listeners.add(listener);
    return () => { this.#listeners.delete(listener); };
  }

  async save(config, { base, device = null } = {}) {
    const problem = saveProblem(config, base, device);
    if (problem !== null) throw machineError('invalid_argument', `invalid argument: ${problem}`);
    if (this.#closed) return settingsFailure('closed');
    const outcome = await this.#transport.save(config, base, device);
    if (outcome.ok) this.#offer(outcome.entry);
    return outcome;
  }

  async history() {
    this.#checkOpen();
    const entries = await this.#transport.entries();
    return entries.map(({ version, savedAt, by }) => ({ version, savedAt, by })).sort((a, b) => b.version - a.version);
  }

  async version(n) {
    this.#checkOpen();
    return isVersion(n) ? this.#transport.read(n) : null;
  }

  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#transport.close();
    this.#listeners.clear();
    this.#loaded();
  }

  #checkOpen() {
    if (this.#closed) throw readError(settingsFailure('closed'));
  }

  /**
   * Takes `entry` if it is newer than the one known, and tells every listener. Versions only
   * move forward: one offered late (a read that crossed a live update) is dropped.
   */
  #offer(entry) {
    if (this.#closed || entry === null || (this.#entry !== null && entry.version <= this.#entry.version)) return;
    this.#entry = entry;
    for (const listener of [...this.#listeners]) {
      try {
        listener(entry);
      } catch (error) {
        // A listener's bug is its own: the others still hear, and the error is still reported.
        queueMicrotask(() => { throw error; });
      }
    }
  }
}
