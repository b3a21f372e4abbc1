// What the devices of a facility write to the hub and read back: one module, imported by every
// device (they are all peers: each publishes operations and each applies all of them), so that
// no two can disagree on a name or a shape.
//
// An operation is one JetStream message on `tan.ops.<department>.<kind>`. The kind is the last
// token of the subject, never a field of the payload: the hub's subject permissions decide who
// may publish which kind (hub/accounts.conf), so a kiosk cannot serve by writing "serve" into a
// take. Everything else in a message is untrusted: any holder of a kiosk's credentials can
// publish any bytes on a take subject, so `parseOperation` checks every field, and a message
// that fails is applied by every device the same way: as nothing (see js/engine/department.js).
import { ERRORS } from '../engine/errors.js';
import { OPS, validArg } from '../engine/operations.js';
import { NAME as ANY_NAME, readConfig, wireConfig } from '../engine/options.js';
import { isRecord, isJsonData } from '../engine/values.js';

/** The stream that holds every department's operations, in one order per department. */
export const STREAM = 'TAN';

/** The key-value bucket of snapshots, one key per department. */
export const BUCKET = 'tan-snapshots';

/** The key-value bucket of the facility's saved configuration, one key per saved version. */
export const CONFIG_BUCKET = 'tan-config';

/**
 * The key-value bucket of the departments' public summaries, one key per department: what a
 * customer's phone follows (www/js/model/follow-summary.js says what a summary holds). Its stream
 * republishes every summary it stores to PUBLIC_SUBJECT, so phones follow with one direct get and
 * one core subscription each, and no JetStream consumer (docs/hub.md).
 */
export const PUBLIC_BUCKET = 'tan-public';

/** Where the public bucket's stream republishes each stored summary: `tan.public.<department>`. */
export const PUBLIC_SUBJECT = 'tan.public';

/**
 * The inbox prefix a phone connects with (nats.js `inboxPrefix`): the visitor may subscribe to its
 * replies there and nowhere under `_INBOX`, where the devices' consumers deliver every operation.
 */
export const PUBLIC_INBOX = '_INBOX_public';

/** The subject a summary of department `name` is written to (the bucket's key). */
export const publicKey = (name) => `$KV.${PUBLIC_BUCKET}.${name}`;

/** The subject of department `name`'s operations of `kind` (`>` for all of them). */
export const subject = (name, kind) => `tan.ops.${name}.${kind}`;

/** A department's name on a hub: one subject token, so no dots (nor wildcards, nor spaces). */
export const isHubName = (name) => ANY_NAME.test(name) && !name.includes('.');

/** The error codes a hub machine adds to the Machine's and the shared machine's. */
export const HUB_ERRORS = Object.freeze(Object.fromEntries(
  ['offline', 'forbidden', 'needs_update', 'not_configured', 'configuration_mismatch', 'closed'].map((code) => [code, ERRORS[code]]),
));

export { OPS };

/** Format version of an operation's payload. */
export const VERSION = 1;

/** Largest payload accepted (the stream refuses larger messages too: provision.js). */
export const MAX_PAYLOAD = 8 * 1024;

const isShortString = (value) => typeof value === 'string' && value.length > 0 && value.length <= 200;

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
  if (!validArg(kind, arg)) return { problem: `invalid argument for ${kind}` };
  if (data !== undefined && !isJsonData(data)) return { problem: 'invalid details' };
  return { kind, id: body.id, rules: body.rules, config, arg, data };
}

