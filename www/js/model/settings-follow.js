// Following the facility's saved settings once the page runs (settings-in-use.js says which
// settings a start runs; this module is not on the first screen's path): each newer version is
// applied while the page runs. And what a manager's save does to the departments. No DOM here.
import { configInUse, IN_USE_KEY } from './settings-in-use.js';
import { engineConfig } from './queue-rules.js';

/** Keeps `entry` as the version to run from the next start. */
export function remember(storage, entry) {
  try {
    storage?.setItem(IN_USE_KEY, JSON.stringify({ version: entry.version, config: entry.config }));
  } catch {
    // Storage full or refused: the next start reads the record again.
  }
}

/**
 * Follows `record` for versions newer than `version` (the one running): each usable one is
 * remembered and given to `apply(config, entry)` (the page runs it from then on, without a
 * reload), in the order saved. A version that does not pass the checks is reported to
 * `onProblem(problem)` and not applied. Returns an unsubscribe.
 */
export function followSettings({ record, served, version, storage, apply, onProblem }) {
  let running = version;
  const offer = (entry) => {
    if (entry === null || entry.version <= running) return;
    const { config, problem } = configInUse(served, entry);
    if (problem) {
      onProblem(problem);
      return;
    }
    running = entry.version;
    remember(storage, entry);
    apply(config, entry);
  };
  record.ready.then(() => offer(record.latest));
  return record.subscribe(offer);
}

/**
 * After a manager's save: the departments that this page runs and that the new settings keep
 * get their range, idle timeout, queue rules and daily opening in their records (a department's record
 * decides its numbers and its day, js/engine/department.js). A new department: in one browser it
 * starts with its range when a window first opens it; on a hub (`hub`, the manager's) it is configured here, for a moment's
 * machine, or it would refuse everything. Failures are left to the next save: the saved
 * settings stand, and the staff notices say what each department's record refused.
 */
export async function configureDepartments(departments, config, hub = null) {
  const settings = engineConfig; // range, idle timeout, queue rules and daily opening
  const running = new Set(departments.map((dept) => dept.config.id));
  for (const wanted of config.departments) {
    const dept = departments.find((d) => d.config.id === wanted.id);
    // One this page has only just started (the new version applied already) is configured all
    // the same: its machine's calls wait for its record, within the hub's call timeout.
    if (dept !== undefined) await dept.configure(settings(wanted)).catch(() => {});
  }
  if (hub === null) return;
  for (const wanted of config.departments.filter((dept) => !running.has(dept.id))) {
    const machine = hub.machine({ name: wanted.id, ...settings(wanted) });
    try {
      await machine.ready;
      await machine.configure(settings(wanted));
    } catch {
      // as above
    } finally {
      machine.close();
    }
  }
}
