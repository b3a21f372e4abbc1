// The built package (pkg/, release, through its Node entry) used from plain JavaScript, the
// way an app does: what the Rust-side suites cannot see (getters, errors as real JS objects, thrown
// values, re-entrancy from promise handlers, timers left behind).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Machine } from '../../../pkg/node.js';

const codeOf = async (promise) => {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Error, 'rejects with an Error');
    assert.equal(error.name, 'MachineError');
    assert.equal(typeof error.message, 'string');
    return error.code;
  }
  assert.fail('expected a rejection');
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('the exercise, start to finish', async () => {
  const m = new Machine({ minNumber: 1, maxNumber: 2 });
  assert.equal(await m.queueNewNumber(), 1);
  assert.equal(await m.queueNewNumber(), 2);
  assert.equal(await codeOf(m.queueNewNumber()), 'all_possible_numbers_are_in_use');
  assert.equal(await m.serveNextQueuedNumber(2), 2);
  assert.equal(await m.serveNextQueuedNumber(), 1);
  assert.equal(await codeOf(m.serveNextQueuedNumber()), 'empty_queue');
  assert.deepEqual(await m.reportState(), {
    minNumber: 1,
    maxNumber: 2,
    queue: [],
    autoShutdownTimeout: Infinity,
  });
  assert.equal(m.resetState(), undefined);
  assert.equal(await m.stop(), undefined);
  assert.equal(await m.exited, 'normal');
});

test('the constructor throws a coded MachineError', () => {
  for (const options of [undefined, null, 1, 'x', {}, { minNumber: 2, maxNumber: 1 },
    { minNumber: 1n, maxNumber: 2n }, { minNumber: 1, maxNumber: 2, autoShutdownTimeout: -5 }]) {
    assert.throws(() => new Machine(options), (error) =>
      error instanceof Error && error.name === 'MachineError' && error.code === 'invalid_configuration');
  }
});

test('alive is a read-only property and exited is the same promise every time', async () => {
  const m = new Machine({ minNumber: 0, maxNumber: 9, autoShutdownTimeout: 60_000 });
  assert.equal(m.alive, true);
  assert.ok(m.exited instanceof Promise);
  assert.equal(m.exited, m.exited);
  await m.stop('closing');
  assert.equal(m.alive, false);
  assert.equal(await m.exited, 'closing');
});

test('calls never throw synchronously, whatever they are given', async () => {
  const m = new Machine({ minNumber: 1, maxNumber: 5 });
  await m.queueNewNumber();
  const weird = [null, '1', 1.5, NaN, -Infinity, 2 ** 53, 1n, Symbol('x'), {}, [], () => 1, true];
  for (const value of weird) {
    const served = m.serveNextQueuedNumber(value);
    assert.ok(served instanceof Promise);
    assert.equal(await codeOf(served), 'invalid_argument', String(typeof value));
    assert.doesNotThrow(() => m.send(value));
  }
  assert.deepEqual((await m.reportState()).queue, [1]);
  await m.stop();
});

test('methods can be called from inside promise handlers of the same machine', async () => {
  const m = new Machine({ minNumber: 1, maxNumber: 100 });
  const seen = [];
  await m.queueNewNumber().then(async (first) => {
    seen.push(first);
    const inner = m.queueNewNumber().then((n) => {
      seen.push(n);
      m.resetState();
      return m.reportState();
    });
    seen.push(await m.queueNewNumber());
    assert.deepEqual((await inner).queue, []);
  });
  assert.deepEqual(seen, [1, 2, 3]);
  let fromExit;
  const stopped = m.exited.then(async (reason) => {
    fromExit = [reason, await codeOf(m.queueNewNumber()), await codeOf(m.stop())];
  });
  await m.stop();
  await stopped;
  assert.deepEqual(fromExit, ['normal', 'no_process', 'no_process']);
});

test('ten thousand calls fired at once resolve in order', async () => {
  const m = new Machine({ minNumber: 1, maxNumber: 1_000_000 });
  const all = Array.from({ length: 10_000 }, () => m.queueNewNumber());
  const numbers = await Promise.all(all);
  assert.ok(numbers.every((n, i) => n === i + 1));
  await m.stop();
});

test('auto-shutdown leaves no timer behind, and neither does stop()', async () => {
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const before = timers();
  const idle = new Machine({ minNumber: 1, maxNumber: 9, autoShutdownTimeout: 20 });
  const stopped = new Machine({ minNumber: 1, maxNumber: 9, autoShutdownTimeout: 60_000 });
  assert.equal(timers(), before + 2, 'one timer per machine with a finite timeout');
  for (let i = 0; i < 1000; i++) stopped.send(i);
  await stopped.reportState();
  assert.equal(timers(), before + 2, 'messages do not arm more timers');
  await stopped.stop();
  assert.equal(await idle.exited, 'normal');
  await sleep(0);
  assert.equal(timers(), before);
  assert.equal(await codeOf(idle.queueNewNumber()), 'no_process');
});

test('free() with calls still pending answers them, then leaves no timer', async () => {
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const before = timers();
  const m = new Machine({ minNumber: 1, maxNumber: 9, autoShutdownTimeout: 60_000 });
  const taken = m.queueNewNumber();
  const state = m.reportState();
  m.free();
  assert.equal(await taken, 1);
  assert.deepEqual((await state).queue, [1]);
  await sleep(0);
  assert.equal(timers(), before);
  // Using a freed handle is a programming error: wasm-bindgen throws, and the module lives on.
  assert.throws(() => m.queueNewNumber());
  const other = new Machine({ minNumber: 1, maxNumber: 9 });
  assert.equal(await other.queueNewNumber(), 1);
});
