// The messages between the windows of one browser that share a machine: one module, imported
// by both ends (the client in every window, the host in the leading window), so that the two
// can never disagree on a shape. Comlink's protocol is the model: a handful of kinds, each
// request numbered so that its answer finds its caller.
//
// Every message travels on the machine's BroadcastChannel as a plain object (structured
// clone). Anything received is untrusted: another version of the page, or another script of
// the same origin, may post on the same channel, so `parse*` checks each shape before use.
import { isOutcome } from '../engine/errors.js';
import { isRecord } from '../engine/values.js';

/** Bumped when a shape below changes incompatibly; messages of other versions are ignored. */
export const PROTOCOL = 1;

const PREFIX = 'take-a-number-deluxe/shared/v1/';

/** The BroadcastChannel every window of `name` listens on. */
export const channelName = (name) => `${PREFIX}channel/${name}`;

/** The Web Lock whose holder hosts the machine `name`. */
export const leaderLockName = (name) => `${PREFIX}leader/${name}`;

/**
 * What a window may ask of the host: the department's operations (js/engine/operations.js),
 * with priority serves as `serve` with an argument, a `configure`'s configuration as its
 * argument, and `report`, a read that counts as activity here as on a Machine of one's own.
 */
export const REQUESTS = Object.freeze(['take', 'serve', 'reset', 'wake', 'report', 'send', 'note', 'configure', 'reclaim',
  'call', 'recall', 'finish', 'no-show', 'park', 'unpark', 'transfer', 'arrive', 'settle']);

// --- Client -> host ----------------------------------------------------------------------

/**
 * A request. `seq` numbers the client's requests 1, 2, 3...; `ack` is the oldest request the
 * client still waits for, so the host may forget answers before it. `config` is what the
 * client was opened with, so a mismatch is refused instead of sharing one record between two
 * configurations. `data`: details for the record (who served, at which counter).
 */
export const request = (client, seq, ack, op, arg, config, data) =>
  ({ protocol: PROTOCOL, kind: 'request', client, seq, ack, op, arg, config, data });

/** A window that just opened asks the host for the current state. */
export const hello = (client) => ({ protocol: PROTOCOL, kind: 'hello', client });

// --- Host -> clients ---------------------------------------------------------------------

/** The answer to one request: `outcome` is `{ ok: true, value }` or `{ ok: false, code, message }`. */
export const reply = (client, seq, outcome) => ({ protocol: PROTOCOL, kind: 'reply', client, seq, outcome });

/** The machine's state after a change, or for a window that said hello. */
export const stateMessage = (state) => ({ protocol: PROTOCOL, kind: 'state', state });

/** A window has just taken over hosting: clients resend what is still unanswered. */
export const leader = (epoch) => ({ protocol: PROTOCOL, kind: 'leader', epoch });

// --- Checking what arrives ---------------------------------------------------------------

const isSeq = (value) => Number.isSafeInteger(value) && value >= 1;
const isClient = (value) => typeof value === 'string' && value.length > 0 && value.length <= 100;

/** A well-formed message of this protocol, or null. */
export function parse(data) {
  if (!isRecord(data) || data.protocol !== PROTOCOL) return null;
  switch (data.kind) {
    case 'request':
      return isClient(data.client) && isSeq(data.seq) && isSeq(data.ack) && data.ack <= data.seq
        && REQUESTS.includes(data.op) && isRecord(data.config) ? data : null;
    case 'hello':
      return isClient(data.client) ? data : null;
    case 'reply':
      return isClient(data.client) && isSeq(data.seq) && isOutcome(data.outcome) ? data : null;
    case 'state':
      return isState(data.state) ? data : null;
    case 'leader':
      return Number.isSafeInteger(data.epoch) ? data : null;
    default:
      return null;
  }
}

function isState(state) {
  return isRecord(state) && Number.isSafeInteger(state.seq) && Array.isArray(state.queue)
    && typeof state.asleep === 'boolean' && Array.isArray(state.notices);
}
