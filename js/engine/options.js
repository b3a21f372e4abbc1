// A department's options, checked once for both logs: what `new SharedMachine(options)` and
// `hub.machine(options)` accept, and the configuration that every window or device of a
// department must agree on.
import { machineError } from './errors.js';
import { isRecord } from './values.js';
import { checkOpening, sameOpening, describeOpening } from './opening.js';

/**
 * A department's name: it names a BroadcastChannel, a Web Lock and an IndexedDB key, and on a
 * hub a subject token (where a dot would split it: the hub refuses dots, see js/hub/protocol.js).
 */
export const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** The record of a department that keeps no record of its own. */
export const NO_RECORD = Object.freeze({ initial: () => null, apply: (record) => record, check: (record) => record === null });

const HOOKS = ['initial', 'apply', 'check'];

/**
 * Checks `{ name, minNumber, maxNumber, autoShutdownTimeout?, opening?, record?, seed? }` plus the
 * queue rules of checkConfig (any JS value). Returns `{ name, config, record, seed }`, or
 * throws a MachineError `invalid_configuration` that says what is wrong.
 */
export function checkOptions(options) {
  const bad = (why) => machineError('invalid_configuration', `invalid configuration: ${why}`);
  if (!isRecord(options)) throw bad('options must be an object');
  const { name, record = NO_RECORD, seed } = options;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw bad('name must be 1 to 100 letters, digits, dots, dashes or underscores');
  }
  const { minNumber, maxNumber, autoShutdownTimeout, groups, order, weights, placement, callsBeforeNoShow, opening } = options;
  const config = checkConfig({ minNumber, maxNumber, autoShutdownTimeout, groups, order, weights, placement, callsBeforeNoShow, opening });
  if (!isRecord(record) || !HOOKS.every((hook) => typeof record[hook] === 'function')) {
    throw bad('record must have initial, apply and check functions');
  }
  if (record.summary !== undefined && typeof record.summary !== 'function') {
    throw bad('record.summary must be a function when given');
  }
  if (seed !== undefined && typeof seed !== 'function') throw bad('seed must be a function');
  return { name, config, record, seed };
}

/** The queue rules a configuration may add to the exercise's, with the exercise's as defaults. */
const QUEUE_RULES = Object.freeze({ groups: ['default'], order: 'strict', weights: null, placement: 'back', callsBeforeNoShow: 1 });

const GROUP = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/**
 * The queue rules of `value` (any JS value), checked: `groups` (1 to 16 distinct names, served
 * in this order by a strict order), `order` ('strict' or 'ratio'), `weights` (a ratio's, one
 * integer from 1 to 1000 per group), `placement` of a ticket transferred in ('back' or by the
 * time it was first 'taken'), `callsBeforeNoShow` (1 to 100). Absent ones are the exercise's.
 * Returns them, or a sentence saying what is wrong.
 */
function queueRules(value) {
  const { groups = QUEUE_RULES.groups, order = QUEUE_RULES.order, weights = null, placement = QUEUE_RULES.placement,
    callsBeforeNoShow = QUEUE_RULES.callsBeforeNoShow } = value;
  if (!Array.isArray(groups) || groups.length < 1 || groups.length > 16 || !groups.every((g) => typeof g === 'string' && GROUP.test(g))
    || new Set(groups).size !== groups.length) {
    return 'groups must be 1 to 16 different names of letters, digits, dots, dashes or underscores';
  }
  if (order !== 'strict' && order !== 'ratio') return "order must be 'strict' or 'ratio'";
  if (order === 'ratio' ? !(Array.isArray(weights) && weights.length === groups.length
    && weights.every((w) => Number.isInteger(w) && w >= 1 && w <= 1000)) : weights !== null) {
    return 'weights must give each group an integer from 1 to 1000, with a ratio order only';
  }
  if (placement !== 'back' && placement !== 'taken') return "placement must be 'back' or 'taken'";
  if (!Number.isInteger(callsBeforeNoShow) || callsBeforeNoShow < 1 || callsBeforeNoShow > 100) {
    return 'callsBeforeNoShow must be an integer from 1 to 100';
  }
  return { groups: [...groups], order, weights: weights && [...weights], placement, callsBeforeNoShow };
}

/**
 * Checks `{ minNumber, maxNumber, autoShutdownTimeout?, groups?, order?, weights?, placement?,
 * callsBeforeNoShow?, opening? }` (any JS value): a department's configuration (`opening`: its
 * daily opening, opening.js; null or left out for none). Returns it, without `opening` when there
 * is none, or throws a MachineError `invalid_configuration`.
 */
export function checkConfig(value) {
  const bad = (why) => machineError('invalid_configuration', `invalid configuration: ${why}`);
  if (!isRecord(value)) throw bad('the configuration must be an object');
  const { minNumber, maxNumber, autoShutdownTimeout = Infinity, opening = null } = value;
  if (!Number.isSafeInteger(minNumber) || !Number.isSafeInteger(maxNumber) || minNumber >= maxNumber) {
    throw bad('minNumber and maxNumber must be safe integers with minNumber below maxNumber');
  }
  if (autoShutdownTimeout !== Infinity && !(Number.isSafeInteger(autoShutdownTimeout) && autoShutdownTimeout >= 0)) {
    throw bad('autoShutdownTimeout must be a non-negative integer of milliseconds, or Infinity');
  }
  const rules = queueRules(value);
  if (typeof rules === 'string') throw bad(rules);
  const config = withRules({ minNumber, maxNumber, autoShutdownTimeout }, rules);
  if (opening === null) return config;
  const checked = checkOpening(opening);
  if (checked.problem) throw bad(checked.problem);
  return { ...config, opening: checked.opening };
}

/** A configuration with queue rules only where they are not the exercise's (so a configuration without them keeps its shape). */
const withRules = (config, rules) => (hasQueueRules(rules) ? { ...config, ...rules } : config);

/** The queue rules of a configuration (the exercise's where it has none). */
export const rulesOf = (config) => ({ ...QUEUE_RULES, ...config });

/** Whether two lists (or nulls) hold the same items in the same order. */
export const sameList = (a, b) => (a === null || b === null ? a === b : a.length === b.length && a.every((x, i) => x === b[i]));

/**
 * Whether two configurations (either may be missing or malformed) are the same, as far as an
 * operation must declare the record's: not in the opening. Builds that know no opening read the
 * same operations, and every reader of a log must admit the same ones (or their idle times part,
 * and with them who may switch the record's rules): the opening is the record's alone, set by a
 * `configure`.
 */
export const sameConfig = (a, b) => {
  if (!isRecord(a) || !isRecord(b)) return false;
  const [ra, rb] = [rulesOf(a), rulesOf(b)];
  return a.minNumber === b.minNumber && a.maxNumber === b.maxNumber && a.autoShutdownTimeout === b.autoShutdownTimeout
    && sameList(ra.groups, rb.groups) && ra.order === rb.order && sameList(ra.weights, rb.weights)
    && ra.placement === rb.placement && ra.callsBeforeNoShow === rb.callsBeforeNoShow;
};

/**
 * Whether an operation declaring configuration `a` runs on a record of configuration `b`, as every
 * release decides it: by the range and the idle timeout, which every release reads. A release
 * before the queue rules and the opening reads a configuration without them, so if a newer one
 * refused an operation for them, the two would keep different activity times, and so decide a
 * switch of the record's rules differently (a split record). The record's queue rules decide
 * what its Machine does with each operation (a group it lacks is `unknown_group`), alike everywhere.
 */
export const sameDeclared = (a, b) => isRecord(a) && isRecord(b)
  && a.minNumber === b.minNumber && a.maxNumber === b.maxNumber && a.autoShutdownTimeout === b.autoShutdownTimeout;

/** Whether two configurations are the same in everything, the opening too (what a configure would change). */
export const sameSettings = (a, b) => sameConfig(a, b) && sameOpening(a.opening, b.opening);

/** Whether a configuration has queue rules beyond the exercise's. */
const hasQueueRules = (config) => {
  const rules = rulesOf(config);
  return !sameList(rules.groups, QUEUE_RULES.groups) || rules.order !== 'strict' || rules.placement !== 'back' || rules.callsBeforeNoShow !== 1;
};

/** A configuration in words, for a refusal's message. */
export const describeConfig = (config) => {
  if (!isRecord(config)) return 'no configuration';
  const base = `numbers ${config.minNumber}..${config.maxNumber} and an idle timeout of ${config.autoShutdownTimeout} ms`
    + (config.opening == null ? '' : `, with ${describeOpening(config.opening)}`);
  if (!hasQueueRules(config)) return base;
  const r = rulesOf(config);
  const order = r.order === 'ratio' ? `a ${r.weights.join(':')} ratio` : 'strict order';
  return `${base}, groups ${r.groups.join(', ')} in ${order}, transfers placed ${r.placement === 'back' ? 'at the back' : 'by taken time'}, a no-show after ${r.callsBeforeNoShow} call(s)`;
};

/**
 * The configuration as JSON carries it: JSON has no Infinity, so a timeout of never is null. The
 * queue rules and the opening are carried only when they are not the exercise's (none), so a
 * configuration without them reads the same to a build that predates them.
 */
export const wireConfig = (config) => {
  const { minNumber, maxNumber, autoShutdownTimeout, opening } = config;
  const wire = {
    minNumber, maxNumber, autoShutdownTimeout: autoShutdownTimeout === Infinity ? null : autoShutdownTimeout,
    ...(opening == null ? {} : { opening: { ...opening } }),
  };
  if (!hasQueueRules(config)) return wire;
  const { groups, order, weights, placement, callsBeforeNoShow } = rulesOf(config);
  return { ...wire, groups, order, weights, placement, callsBeforeNoShow };
};

/**
 * The configuration back from JSON, or null if it is not one. An opening this reader cannot read
 * is no opening, as it is for the builds that know none: a message is then read alike by every
 * build (a configuration a device sends was checked by checkConfig before).
 */
export function readConfig(value) {
  if (!isRecord(value)) return null;
  const { minNumber, maxNumber, autoShutdownTimeout, opening = null } = value;
  if (!Number.isSafeInteger(minNumber) || !Number.isSafeInteger(maxNumber) || minNumber >= maxNumber) return null;
  if (autoShutdownTimeout !== null && !(Number.isSafeInteger(autoShutdownTimeout) && autoShutdownTimeout >= 0)) return null;
  const rules = queueRules(value);
  if (typeof rules === 'string') return null;
  const config = withRules({ minNumber, maxNumber, autoShutdownTimeout: autoShutdownTimeout ?? Infinity }, rules);
  const checked = opening === null ? {} : checkOpening(opening);
  return checked.opening ? { ...config, opening: checked.opening } : config;
}
