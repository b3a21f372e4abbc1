// What the devices of a facility write to the hub and read back: one module, imported by every
// device (they are all peers: each publishes operations and each applies all of them), so that
// no two can disagree on a name or a shape.
//
// An operation is one JetStream message on `tan.ops.<department>.<kind>`. The kind is the last
// token of the subject, never a field of the payload: the hub's subject permissions decide who
// may publish which kind (hub/accounts.conf), so a kiosk cannot serve by writing "serve" into a
// take. Everything else in a message is untrusted: any holder of a kiosk's credentials can
// publish any bytes on a take subject, so `parseOperation` checks every field, and a message
// that fails is applied by every device the same way: as nothing (see replica.js).
import { machineError } from '../shared/protocol.js';

/** The stream that holds every department's operations, in one order per department. */
export const STREAM = 'TAN';

/** The key-value bucket of snapshots, one key per department. */
export const BUCKET = 'tan-snapshots';

/** The subject of department `name`'s operations of `kind` (`>` for all of them). */
export const subject = (name, kind) => `tan.ops.${name}.${kind}`;

/** Subjects hold the department name as one token: no dots, no wildcards, no spaces. */
export const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/**
 * The kinds of operation. `wakes`: a switched-off department is started afresh first, as on
 * the one-browser machine. `role`: the least role the shipped hub configuration lets publish
 * it (kiosk < staff; a board publishes nothing). `tick` is not activity: a device publishes it
 * when it believes a department has been idle for its timeout, so that the hub's clock (the
 * tick's timestamp), not the device's, decides whether it has.
 */
export const OPS = Object.freeze({
  take: { wakes: true, role: 'kiosk' },
  wake: { wakes: true, role: 'kiosk' },
  send: { wakes: false, role: 'kiosk' },
  tick: { wakes: false, role: 'kiosk' },
  serve: { wakes: true, role: 'staff' },
  priority: { wakes: true, role: 'staff' },
  reset: { wakes: true, role: 'staff' },
  note: { wakes: false, role: 'staff' },
});

/** The error codes a hub machine adds to the Machine's and the shared machine's. */
export const HUB_ERRORS = Object.freeze({
  /** The hub cannot be reached; nothing was handed out (an operation may still apply later). */
  offline: 'the hub cannot be reached: nothing was handed out',
  /** The hub refused: these credentials may not do this (a kiosk serving, a board taking). */
  forbidden: 'the hub does not allow this device to do that',
  /** The record runs other rules than this device's (or this device's are not the record's). */
  needs_update: 'the department runs other rules than this device: it needs the update',
  /** The record runs another number range or timeout than this device's configuration. */
  configuration_mismatch: 'the department runs with another configuration than this device',
  /** The hub machine was closed on this device; calls still unanswered get this. */
  closed: 'the hub machine was closed on this device',
});

export { machineError };

/** Format version of an operation's payload. */
export const VERSION = 1;

/** Largest payload accepted (the stream refuses larger messages too: provision.js). */
export const MAX_PAYLOAD = 8 * 1024;

const isRecord = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const isShortString = (value) => typeof value === 'string' && value.length > 0 && value.length <= 200;

/**
 * A department's configuration as it travels: JSON has no Infinity, so a timeout of never is
 * null on the wire.
 */
export const wireConfig = ({ minNumber, maxNumber, autoShutdownTimeout }) =>
  ({ minNumber, maxNumber, autoShutdownTimeout: autoShutdownTimeout === Infinity ? null : autoShutdownTimeout });

/** The configuration back from the wire, or null if it is not one. */
export function readConfig(value) {
  if (!isRecord(value)) return null;
  const { minNumber, maxNumber, autoShutdownTimeout } = value;
  if (!Number.isSafeInteger(minNumber) || !Number.isSafeInteger(maxNumber) || minNumber >= maxNumber) return null;
  if (autoShutdownTimeout !== null && !(Number.isSafeInteger(autoShutdownTimeout) && autoShutdownTimeout >= 0)) return null;
  return { minNumber, maxNumber, autoShutdownTimeout: autoShutdownTimeout ?? Infinity };
}

export const sameConfig = (a, b) => a !== null && b !== null
  && a.minNumber === b.minNumber && a.maxNumber === b.maxNumber && a.autoShutdownTimeout === b.autoShutdownTimeout;

/**
 * Whether `value` is plain JSON data that survives a round trip unchanged (details of a serve,
 * a note): null, booleans, finite numbers, strings, arrays and plain objects, not too deep.
 */
export function isJsonData(value, depth = 0) {
  if (depth > 16) return false;
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isJsonData(item, depth + 1));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value).every((item) => isJsonData(item, depth + 1));
  }
  return false;
}

/**
 * The payload of an operation. `id` is the request's id (also its JetStream msgID, so a retried
 * publish is stored once); `rules` the publishing device's rules; `config` its configuration,
 * so that a device with another range cannot mix its numbers into the record.
 */
export function encodeOperation({ id, rules, config, arg, data }) {
  const body = { v: VERSION, id, rules, config: wireConfig(config) };
  if (arg !== undefined) body.arg = arg;
  if (data !== undefined) body.data = data;
  return JSON.stringify(body);
}

/**
 * A stored message as an operation: `{ kind, id, rules, config, arg, data }`, or
 * `{ problem }` when it is not a well-formed one (which every device treats alike).
 */
export function parseOperation(subjectName, text) {
  const kind = subjectName.slice(subjectName.lastIndexOf('.') + 1);
  if (!Object.hasOwn(OPS, kind)) return { problem: `unknown operation ${kind}` };
  if (text.length > MAX_PAYLOAD) return { problem: 'the operation is too large' };
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return { problem: 'the operation is not JSON' };
  }
  if (!isRecord(body) || body.v !== VERSION) return { problem: 'the operation is of another format' };
  if (!isShortString(body.id) || !isShortString(body.rules)) return { problem: 'the operation has no id or rules' };
  const config = readConfig(body.config);
  if (config === null) return { problem: 'the operation has no valid configuration' };
  const { arg, data } = body;
  if (kind === 'priority' ? !Number.isSafeInteger(arg) : arg !== undefined) {
    return { problem: `invalid argument for ${kind}` };
  }
  if (data !== undefined && !isJsonData(data)) return { problem: 'invalid details' };
  return { kind, id: body.id, rules: body.rules, config, arg, data };
}

/**
 * Whether rules `a` are newer than rules `b`: both `major.minor.patch` (anything after is
 * ignored), compared as numbers. Rules that are not versions are never newer.
 */
export function newer(a, b) {
  const pa = /^(\d+)\.(\d+)\.(\d+)/.exec(a);
  const pb = /^(\d+)\.(\d+)\.(\d+)/.exec(b ?? '');
  if (!pa || !pb) return false;
  for (let i = 1; i <= 3; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0) return d > 0;
  }
  return false;
}
