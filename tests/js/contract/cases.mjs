// The department contract: what a department does through either log, the windows of one
// browser (js/shared) or the devices of a hub (js/hub). Each case runs against both
// (browser-log.test.mjs, hub-log.test.mjs), so a behaviour written once in the engine cannot
// drift apart in its transports. A log provides `world()`: a fresh browser profile or hub, whose
// `place()` is one more window or device, and whose `open(place, options)` opens a department
// there with the test's record hooks, and whose `configure(options)` sets a new department's
// configuration in its record as the facility's manager does (nothing to do in one browser,
// whose first window's configuration starts the record).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { until, sleep, codeOf } from '../../support/wait.mjs';
import { Transfers } from '../../../js/engine/transfers.js';
import { CALL } from '../../../js/engine/department-api.js';

/** A record that logs every event, to compare what each place applied and in which order. */
export const logRecord = {
  initial: () => ({ events: [] }),
  apply: (record, event) => ({ events: [...record.events, event] }),
  check: (record) => Array.isArray(record?.events),
};

const types = (state) => state.record.events.map((event) => event.type);

let names = 0;

/** Registers every contract case for `log` (see above). */
export function departmentContract(log) {
  /** Two places of one world with department `name` open in each, both ready. */
  async function twoPlaces(options = {}) {
    const world = await log.world();
    names += 1;
    const opts = { name: `contract-${names}`, minNumber: 1, maxNumber: 999, record: logRecord, ...options };
    await world.configure(opts);
    const a = world.open(await world.place(), opts);
    const b = world.open(await world.place(), opts);
    await Promise.all([a.ready, b.ready]);
    return { world, a, b, opts };
  }

  const agree = (a, b) => until(() => a.state?.seq === b.state?.seq && a.state.record.events.length === b.state.record.events.length,
    'both places to see the same state');

  test(`${log.name}: two places take from one sequence and serve from one queue`, async () => {
    const { a, b } = await twoPlaces();
    const numbers = [];
    for (let i = 0; i < 3; i++) numbers.push(await a.queueNewNumber(), await b.queueNewNumber());
    assert.deepEqual(numbers, [1, 2, 3, 4, 5, 6]);
    assert.equal(await b.serveNextQueuedNumber(), 1);
    assert.equal(await a.serveNextQueuedNumber(5), 5);
    await agree(a, b);
    assert.deepEqual(a.state.queue, [2, 3, 4, 6]);
    assert.deepEqual(b.state.queue, a.state.queue);
    assert.deepEqual(await b.reportState(), { minNumber: 1, maxNumber: 999, queue: [2, 3, 4, 6], autoShutdownTimeout: Infinity });
  });

  test(`${log.name}: serves and notes carry their details into every place's record`, async () => {
    const { a, b } = await twoPlaces();
    await a.queueNewNumber();
    await a.queueNewNumber();
    assert.equal(await b.serveNextQueuedNumber(undefined, { counter: 'Desk 2' }), 1);
    assert.equal(await b.serveNextQueuedNumber(2, { counter: 'Desk 3' }), 2);
    assert.equal(await a.note({ noShow: 7 }), undefined);
    await agree(a, b);
    const events = a.state.record.events;
    assert.deepEqual(events.map(({ type, number, priority, data }) => ({ type, number, priority, data })), [
      { type: 'take', number: 1, priority: undefined, data: undefined },
      { type: 'take', number: 2, priority: undefined, data: undefined },
      { type: 'serve', number: 1, priority: null, data: { counter: 'Desk 2' } },
      { type: 'serve', number: 2, priority: 2, data: { counter: 'Desk 3' } },
      { type: 'note', number: undefined, priority: undefined, data: { noShow: 7 } },
    ]);
    assert.deepEqual(b.state.record, a.state.record);
    assert.ok(events.every((event) => Number.isSafeInteger(event.at) && event.at > 0), 'every event has a time');
  });

  test(`${log.name}: reset() is a call that empties the queue everywhere; resetState() is its cast`, async () => {
    const { a, b } = await twoPlaces();
    await a.queueNewNumber();
    await a.queueNewNumber();
    assert.equal(await b.reset(), undefined);
    // Read where it was called: on a hub another device may not have applied it yet.
    assert.deepEqual((await b.reportState()).queue, []);
    assert.equal(await a.queueNewNumber(), 1, 'a reset starts the numbers over');
    b.resetState();
    await until(() => a.state.queue.length === 0 && types(a.state).filter((t) => t === 'reset').length === 2, 'the cast reset to reach the other place');
    await agree(a, b);
    assert.deepEqual(types(b.state), ['take', 'take', 'reset', 'take', 'reset']);
  });

  test(`${log.name}: the rules' refusals come back as MachineErrors with their codes, and change nothing`, async () => {
    const { a, b } = await twoPlaces({ minNumber: 1, maxNumber: 2 });
    assert.equal(await codeOf(a.serveNextQueuedNumber()), 'empty_queue');
    await a.queueNewNumber();
    await b.queueNewNumber();
    assert.equal(await codeOf(b.queueNewNumber()), 'all_possible_numbers_are_in_use');
    assert.equal(await codeOf(a.serveNextQueuedNumber(9)), 'priority_number_not_found');
    for (const bad of [1.5, '1', null, NaN, {}]) {
      assert.equal(await codeOf(a.serveNextQueuedNumber(bad)), 'invalid_argument', `priority ${String(bad)}`);
    }
    await agree(a, b);
    assert.deepEqual(a.state.queue, [1, 2]);
    assert.deepEqual(types(a.state), ['take', 'take']);
  });

  test(`${log.name}: a new range applies at once where the waiting tickets fit it, else once the queue is empty; the record carries on`, async () => {
    const { a, b } = await twoPlaces({ minNumber: 1, maxNumber: 99 });
    for (let i = 0; i < 3; i++) await a.queueNewNumber();
    assert.deepEqual(await a.configure({ minNumber: 1, maxNumber: 50, autoShutdownTimeout: Infinity }), { applied: true, waiting: 3 });
    await until(() => b.state.maxNumber === 50, 'the other place to see the new range');
    assert.equal(b.state.pending, null);
    // Until the change settles (an empty queue after a reset, a switch-off), places that still
    // declare the previous configuration are served too; any other is refused and changes nothing.
    assert.equal(await b.queueNewNumber(), 4);
    b.useConfiguration({ minNumber: 1, maxNumber: 30 });
    assert.equal(await codeOf(b.queueNewNumber()), 'configuration_mismatch');
    // Tickets 1 to 4 do not fit 100..120: it waits, and the places of both configurations are served.
    assert.deepEqual(await a.configure({ minNumber: 100, maxNumber: 120 }), { applied: false, waiting: 4 });
    await until(() => b.state.pending?.minNumber === 100, 'the other place to see the pending range');
    b.useConfiguration({ minNumber: 100, maxNumber: 120 });
    assert.equal(await b.queueNewNumber(), 5, 'numbers go on in the range the waiting tickets are in');
    for (const n of [1, 2, 3, 4]) assert.equal(await b.serveNextQueuedNumber(), n);
    assert.equal((await a.reportState()).minNumber, 1, 'not while a ticket waits');
    assert.equal(await a.serveNextQueuedNumber(), 5);
    assert.equal((await a.reportState()).minNumber, 100, 'the new range once the queue is empty');
    assert.equal(await a.queueNewNumber(), 100);
    await agree(a, b);
    assert.deepEqual([b.state.minNumber, b.state.maxNumber, b.state.pending], [100, 120, null]);
    assert.deepEqual(types(b.state), ['take', 'take', 'take', 'take', 'take', 'serve', 'serve', 'serve', 'serve', 'serve', 'take'],
      'no event was lost to the changes');
    assert.deepEqual(b.state.refusals.map(({ kind, code }) => [kind, code]), [['take', 'configuration_mismatch']],
      'the refused take is listed for staff');
    for (const bad of [null, { minNumber: 5, maxNumber: 5 }, { minNumber: 1, maxNumber: 9, autoShutdownTimeout: -1 }, 'x']) {
      assert.equal(await codeOf(a.configure(bad)), 'invalid_configuration', JSON.stringify(bad));
    }
    assert.equal(a.state.minNumber, 100, 'a bad configuration changes nothing');
  });

  test(`${log.name}: options that are not a department's are refused with invalid_configuration`, async () => {
    const world = await log.world();
    const place = await world.place();
    const good = { name: 'contract-options', minNumber: 1, maxNumber: 9 };
    for (const bad of [null, 7, 'x', { ...good, name: '' }, { ...good, name: 'a b' }, { ...good, minNumber: 9 },
      { ...good, maxNumber: 2 ** 60 }, { ...good, autoShutdownTimeout: -1 }, { ...good, autoShutdownTimeout: 0.5 },
      { ...good, record: { initial() {} } }, { ...good, seed: 3 }]) {
      assert.throws(() => world.open(place, bad), (error) => error.name === 'MachineError' && error.code === 'invalid_configuration',
        `options ${JSON.stringify(bad)}`);
    }
  });

  test(`${log.name}: status is online once ready and closed after close(); calls then reject closed`, async () => {
    const { a, b } = await twoPlaces();
    assert.equal(a.status, 'online');
    a.close();
    assert.equal(a.status, 'closed');
    assert.equal(a.alive, false);
    assert.equal(await codeOf(a.queueNewNumber()), 'closed');
    assert.equal(await codeOf(a.reset()), 'closed');
    assert.equal(await b.queueNewNumber(), 1, 'the department goes on in the other place');
  });

  test(`${log.name}: subscribers hear every change until they unsubscribe`, async () => {
    const { a, b } = await twoPlaces();
    const seen = [];
    const stop = b.subscribe((state) => seen.push(state.queue.length));
    await a.queueNewNumber();
    await until(() => seen.at(-1) === 1, 'the subscriber to hear the take');
    stop();
    const heard = seen.length;
    await a.queueNewNumber();
    await until(() => b.state.queue.length === 2, 'the other place to apply the second take');
    await sleep(50);
    assert.equal(seen.length, heard, 'nothing heard after unsubscribing');
  });

  test(`${log.name}: an idle department switches itself off everywhere, and a take starts it afresh`, async () => {
    const { a, b } = await twoPlaces({ autoShutdownTimeout: 300 });
    await a.queueNewNumber();
    await a.queueNewNumber();
    await until(() => a.state.asleep && b.state.asleep, 'both places to see the department switched off', 10_000);
    assert.equal(a.alive, false);
    assert.deepEqual(a.state.queue, []);
    assert.equal(await b.queueNewNumber(), 1, 'a switched-off department starts afresh');
    await agree(a, b);
    assert.deepEqual(types(a.state), ['take', 'take', 'shutdown', 'wake', 'take']);
    const [, second, shutdown] = a.state.record.events;
    assert.ok(shutdown.at - second.at >= 300, `switched off ${shutdown.at - second.at} ms after the last activity`);
  });

  test(`${log.name}: a department nobody touches starts its day at its opening everywhere, once, clearing the tickets still waiting`, async () => {
    const { a, b } = await twoPlaces();
    // An opening two seconds ahead, to the second. On a machine so slow that the takes come after
    // it, it has passed already (with the takes after it): another one, two seconds on.
    const range = { minNumber: 1, maxNumber: 999 };
    let opening;
    let taken;
    do {
      await a.configure({ ...range, opening: { time: new Date(Date.now() + 2000).toISOString().slice(11, 19), timeZone: 'UTC' } });
      taken = [await a.queueNewNumber(), await b.queueNewNumber()];
      opening = a.state.nextOpening;
    } while (opening - Date.now() > 60_000);
    await until(() => a.state.lastOpening === opening && b.state.lastOpening === opening, 'the opening to pass with nobody touching the department');
    await agree(a, b);
    assert.deepEqual(b.state.record, a.state.record);
    const { events } = a.state.record;
    assert.deepEqual(events.filter((event) => event.at === opening), [{ type: 'reset', reason: 'opening', at: opening }], 'once, as of the opening');
    assert.deepEqual(events.at(-1), { type: 'reset', reason: 'opening', at: opening }, 'after the takes');
    assert.deepEqual([a.state.queue, b.state.queue], [[], []], `tickets ${taken} cleared`);
    assert.equal(a.state.lastActivity, events.at(-2).at, 'the tick that asked is no activity');
    assert.equal(a.state.nextOpening, opening + 24 * 3600_000, 'the next is tomorrow\'s');
    assert.equal(await b.queueNewNumber(), 1, 'the numbers start over');
  });

  test(`${log.name}: wake() switches an idle department on, and does nothing to one that is on`, async () => {
    const { a, b } = await twoPlaces({ autoShutdownTimeout: 300 });
    await a.queueNewNumber();
    assert.equal(await b.wake(), undefined);
    assert.deepEqual((await b.reportState()).queue, [1], 'waking a department that is on changes nothing');
    await until(() => a.state.asleep, 'the department to switch itself off', 10_000);
    await b.wake();
    await agree(a, b);
    assert.equal(a.state.asleep, false);
    assert.deepEqual(types(a.state), ['take', 'shutdown', 'wake']);
  });

  const RULES = { groups: ['standard', 'priority'], order: 'ratio', weights: [2, 1], callsBeforeNoShow: 2 };

  test(`${log.name}: groups in a 2:1 ratio: takes in groups at one place, calls at the other, the same lines everywhere`, async () => {
    const { a, b } = await twoPlaces(RULES);
    for (let i = 0; i < 3; i++) {
      await a.takeNumber({ group: 'standard' });
      await a.takeNumber({ group: 'priority' });
    }
    await agree(a, b);
    assert.deepEqual(b.state.desk.waiting.map(({ number, group }) => [number, group]),
      [[1, 'standard'], [2, 'priority'], [3, 'standard'], [4, 'priority'], [5, 'standard'], [6, 'priority']]);
    assert.equal(b.state.desk.nextGroup, 'standard');
    const called = [];
    for (let i = 0; i < 6; i++) called.push((await b.call('Desk 1')).group);
    assert.deepEqual(called, ['standard', 'priority', 'standard', 'standard', 'priority', 'priority']);
    assert.equal(await codeOf(b.call('Desk 1')), 'empty_queue');
    assert.equal(await codeOf(a.takeNumber({ group: 'vip' })), 'unknown_group');
    assert.equal(await codeOf(a.takeNumber({ group: 'no such/group' })), 'invalid_argument');
    await agree(a, b);
    assert.deepEqual(a.state.desk, b.state.desk);
    assert.deepEqual(a.state.record.events.filter((e) => e.type === 'call').map((e) => [e.number, e.counter, e.finished]),
      [[1, 'Desk 1', null], [2, 'Desk 1', 1], [3, 'Desk 1', 2], [5, 'Desk 1', 3], [4, 'Desk 1', 5], [6, 'Desk 1', 4]]);
  });

  test(`${log.name}: a counter keeps its ticket: recall, a no-show only after two calls, park and recall it; refusals change nothing`, async () => {
    const { a, b } = await twoPlaces(RULES);
    for (let i = 0; i < 3; i++) await a.takeNumber();
    const first = await b.call('2');
    assert.deepEqual([first.number, first.counter, first.calls], [1, '2', 1]);
    assert.equal(await codeOf(b.noShow('2')), 'too_few_calls');
    assert.equal((await a.recall('2')).calls, 2);
    assert.equal((await a.noShow('2')).number, 1);
    assert.equal(await codeOf(a.finish('2')), 'counter_idle');
    await b.call('2', { number: 3 });
    assert.equal((await b.park('2')).number, 3);
    await b.call('2');
    await agree(a, b);
    assert.deepEqual([a.state.desk.serving.map((t) => t.number), a.state.desk.parked.map((t) => [t.number, t.counter])], [[2], [[3, '2']]]);
    const back = await a.recallParked(3);
    assert.deepEqual([back.number, back.counter, back.finished], [3, '2', 2]);
    assert.equal(await codeOf(a.recallParked(3)), 'not_parked');
    assert.equal((await b.finish('2')).number, 3);
    assert.equal(await codeOf(b.call('2', { group: 'standard', number: 1 })), 'invalid_argument');
    await agree(a, b);
    assert.deepEqual(types(b.state), ['take', 'take', 'take', 'call', 'no-show', 'recall', 'no-show', 'call', 'park', 'call', 'unpark', 'finish']
      .filter((t, i) => i !== 4), 'the refused no-show is no event');
    assert.deepEqual(b.state.record, a.state.record);
    assert.deepEqual(a.state.desk, { waiting: [], serving: [], parked: [], nextGroup: null });
  });

  test(`${log.name}: tickets at counters and parked outlive the place that called them; a place that joins later sees them and goes on`, async () => {
    const { world, a, b, opts } = await twoPlaces(RULES);
    for (let i = 0; i < 4; i++) await a.takeNumber({ group: i % 2 ? 'priority' : 'standard' });
    await a.call('1');
    await a.call('2');
    await a.park('2');
    await agree(a, b);
    const desk = a.state.desk;
    a.close();
    const c = world.open(await world.place(), opts);
    await c.ready;
    await until(() => c.state?.seq === b.state.seq, 'the new place to catch up');
    assert.deepEqual(c.state.desk, desk);
    assert.deepEqual(c.state.desk.parked.map((t) => [t.number, t.counter]), [[2, '2']]);
    assert.equal((await c.recallParked(2)).counter, '2');
    assert.equal((await c.call('1')).finished, 1);
    await until(() => b.state.seq === c.state.seq, 'the places to agree');
    assert.deepEqual(b.state.desk, c.state.desk);
  });

  test(`${log.name}: a transfer carried by every place arrives exactly once, placed by its first take, and a refused one comes back`, async () => {
    const world = await log.world();
    names += 1;
    const reception = { name: `contract-${names}-reception`, minNumber: 1, maxNumber: 99, record: logRecord };
    const pharmacy = { name: `contract-${names}-pharmacy`, minNumber: 100, maxNumber: 199, placement: 'taken', record: logRecord };
    await world.configure(reception);
    await world.configure(pharmacy);
    const [p1, p2] = [await world.place(), await world.place()];
    const at1 = { reception: world.open(p1, reception), pharmacy: world.open(p1, pharmacy) };
    const at2 = { reception: world.open(p2, reception), pharmacy: world.open(p2, pharmacy) };
    await Promise.all([...Object.values(at1), ...Object.values(at2)].map((m) => m.ready));
    // Both places carry transfers: the keys make the second carrier's repeats harmless.
    const carriers = [at1, at2].map((at) => {
      const carrier = new Transfers({ retryMs: 200 });
      carrier.add(reception.name, at.reception);
      carrier.add(pharmacy.name, at.pharmacy);
      return carrier;
    });
    try {
      const early = await at1.reception.takeNumber();
      await sleep(5);
      await at2.pharmacy.takeNumber();
      await at2.pharmacy.takeNumber();
      await at1.reception.call('Desk 1');
      const moved = await at1.reception.transfer(early, pharmacy.name);
      assert.equal(moved.number, early);
      await until(() => at2.pharmacy.state.queue.includes(early) && at1.reception.state.transfers.outbox.length === 0
        && at2.reception.state.transfers.outbox.length === 0, 'the ticket to arrive and its transfer to settle everywhere', 10_000);
      assert.deepEqual(at2.pharmacy.state.queue, [early, 100, 101], 'placed by the time it was first taken');
      assert.deepEqual(at1.reception.state.desk, { waiting: [], serving: [], parked: [], nextGroup: null }, 'it left the counter');
      await sleep(600); // long enough for any repeat to have been sent and ignored
      await until(() => at1.pharmacy.state.seq === at2.pharmacy.state.seq, 'the places to agree');
      const arrivals = at1.pharmacy.state.record.events.filter((e) => e.type === 'arrive');
      assert.deepEqual(arrivals.map((e) => [e.number, e.from, e.taken]), [[early, reception.name, moved.taken]], 'arrived once');
      assert.deepEqual(at1.pharmacy.state.record, at2.pharmacy.state.record);
      // A carrier that comes late with the same transfer (say, after a restart) changes nothing.
      const late = { number: early, taken: moved.taken, group: moved.group, from: reception.name, key: arrivals[0].key };
      assert.deepEqual(await at1.pharmacy[CALL]('arrive', late), { accepted: true, repeated: true });
      assert.deepEqual(await at1.pharmacy[CALL]('settle', { key: late.key, accepted: false }), { settled: false });
      assert.deepEqual(at1.pharmacy.state.queue, [early, 100, 101]);
      // A number the target has in use is refused, and the ticket comes back where it was.
      const again = await at1.reception.takeNumber();
      assert.equal(again, early, 'reception hands the number out again once it left');
      await at1.reception.transfer(again, pharmacy.name);
      await until(() => types(at2.reception.state).at(-1) === 'returned' && at2.reception.state.transfers.outbox.length === 0,
        'the refused ticket to come back', 10_000);
      assert.deepEqual(at2.reception.state.queue, [again]);
      assert.deepEqual(at2.pharmacy.state.queue, [early, 100, 101], 'the pharmacy kept its own');
      assert.deepEqual(types(at2.reception.state).slice(-3), ['take', 'transfer', 'returned']);
    } finally {
      for (const carrier of carriers) carrier.close();
    }
  });

  test(`${log.name}: transfers racing calls in the target: no ticket lost, none twice`, async () => {
    const world = await log.world();
    names += 1;
    const from = { name: `contract-${names}-from`, minNumber: 1, maxNumber: 99, record: logRecord };
    const to = { name: `contract-${names}-to`, minNumber: 100, maxNumber: 199, record: logRecord };
    await world.configure(from);
    await world.configure(to);
    const [p1, p2] = [await world.place(), await world.place()];
    const source = world.open(p1, from);
    const here = world.open(p1, to);
    const target = world.open(p2, to);
    await Promise.all([source.ready, here.ready, target.ready]);
    const carrier = new Transfers({ retryMs: 200 });
    carrier.add(from.name, source);
    carrier.add(to.name, here);
    try {
      const sent = [];
      for (let i = 0; i < 8; i++) {
        sent.push(await source.takeNumber());
        await target.takeNumber();
      }
      const calls = [];
      // The target's counter calls as fast as it can while the tickets are sent across.
      const calling = (async () => {
        for (let i = 0; i < 12; i++) {
          calls.push(await target.call('Desk 9').then((t) => t.number, (e) => e.code));
          await sleep(3);
        }
      })();
      for (const number of sent) await source.transfer(number, to.name);
      await calling;
      await until(() => source.state.transfers.outbox.length === 0 && sent.every((n) => target.state.queue.includes(n) || calls.includes(n)),
        'every transfer to settle', 10_000);
      await until(() => here.state.seq === target.state.seq, 'the places to agree');
      const arrived = target.state.record.events.filter((e) => e.type === 'arrive').map((e) => e.number);
      assert.deepEqual([...arrived].sort((a, b) => a - b), sent, 'each arrived exactly once');
      const seen = [...target.state.queue, ...calls.filter(Number.isInteger)];
      for (const n of sent) assert.equal(seen.filter((m) => m === n).length, 1, `ticket ${n} once`);
      assert.equal(new Set(seen).size, seen.length, 'no number twice');
    } finally {
      carrier.close();
    }
  });

  test(`${log.name}: new queue rules apply at once where the tickets fit them, else once the queue is empty`, async () => {
    const { a, b } = await twoPlaces();
    await a.queueNewNumber();
    const groups = { minNumber: 1, maxNumber: 999, autoShutdownTimeout: Infinity, groups: ['default', 'priority'], order: 'ratio', weights: [1, 1] };
    assert.deepEqual(await a.configure(groups), { applied: true, waiting: 1 }, 'ticket 1 is in a group the new rules have');
    await until(() => b.state.pending === null && b.state.desk.waiting.length === 1, 'the other place to run the new rules');
    b.useConfiguration(groups);
    assert.equal(await b.takeNumber({ group: 'priority' }), 2);
    // Without the group a ticket waits in, the change waits for the queue to empty.
    const renamed = { ...groups, groups: ['walk-in', 'priority'] };
    assert.deepEqual(await a.configure(renamed), { applied: false, waiting: 2 });
    b.useConfiguration(renamed);
    assert.equal(await codeOf(a.takeNumber({ group: 'walk-in' })), 'unknown_group', 'the rules the tickets are in still run');
    assert.equal((await b.call('1')).group, 'default');
    assert.equal(await codeOf(a.takeNumber({ group: 'walk-in' })), 'unknown_group', 'not while a default ticket is at a counter');
    assert.equal((await b.call('1')).finished, 1);
    assert.equal(await a.takeNumber({ group: 'walk-in' }), 3, 'the new rules once every ticket is in a group they have');
    await until(() => b.state.seq === a.state.seq, 'the places to agree');
    assert.deepEqual(b.state.desk.waiting.map((t) => t.group), ['walk-in']);
  });
}
