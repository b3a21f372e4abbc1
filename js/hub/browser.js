// The kiosk page's hub bundle (www/pkg/hub-browser.js, built by scripts/bundle-hub.mjs): the
// package's hub entry with the NATS client inside, loaded by the page with a dynamic import only
// when config.json names a hub, so a kiosk without one downloads none of it. It speaks our
// terms: a connection's failure comes out as a MachineError (`refused`, `offline`), so nothing on
// the page knows NATS exists.
import { wsconnect } from '@nats-io/nats-core';
import { Hub, CONNECTION_OPTIONS } from './index.js';
import { machineError, ERRORS } from '../engine/errors.js';

export * from './index.js';

/** A NATS connection error as ours: the hub refused the account, or could not be reached. */
function ours(error) {
  if (error === undefined || error === null) return error;
  const refused = error.name === 'AuthorizationError' || error.cause?.name === 'AuthorizationError';
  const code = refused ? 'refused' : 'offline';
  const wrapped = machineError(code, `${ERRORS[code]} (${error.message ?? error})`);
  wrapped.cause = error;
  return wrapped;
}

/**
 * A Hub on a connection it made itself. A Hub leaves the connection to whoever made it; here
 * nobody else holds it, so closing the hub must close it, or a locked staff console would keep
 * staff's signed-in connection (and its rights) open on the hub, reconnecting forever.
 */
class OwnConnectionHub extends Hub {
  /**
   * Resolves once the connection has closed for good: by close(), or because the client gave
   * up (it does once the hub has refused the account twice in a row), with why as a MachineError
   * (`refused` or `offline`), if it was not close().
   */
  connectionClosed() {
    return this.connection.closed().then(ours);
  }

  /** Closes the departments and the connection; resolves once the connection is closed. */
  close() {
    super.close();
    // Closing a connection that is already closed or broken is not this caller's problem.
    return this.connection.close().catch(() => {});
  }
}

/**
 * Connects to the hub at `url` (`wss://…`, or `ws://` on loopback) with a device's credentials
 * and returns its Hub. Waits for the hub if it is not up yet, and reconnects by itself after.
 * `hub.close()` closes the connection too. Rejects with a MachineError `refused` (the hub refused
 * the account) or `offline` (it could not be reached, when told not to wait).
 */
export async function connectHub({ url, user, pass, ...options }) {
  let connection;
  try {
    connection = await wsconnect({ servers: url, user, pass, ...CONNECTION_OPTIONS, ...options });
  } catch (error) {
    throw ours(error);
  }
  return new OwnConnectionHub({ connection });
}
