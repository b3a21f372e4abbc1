// The views a customer does not need to take a ticket: the board, the staff view (its lock,
// console and figures), the quiet ways into it, the hub banner and the hub setup. main.js
// imports this module only once the customer view takes taps, so that its code (nearly half the
// page's) is neither fetched nor compiled nor run before that on a slow kiosk; the build makes
// it a chunk of its own, which the service worker precaches with the rest. (BENCHMARKS.md,
// start-up: what this bought.)
export { mountBoard } from './board.js';
export { mountCallOverlay } from './call-overlay.js';
export { mountWallScreen } from './wall-screen.js';
export { mountStaff } from './staff.js';
export { mountWaysIn } from './ways-in.js';
export { mountHubBanner, mountHubSetup } from './hub.js';
export { toRaw } from '../model/config-raw.js';
