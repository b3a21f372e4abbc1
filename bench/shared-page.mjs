// In Chromium, for `make bench`: a call through the shared machine (js/shared/) against the same
// call on a Machine of the window's own. The bench opens two windows of this page in one
// browser context: the first hosts the shared machine, the second is a plain client.
import init, { Machine } from '../pkg/take_a_number_deluxe.js';
import { SharedMachine, MemoryStore } from '../pkg/shared.js';

const ready = init();
let shared = null;
let unsaved = null;

/**
 * Joins the shared machine `name` (the first window to join hosts it), and a twin whose host
 * keeps its record in memory only: the difference is what the IndexedDB commit costs.
 */
window.join = async (name) => {
  await ready;
  const options = { minNumber: 0, maxNumber: Number.MAX_SAFE_INTEGER };
  shared = new SharedMachine({ name, ...options });
  unsaved = new SharedMachine({ name: `${name}-unsaved`, ...options }, { store: new MemoryStore() });
  await Promise.all([shared.ready, unsaved.ready]);
  return shared.isHost;
};

/**
 * Microseconds per call: awaited one by one, and in a burst of `burst` calls at once. Takes and
 * serves alternate, so the queue stays as short as a kiosk's (its length is copied into every
 * state message and every write).
 */
window.measure = async ({ calls, burst }) => {
  await ready;
  const direct = new Machine({ minNumber: 0, maxNumber: Number.MAX_SAFE_INTEGER });
  const time = async (machine) => {
    const began = performance.now();
    for (let i = 0; i < calls; i += 2) {
      await machine.queueNewNumber();
      await machine.serveNextQueuedNumber();
    }
    const awaited = ((performance.now() - began) * 1000) / calls;
    const burstBegan = performance.now();
    await Promise.all(Array.from({ length: burst }, (_, i) => (i % 2 === 0
      ? machine.queueNewNumber() : machine.serveNextQueuedNumber())));
    return { awaited, burst: ((performance.now() - burstBegan) * 1000) / burst };
  };
  const result = { direct: await time(direct), shared: await time(shared), unsaved: await time(unsaved) };
  await direct.stop();
  return result;
};
