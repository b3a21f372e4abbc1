// The package's `take-a-number-deluxe/hub` entry: Hub bound to the package's own Machine and
// version, so that `new Hub({ connection })` is all a page or a Node program needs. The NATS
// client packages are dependencies of the package, not bundled into it: bring your transport
// (`connect` from @nats-io/transport-node in Node, `wsconnect` from @nats-io/nats-core in a
// browser) and pass the connection.
import { Machine } from 'take-a-number-deluxe';
import { Hub as Unbound } from './hub.js';

/** The rules this build runs: the package's version (set at build time). */
// eslint-disable-next-line no-undef
export const RULES = typeof __TAN_VERSION__ === 'string' ? __TAN_VERSION__ : '0.0.0-development';

/** A device's link to the facility hub; `hub.machine(options)` makes each department. */
export class Hub extends Unbound {
  constructor(options) {
    super({ Machine, rules: RULES, ...options });
  }
}

export { HubMachine, SNAPSHOT_EVERY } from './machine.js';
export { CONNECTION_OPTIONS, CALL_TIMEOUT_MS, WATCH_MS, PONG_WAIT_MS } from './hub.js';
export { provision } from './provision.js';
export { HubSettings } from './settings.js';
export { Transfers } from '../engine/transfers.js';
export { STREAM, BUCKET, CONFIG_BUCKET, OPS, HUB_ERRORS, subject } from './protocol.js';
