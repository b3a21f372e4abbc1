// The package's `take-a-number-deluxe/shared` entry: SharedMachine bound to the package's own
// Machine, so that `new SharedMachine(options)` is all a page needs after `await init()`.
import { Machine } from 'take-a-number-deluxe';
import { SharedMachine as Unbound } from './client.js';

export { IndexedDbStore, MemoryStore } from './store.js';
export { LocalSettings } from './settings.js';
export { RETRY_MS } from './client.js';
export { Transfers } from '../engine/transfers.js';

/** One running Machine per name for all the windows of a browser profile (see client.js). */
export class SharedMachine extends Unbound {
  constructor(options, deps = {}) {
    super(options, { Machine, ...deps });
  }
}
