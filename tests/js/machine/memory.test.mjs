// Leaks, in a process of their own: wasm memory only grows, so a leak is visible as growth only
// while the heap is still small (after a load test, leaked bytes could hide in freed space).
// Run with --expose-gc (make test does), so that dropped handles are really collected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import init, { Machine } from '../../../pkg/node.js';

// The package is already instantiated by its Node entry; init() hands back the same exports,
// which include the wasm memory and the table that holds JS values referenced from Rust.
const wasm = await init();
const memoryBytes = () => wasm.memory.buffer.byteLength;
const tableSlots = () => wasm.__wbindgen_externrefs.length;
const pendingTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Handles left to the garbage collector, and how many of them it has finalized: a collection
// is only done once their finalizers have run (the package's, which free their wasm memory, run
// beside this one), however long a loaded machine takes to get to them.
let dropped = 0;
let finalized = 0;
// Handles of the batch in hand may still be referenced from the stack (the last one awaited):
// a collection waits for those of the batches before it.
let droppedBefore = 0;
const finalizations = new FinalizationRegistry(() => { finalized += 1; });
const dropToGc = (handle) => {
  dropped += 1;
  finalizations.register(handle, null);
};

async function collectGarbage(rounds = 3) {
  assert.equal(typeof globalThis.gc, 'function', 'run with node --expose-gc');
  for (let i = 0; i < rounds || (finalized < droppedBefore && i < 1_000); i++) {
    globalThis.gc();
    await sleep(10); // FinalizationRegistry callbacks run on later turns
  }
  assert.ok(finalized >= droppedBefore, `${finalized} of the ${droppedBefore} handles dropped before this batch finalized`);
}

const report = [];
test.after(() => {
  for (const line of report) console.log(`reliability: ${line}`);
});

test('starting and stopping 10^5 machines leaks no memory, no JS references and no timers', async () => {
  const timersBefore = pendingTimers();
  const cycle = async (n) => {
    for (let batch = 0; batch < n / 1000; batch++) {
      droppedBefore = dropped;
      const machines = [];
      for (let i = 0; i < 1000; i++) {
        // Half stop themselves after an idle millisecond, half are stopped.
        const idle = i % 2 === 0;
        const m = new Machine({ minNumber: 1, maxNumber: 100, autoShutdownTimeout: idle ? 1 : 60_000 });
        await m.queueNewNumber();
        machines.push({ m, idle });
      }
      for (const { m, idle } of machines) if (!idle) await m.stop();
      for (const { m } of machines) await m.exited;
      // Half the handles are freed explicitly, the rest are left to the garbage collector.
      machines.forEach(({ m }, i) => { if (i % 4 < 2) m.free(); else dropToGc(m); });
      machines.length = 0;
      // Collect as a busy page would: without it, tens of thousands of dropped handles wait
      // for finalization at once, and that backlog (not a leak) sets the memory high-water mark.
      if (batch % 5 === 4) await collectGarbage(1);
    }
    await collectGarbage();
  };
  await cycle(10_000); // warm up: let the allocator and the tables reach their working size
  const memory = memoryBytes();
  const slots = tableSlots();
  await cycle(100_000);
  const grewBy = memoryBytes() - memory;
  const slotsGrew = tableSlots() - slots;
  report.push(`10^5 machines: wasm memory ${memory} -> ${memoryBytes()} bytes, JS reference table ${slots} -> ${tableSlots()} slots, timers ${timersBefore} -> ${pendingTimers()}`);
  assert.ok(grewBy <= 256 * 1024, `wasm memory grew by ${grewBy} bytes`);
  assert.ok(slotsGrew <= 1024, `the JS reference table grew by ${slotsGrew} slots`);
  assert.equal(pendingTimers(), timersBefore, 'no timer left pending');
});

test('10^6 messages to one machine keep its memory flat', async () => {
  const m = new Machine({ minNumber: 1, maxNumber: 1000, autoShutdownTimeout: 60_000 });
  const round = async (n) => {
    for (let i = 0; i < n; i += 4) {
      m.send(i);
      m.resetState();
      await m.queueNewNumber();
      await m.serveNextQueuedNumber();
    }
  };
  await round(100_000); // warm up
  await collectGarbage();
  const memory = memoryBytes();
  const slots = tableSlots();
  const timers = pendingTimers();
  await round(1_000_000);
  await collectGarbage();
  report.push(`10^6 messages: wasm memory ${memory} -> ${memoryBytes()} bytes, table ${slots} -> ${tableSlots()} slots, timers ${timers} -> ${pendingTimers()}`);
  assert.ok(memoryBytes() - memory <= 64 * 1024, 'wasm memory is flat');
  assert.ok(tableSlots() - slots <= 64, 'the JS reference table is flat');
  assert.equal(pendingTimers(), timers, 'still one timer, not one per message');
  await m.stop();
});
