// Tickets an upgraded kiosk still holds in localStorage, where the kiosk's first versions saved
// each department's state (each window its own copy): read once, as the `seed` of the
// department's shared record (which js/shared/store.js keeps in IndexedDB), and then removed.
// `save` writes such a save, for the tests.
//
// Everything read back is treated as untrusted: storage may hold data from an older version,
// another app on the same origin, or a half-written value. Anything that does not look exactly
// like what `save` writes is reported as corrupt, and that department starts clean.

const PREFIX = 'take-a-number-deluxe/v1/';

/** The storage key of one department. */
export const keyOf = (departmentId) => PREFIX + departmentId;

/**
 * Reads a department's saved state.
 * Returns { state: null } when nothing is saved, { state } when it is usable, or
 * { state: null, problem } when something was saved but cannot be used.
 */
export function load(storage, department) {
  let raw;
  try {
    raw = storage.getItem(keyOf(department.id));
  } catch (error) {
    return { state: null, problem: `storage could not be read (${error.name})` };
  }
  if (raw === null) return { state: null };
  let saved;
  try {
    saved = JSON.parse(raw);
  } catch {
    return { state: null, problem: 'the saved data is not valid JSON' };
  }
  if (typeof saved !== 'object' || saved === null || Array.isArray(saved)) {
    return { state: null, problem: 'the saved data is not an object' };
  }
  if (saved.minNumber !== department.minNumber || saved.maxNumber !== department.maxNumber) {
    return { state: null, problem: 'the saved tickets belong to a different number range' };
  }
  if (!Array.isArray(saved.queue) || !saved.queue.every(Number.isSafeInteger)) {
    return { state: null, problem: 'the saved queue is not a list of numbers' };
  }
  if (saved.nowServing !== null && !Number.isSafeInteger(saved.nowServing)) {
    return { state: null, problem: 'the saved "now serving" number is not a number' };
  }
  return { state: { queue: saved.queue, nowServing: saved.nowServing } };
}

/** Saves a department's state; returns an error message if storage refused it. */
export function save(storage, department, { queue, nowServing }) {
  const record = { minNumber: department.minNumber, maxNumber: department.maxNumber, queue, nowServing };
  try {
    storage.setItem(keyOf(department.id), JSON.stringify(record));
    return null;
  } catch (error) {
    return `tickets could not be saved (${error.name})`;
  }
}

/** Forgets a department's state. */
export function clear(storage, department) {
  try {
    storage.removeItem(keyOf(department.id));
  } catch {
    // Nothing saved can be cleared either; the next save will report the problem.
  }
}

/**
 * The `seed` of a department's SharedMachine: its tickets saved by an earlier version, if any,
 * with a notice when they are unusable, as a `record` (ticket-record.js) that knows the number
 * being served. The save is removed once the shared record holds it.
 */
export function legacySeed(storage, department, record) {
  const { state, problem } = load(storage, department);
  const commit = () => clear(storage, department);
  if (problem) return { notice: `${problem}. Started with an empty queue.`, commit };
  if (state === null) return null;
  return { queue: state.queue, record: { ...record.initial(), nowServing: state.nowServing }, commit };
}
