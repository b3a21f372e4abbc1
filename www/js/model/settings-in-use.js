// The facility's settings this page runs: the newest version a manager saved (the settings
// record: IndexedDB in one browser, the hub's bucket with a hub), or the served config.json while
// none is saved. No DOM here.
//
// The newest version applied is also kept in this device's localStorage, so that a start needs
// neither the record nor the network to run it (a kiosk power-cycled while the static server or
// the hub is down comes back with the latest saved settings), and so the first screen waits for
// nothing new. The record is then followed: a newer version is applied at once, without a
// reload (settings-follow.js, facility.js).
import { read } from './config-reading.js';

/** Where this device keeps the version it runs. */
export const IN_USE_KEY = 'take-a-number-deluxe/settings/in-use';

/**
 * The configuration to run from `entry` (a saved version, or null): its settings with the served
 * config's `hub` (how this device reaches the hub is the device's, never a saved setting).
 * Returns `{ config, version }`, version 0 for the served config; a version that does not pass
 * the checks (another page version's) gives the served config and `problem`, the first problem.
 */
export function configInUse(served, entry) {
  if (entry === null) return { config: served, version: 0 };
  const hub = served.hub === null ? {} : { hub: { url: served.hub.urls } };
  const { config, problems } = read({ ...entry.config, ...hub });
  if (problems.length > 0) return { config: served, version: 0, problem: problems[0] };
  return { config, version: entry.version };
}

/** The version this device ran last (kept by remember), or null. */
export function remembered(storage) {
  let entry;
  try {
    entry = JSON.parse(storage?.getItem(IN_USE_KEY) ?? 'null');
  } catch {
    return null;
  }
  const ok = typeof entry === 'object' && entry !== null && Number.isSafeInteger(entry.version) && entry.version > 0
    && typeof entry.config === 'object' && entry.config !== null;
  return ok ? entry : null;
}
