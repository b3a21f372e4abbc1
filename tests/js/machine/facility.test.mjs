// The facility's operations of the built package (pkg/, through its Node entry), from plain
// JavaScript: groups and their order, counters' calls, no-shows after N calls, parking,
// transfers between two machines, a department saved and restored, and every argument refused
// cleanly whatever JS value it is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Machine } from '../../../pkg/node.js';

const codeOf = async (promise) => {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Error, 'rejects with an Error');
    assert.equal(error.name, 'MachineError');
    return error.code;
  }
  assert.fail('expected a rejection');
};

const department = (extra = {}) => new Machine({ minNumber: 1, maxNumber: 99, ...extra });

test('a 2:1 ratio calls two of the first group, then one of the second', async () => {
  const m = department({ groups: ['standard', 'priority'], order: 'ratio', weights: [2, 1] });
  for (let i = 0; i < 4; i++) {
    await m.takeNumber({ group: 'standard', at: 10 * i });
    await m.takeNumber({ group: 'priority', at: 10 * i + 5 });
  }
  assert.equal((await m.reportDepartment()).nextGroup, 'standard');
  const groups = [];
  for (let i = 0; i < 6; i++) groups.push((await m.call('A')).group);
  assert.deepEqual(groups, ['standard', 'priority', 'standard', 'standard', 'priority', 'standard']);
});

test('strict order serves the first group whenever it has someone', async () => {
  const m = department({ groups: ['priority', 'standard'] });
  const standard = await m.takeNumber({ group: 'standard' });
  const priority = await m.takeNumber({ group: 'priority' });
  assert.equal((await m.call('1')).number, priority);
  assert.equal((await m.call('1')).number, standard);
  // The exercise's serve follows the same order.
  await m.takeNumber({ group: 'standard' });
  const late = await m.takeNumber({ group: 'priority' });
  assert.equal(await m.serveNextQueuedNumber(), late);
});

test('a counter keeps its ticket: recall, no-show only after the configured calls, park and recall it', async () => {
  const m = department({ callsBeforeNoShow: 2 });
  await m.takeNumber({ at: 1000 });
  await m.takeNumber({ at: 2000 });
  const first = await m.call('3');
  assert.deepEqual(first, { number: 1, group: 'default', taken: 1000, counter: '3', calls: 1, finished: null });
  assert.equal(await codeOf(m.noShow('3')), 'too_few_calls');
  assert.equal((await m.recall('3')).calls, 2);
  assert.equal((await m.noShow('3')).number, 1);
  assert.equal(await codeOf(m.finish('3')), 'counter_idle');
  const second = await m.call('3');
  assert.equal((await m.park('3')).number, second.number);
  assert.equal(await m.takeNumber(), 3, 'a parked number is not handed out again');
  await m.call('3');
  const back = await m.recallParked(second.number);
  assert.deepEqual([back.counter, back.finished], ['3', 3]);
  assert.equal(await codeOf(m.recallParked(second.number)), 'not_parked');
  assert.equal((await m.finish('3')).number, second.number);
  // The exercise's own report shows only who waits.
  assert.deepEqual((await m.reportState()).queue, []);
});

test('a transfer keeps the number and, placed by taken time, goes ahead of later customers', async () => {
  const reception = new Machine({ minNumber: 1, maxNumber: 99 });
  const pharmacy = new Machine({ minNumber: 100, maxNumber: 199, placement: 'taken', groups: ['walk-in', 'priority'] });
  await reception.takeNumber({ at: 1_000 });
  await pharmacy.takeNumber({ at: 2_000 });
  await pharmacy.takeNumber({ at: 3_000 });
  await reception.call('desk');
  const moved = await reception.transferOut(1);
  assert.deepEqual(moved, { number: 1, group: 'default', taken: 1_000 });
  assert.equal(await codeOf(reception.finish('desk')), 'counter_idle', 'it left the counter');
  assert.equal(await codeOf(pharmacy.transferIn(moved, 4_000)), 'unknown_group', 'groups are by name');
  assert.equal(await pharmacy.transferIn({ number: 1, taken: moved.taken }, 4_000), undefined);
  assert.deepEqual((await pharmacy.reportState()).queue, [1, 100, 101]);
  assert.equal(await codeOf(pharmacy.transferIn({ number: 1, taken: 0 })), 'number_in_use');
  assert.equal(await codeOf(reception.transferOut(1)), 'ticket_not_found');
});

test('a department saved by reportDepartment restores whole, and a damaged one is refused', async () => {
  const options = { minNumber: 1, maxNumber: 99, groups: ['a', 'b'], order: 'ratio', weights: [3, 1], callsBeforeNoShow: 2 };
  const m = new Machine(options);
  for (let i = 0; i < 5; i++) await m.takeNumber({ group: i % 2 ? 'b' : 'a', at: i });
  await m.call('1');
  await m.call('2');
  await m.park('2');
  await m.call('2');
  const saved = await m.reportDepartment();
  const copy = new Machine({ ...options, state: structuredClone(saved) });
  assert.deepEqual(await copy.reportDepartment(), saved);
  // Both go on alike, to the end of the queue.
  const outcome = (promise) => promise.then((value) => value, (error) => error.code);
  for (let i = 0; i < 3; i++) assert.deepEqual(await outcome(copy.call('1')), await outcome(m.call('1')));
  assert.deepEqual(await copy.reportDepartment(), await m.reportDepartment());
  for (const damage of [
    (s) => { s.serving.push({ ...s.serving[0], counter: '9' }); }, // one number twice
    (s) => { s.waiting[0].group = 'c'; }, // a group it does not have
    (s) => { s.now = -1; }, // tickets from the future
    (s) => { s.credits = [1e6, 0]; }, // a credit no ratio reaches
    (s) => { delete s.parked; },
  ]) {
    const state = structuredClone(saved);
    damage(state);
    assert.throws(() => new Machine({ ...options, state }), { name: 'MachineError', code: 'invalid_configuration' });
  }
  assert.throws(() => new Machine({ ...options, queue: [1], state: saved }), { code: 'invalid_configuration' });
});

test('bad facility options are refused with invalid_configuration', () => {
  for (const bad of [
    { groups: [] },
    { groups: ['a', 'a'] },
    { groups: ['a', ''] },
    { groups: Array.from({ length: 17 }, (_, i) => `g${i}`) },
    { groups: 'a' },
    { order: 'ratio' },
    { order: 'ratio', weights: [1] , groups: ['a', 'b'] },
    { order: 'ratio', weights: [1, 0], groups: ['a', 'b'] },
    { order: 'strict', weights: [1] },
    { order: 'fair' },
    { placement: 'front' },
    { callsBeforeNoShow: 0 },
    { callsBeforeNoShow: 1.5 },
    { state: 'saved' },
  ]) {
    assert.throws(() => department(bad), { name: 'MachineError', code: 'invalid_configuration' }, Object.keys(bad).join());
  }
  const throwing = { minNumber: 1, maxNumber: 9, get groups() { throw new Error('boom'); } };
  assert.throws(() => new Machine(throwing), { name: 'MachineError', code: 'invalid_configuration' });
});

test('every new method refuses any wrong JS value with invalid_argument and changes nothing', async () => {
  const m = department({ groups: ['a', 'b'] });
  await m.takeNumber({ group: 'a' });
  await m.call('1');
  const before = await m.reportDepartment();
  const hostile = new Proxy({}, { get() { throw new Error('trap'); } });
  const values = [null, 17, -1.5, NaN, '', 'x'.repeat(101), {}, [], Symbol('s'), 10n, () => 1, hostile, true];
  for (const value of values) {
    const label = value === hostile ? 'a hostile proxy' : typeof value === 'symbol' ? 'a symbol' : String(value).slice(0, 20);
    // Counters are names: a number is not one.
    for (const method of ['recall', 'finish', 'noShow', 'park']) {
      if (typeof value === 'string' && value.length > 0 && value.length <= 100) continue;
      assert.equal(await codeOf(m[method](value)), 'invalid_argument', `${method}(${label})`);
    }
    if (!(typeof value === 'number' && Number.isSafeInteger(value))) {
      for (const method of ['recallParked', 'transferOut']) {
        assert.equal(await codeOf(m[method](value)), 'invalid_argument', `${method}(${label})`);
      }
    }
    if (value !== undefined && !(typeof value === 'object' && value !== null && !Array.isArray(value) && value !== hostile)) {
      if (typeof value !== 'function') {
        assert.equal(await codeOf(m.takeNumber(value)), 'invalid_argument', `takeNumber(${label})`);
        assert.equal(await codeOf(m.transferIn(value)), 'invalid_argument', `transferIn(${label})`);
      }
    }
  }
  assert.equal(await codeOf(m.takeNumber(hostile)), 'invalid_argument');
  assert.equal(await codeOf(m.takeNumber({ group: 7 })), 'invalid_argument');
  assert.equal(await codeOf(m.takeNumber({ at: 1.5 })), 'invalid_argument');
  assert.equal(await codeOf(m.takeNumber({ group: 'c' })), 'unknown_group');
  assert.equal(await codeOf(m.call('1', { group: 'a', number: 1 })), 'invalid_argument');
  assert.equal(await codeOf(m.call('1', { number: '1' })), 'invalid_argument');
  assert.equal(await codeOf(m.call('1', 'next')), 'invalid_argument');
  assert.equal(await codeOf(m.call(1)), 'invalid_argument');
  assert.equal(await codeOf(m.call('1', { group: 'c' })), 'unknown_group');
  assert.equal(await codeOf(m.transferIn({ number: 5 })), 'invalid_argument', 'taken is required');
  assert.equal(await codeOf(m.transferIn({ number: 5, taken: 0 }, 'now')), 'invalid_argument');
  assert.deepEqual(await m.reportDepartment(), before, 'nothing changed');
});

test('a stopped machine answers every new call with no_process', async () => {
  const m = department();
  await m.stop();
  for (const call of [() => m.takeNumber(), () => m.call('1'), () => m.recall('1'), () => m.park('1'), () => m.transferOut(1), () => m.reportDepartment()]) {
    assert.equal(await codeOf(call()), 'no_process');
  }
});
