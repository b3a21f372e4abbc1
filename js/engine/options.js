// A department's options, checked once for both logs: what `new SharedMachine(options)` and
// `hub.machine(options)` accept, and the configuration that every window or device of a
// department must agree on.
import { machineError } from './errors.js';
import { isRecord } from './values.js';

/**
 * A department's name: it names a BroadcastChannel, a Web Lock and an IndexedDB key, and on a
 * hub a subject token (where a dot would split it: the hub refuses dots, see js/hub/protocol.js).
 */
export const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** The record of a department that keeps no record of its own. */
export const NO_RECORD = Object.freeze({ initial: () => null, apply: (record) => record, check: (record) => record === null });

const HOOKS = ['initial', 'apply', 'check'];

/**
 * Checks `{ name, minNumber, maxNumber, autoShutdownTimeout?, record?, seed? }` (any JS value).
 * Returns `{ name, config: { minNumber, maxNumber, autoShutdownTimeout }, record, seed }`, or
 * throws a MachineError `invalid_configuration` that says what is wrong.
 */
export function checkOptions(options) {
  const bad = (why) => machineError('invalid_configuration', `invalid configuration: ${why}`);
  if (!isRecord(options)) throw bad('options must be an object');
  const { name, minNumber, maxNumber, autoShutdownTimeout = Infinity, record = NO_RECORD, seed } = options;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw bad('name must be 1 to 100 letters, digits, dots, dashes or underscores');
  }
  const config = checkConfig({ minNumber, maxNumber, autoShutdownTimeout });
  if (!isRecord(record) || !HOOKS.every((hook) => typeof record[hook] === 'function')) {
    throw bad('record must have initial, apply and check functions');
  }
  if (record.summary !== undefined && typeof record.summary !== 'function') {
    throw bad('record.summary must be a function when given');
  }
  if (seed !== undefined && typeof seed !== 'function') throw bad('seed must be a function');
  return { name, config, record, seed };
}

/**
 * Checks `{ minNumber, maxNumber, autoShutdownTimeout? }` (any JS value): a department's
 * configuration. Returns it, or throws a MachineError `invalid_configuration`.
 */
export function checkConfig(value) {
  const bad = (why) => machineError('invalid_configuration', `invalid configuration: ${why}`);
  if (!isRecord(value)) throw bad('the configuration must be an object');
  const { minNumber, maxNumber, autoShutdownTimeout = Infinity } = value;
  if (!Number.isSafeInteger(minNumber) || !Number.isSafeInteger(maxNumber) || minNumber >= maxNumber) {
    throw bad('minNumber and maxNumber must be safe integers with minNumber below maxNumber');
  }
  if (autoShutdownTimeout !== Infinity && !(Number.isSafeInteger(autoShutdownTimeout) && autoShutdownTimeout >= 0)) {
    throw bad('autoShutdownTimeout must be a non-negative integer of milliseconds, or Infinity');
  }
  return { minNumber, maxNumber, autoShutdownTimeout };
}

/** Whether two configurations (either may be missing or malformed) are the same. */
export const sameConfig = (a, b) => isRecord(a) && isRecord(b)
  && a.minNumber === b.minNumber && a.maxNumber === b.maxNumber && a.autoShutdownTimeout === b.autoShutdownTimeout;

/** A configuration in words, for a refusal's message. */
export const describeConfig = (config) => (!isRecord(config) ? 'no configuration'
  : `numbers ${config.minNumber}..${config.maxNumber} and an idle timeout of ${config.autoShutdownTimeout} ms`);

/** The configuration as JSON carries it: JSON has no Infinity, so a timeout of never is null. */
export const wireConfig = ({ minNumber, maxNumber, autoShutdownTimeout }) =>
  ({ minNumber, maxNumber, autoShutdownTimeout: autoShutdownTimeout === Infinity ? null : autoShutdownTimeout });

/** The configuration back from JSON, or null if it is not one. */
export function readConfig(value) {
  if (!isRecord(value)) return null;
  const { minNumber, maxNumber, autoShutdownTimeout } = value;
  if (!Number.isSafeInteger(minNumber) || !Number.isSafeInteger(maxNumber) || minNumber >= maxNumber) return null;
  if (autoShutdownTimeout !== null && !(Number.isSafeInteger(autoShutdownTimeout) && autoShutdownTimeout >= 0)) return null;
  return { minNumber, maxNumber, autoShutdownTimeout: autoShutdownTimeout ?? Infinity };
}
