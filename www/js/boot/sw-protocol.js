// The messages between the page (updates.js) and the service worker (service-worker.js).
// Both ends import this module, so a message type is spelled in one place.

/** Page -> waiting worker: the page is quiet, take over now (the page reloads after). */
export const APPLY_UPDATE = 'apply-update';
/** Page -> active worker: fetch config.json again, in the background. */
export const CHECK_CONFIG = 'check-config';
/** Page -> active worker: the customer's first screen, for the next start (kept-screen.js). */
export const FIRST_SCREEN = 'first-screen';
/** Worker -> pages: a new, valid config.json is cached; it applies at the next start. */
export const CONFIG_CHANGED = 'config-changed';
/** Worker -> pages: the server's config.json is missing or broken; the last good one stays. */
export const CONFIG_REJECTED = 'config-rejected';

/** A message of one of the types above. */
export const message = (type, fields = {}) => ({ type, ...fields });
