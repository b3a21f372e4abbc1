// Re-entrancy and load against the built package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Machine } from '../../../pkg/node.js';

const pendingTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

const report = [];
test.after(() => {
  for (const line of report) console.log(`reliability: ${line}`);
});

test('methods called from promise handlers and exited handlers keep their order', async () => {
  const m = new Machine({ minNumber: 1, maxNumber: 1_000_000 });
  const order = [];
  const first = m.queueNewNumber().then((n) => {
    order.push(`first ${n}`);
    // Sent while 99 999 calls are still in the mailbox: it must queue behind them.
    return m.queueNewNumber().then((late) => order.push(`late ${late}`));
  });
  const pending = Array.from({ length: 99_999 }, () => m.queueNewNumber());
  const served = m.serveNextQueuedNumber(50_000);
  const state = m.reportState();
  m.send({ in: 'the middle' });
  const all = await Promise.all(pending);
  assert.ok(all.every((n, i) => n === i + 2), 'numbers in call order');
  assert.equal(await served, 50_000);
  assert.equal((await state).queue.length, 99_999);
  await first;
  assert.deepEqual(order, ['first 1', 'late 100001']);

  let fromExit = null;
  const exitHandled = m.exited.then(async (reason) => {
    fromExit = { reason, alive: m.alive };
    await m.queueNewNumber().catch((e) => { fromExit.call = e.code; });
    m.resetState();
    m.send('after');
    await m.stop().catch((e) => { fromExit.stop = e.code; });
  });
  await m.stop('done');
  await exitHandled;
  assert.deepEqual(fromExit, { reason: 'done', alive: false, call: 'no_process', stop: 'no_process' });
  report.push('re-entrancy: 10^5 pending calls, calls from then/exited handlers: in order');
});

test('10^6 calls fired without awaiting resolve in order with the right numbers', async () => {
  const m = new Machine({ minNumber: 1, maxNumber: 2_000_000, autoShutdownTimeout: 60_000 });
  const count = 1_000_000;
  const calls = new Array(count);
  for (let i = 0; i < count; i++) calls[i] = m.queueNewNumber();
  let expected = 1;
  for (const call of calls) assert.equal(await call, expected++);
  const { queue } = await m.reportState();
  assert.equal(queue.length, count);
  assert.equal(queue[count - 1], count);
  assert.equal(pendingTimers() >= 1, true, 'the idle timer is armed');
  await m.stop();
  report.push(`load: ${count} pipelined calls resolved in order`);
});
