// The facility's saved configuration as a record of versions (issue 22): what a version is, how
// it is stored and what is checked when it is read back, and the interface of its stores.
// Written once for its two stores, which differ only in where the versions live:
// js/shared/settings.js (one browser: IndexedDB, every window) and js/hub/settings.js (a
// facility: the hub's bucket tan-config, every device); settings-record.js is what they share. A version is never changed once saved, so the history is the
// versions themselves, and saving is compare-and-set on the next version's number: two managers
// who edited the same version cannot both save.
import { failed, machineError } from './errors.js';
import { isRecord, isJsonData } from './values.js';

/**
 * One saved version.
 * @typedef {object} SettingsEntry
 * @property {number} version  1, 2, 3…: the first is 1, each save adds one to the version edited from
 * @property {object} config   the config.json shape as saved, without `hub` (which is each device's own)
 * @property {number} savedAt  ms since the epoch: the saving window's clock in one browser, the hub's with a hub
 * @property {{ device: string|null, account: string|null }} by  the saving device's name, and its hub
 *   account (null in one browser; with a hub, the account the saving device says it signed in with)
 */

/**
 * What `save` resolves with; it never rejects for these.
 * - `ok: true`: `entry` is the new version.
 * - `changed`: another save got there first (or `base` is not a saved version): nothing was
 *   written, and `latest` is the newest version (null when there is none).
 * - `forbidden`: the hub does not let this account write the configuration; nothing was written.
 * - `offline`: the hub cannot be reached (the version may still have been stored: it then
 *   arrives through `subscribe` like any other).
 * - `unavailable`: this browser refuses storage (disabled, private mode, full); nothing was written.
 * - `closed`: the store was closed.
 * @typedef {{ ok: true, entry: SettingsEntry }
 *   | { ok: false, code: 'changed', latest: SettingsEntry | null, message: string }
 *   | { ok: false, code: 'forbidden' | 'offline' | 'unavailable' | 'closed', message: string }} SaveOutcome
 */

/**
 * The interface of both stores (LocalSettings, HubSettings), written once as SettingsRecord
 * (settings-record.js) on each store's transport.
 * @typedef {object} SettingsStore
 * @property {SettingsEntry | null} latest  the newest version known here (null: none saved, or not loaded yet)
 * @property {Promise<void>} ready  resolves once the newest version is known, or it cannot be
 *   reached (then `latest` stays as it was); never rejects
 * @property {(listener: (entry: SettingsEntry) => void) => () => void} subscribe  calls
 *   `listener` with each version newer than `latest`, saved by any window or device (this one
 *   too), within a second; after a time out of reach, only with the newest. Returns unsubscribe.
 * @property {(config: object, options: { base: number, device?: string | null }) => Promise<SaveOutcome>} save
 *   saves `config` as version `base + 1`, where `base` is the version the manager edited from
 *   (0 when none); never replaces a version. Rejects only for arguments of the wrong kind
 *   (a MachineError `invalid_argument`).
 * @property {() => Promise<Array<{ version: number, savedAt: number, by: SettingsEntry['by'] }>>} history
 *   every version kept, newest first; rejects with a MachineError `offline`, `forbidden`,
 *   `unavailable` or `closed` when it cannot be read
 * @property {(version: number) => Promise<SettingsEntry | null>} version  one version (null:
 *   there is no such version); rejects as `history` does
 * @property {() => void} close  stops following; later calls fail with `closed`
 */

/** The codes a settings store fails with, and what each means. */
export const SETTINGS_ERRORS = Object.freeze({
  changed: 'the configuration was changed meanwhile: nothing was saved',
  forbidden: 'the hub does not let this account change the configuration',
  offline: 'the hub cannot be reached',
  unavailable: 'this browser does not keep the configuration (its storage is refused)',
  closed: 'the settings store was closed here',
});

/** Format of a stored version's body: a body of another format is not read. */
export const FORMAT = 1;

const isShortString = (value) => typeof value === 'string' && value.length > 0 && value.length <= 200;

/** A device's or an account's name as a version keeps it: 1 to 200 characters, or null. */
export const isWho = (value) => value === null || isShortString(value);

/** A version's number: 1, 2, 3… */
export const isVersion = (value) => Number.isSafeInteger(value) && value > 0;

/** A failed save or read, with the code's meaning and, if given, why. */
export const settingsFailure = (code, why) => failed(code, why ? `${SETTINGS_ERRORS[code]} (${why})` : SETTINGS_ERRORS[code]);

/** `changed`, with the newest version. */
export const changed = (latest) => ({ ...settingsFailure('changed'), latest });

/** A failed read as a rejection: a MachineError with the outcome's code. */
export const readError = ({ code, message }) => machineError(code, message);

/**
 * What is wrong with `save`'s arguments (a sentence), or null. The store rejects with
 * `invalid_argument` rather than saving something no device could read back.
 */
export function saveProblem(config, base, device) {
  if (!isRecord(config) || !isJsonData(config)) return 'the configuration must be a plain JSON object';
  if (!Number.isSafeInteger(base) || base < 0) return 'base must be the version edited from (0 when none)';
  if (!isWho(device)) return 'device must be a name of 1 to 200 characters, or null';
  return null;
}

/** The configuration as a version keeps it: without `hub`, the address each device is built with. */
function withoutHub(config) {
  const { hub: _, ...rest } = config;
  return rest;
}

/** The stored body of a version: its number and time are the store's (a key, a timestamp). */
export const toBody = (config, by) => ({ v: FORMAT, config: withoutHub(config), by: { device: by.device ?? null, account: by.account ?? null } });

/**
 * Version `version` saved at `savedAt` with `body`, read back from storage or the network, as
 * an entry; null when any of it is not what a store writes (such a version is skipped).
 * @returns {SettingsEntry | null}
 */
export function toEntry(version, savedAt, body) {
  if (!isVersion(version) || !Number.isFinite(savedAt) || savedAt < 0) return null;
  if (!isRecord(body) || body.v !== FORMAT) return null;
  const { config, by } = body;
  if (!isRecord(config) || !isJsonData(config)) return null;
  if (!isRecord(by) || !isWho(by.device) || !isWho(by.account)) return null;
  return { version, config: withoutHub(config), savedAt, by: { device: by.device, account: by.account } };
}

