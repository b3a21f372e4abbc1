// The staff side of the queue rules: the record kept from the counters' operations (call, call
// again, finish, no-show, park and recall, transfers out and in), and a department's staff actions
// through the real package in simulated windows.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  kioskRecord, NUMBER, TAKEN, CALLED, COUNTER, OUTCOME, GROUP, PARKED, PARKED_AT, FROM, TO, SOLE_COUNTER, field,
} from '../../www/js/model/ticket-record.js';
import { Machine } from '../../pkg/node.js';
import { SharedMachine } from '../../js/shared/client.js';
import { Department } from '../../www/js/model/department.js';
import { World } from '../support/windows.mjs';
import { bloodTests, closeDepartments, department } from '../support/departments.mjs';
import { until } from '../support/wait.mjs';
import { figures, ticketsCsv } from '../../www/js/model/day-figures.js';
import { counterActions } from '../../www/js/model/counter-actions.js';
import { summaryOf } from '../../www/js/model/follow-summary.js';
import { readSummary } from '../../www/js/follow/summary.js';
import { ticketStatus, isEnding } from '../../www/js/follow/ticket-status.js';

afterEach(closeDepartments);

const MIN = 60_000;
const DAY = Date.UTC(2026, 10, 24);
const at = (hours, minutes = 0) => DAY + (hours * 60 + minutes) * MIN;

const hooks = kioskRecord({ timeZone: 'UTC' });

/** The record after `events`, from `from` (a fresh record when left out), each step checked. */
function play(events, from = hooks.initial()) {
  let record = from;
  for (const event of events) {
    record = hooks.apply(record, event);
    assert.ok(hooks.check(record), `a record the check accepts after ${JSON.stringify(event)}`);
  }
  return record;
}

const take = (number, time, group = null) => ({ type: 'take', number, group, at: time });
/** A counter's operation as operations.js's perform records it. */
const op = (type, number, counter, time, more = {}) => ({
  type, number, group: 'standard', taken: at(9, number), counter, calls: 1, finished: null, data: null, at: time, ...more,
});
const call = (number, counter, time, more) => op('call', number, counter, time, { pick: 'next', ...more });
const byNumber = (record) => Object.fromEntries(record.day.tickets.map((t) => [t[NUMBER], t[OUTCOME]]));

test('a call puts the ticket at its counter and on the board; the next call at that counter leaves it served', () => {
  const record = play([take(1, at(9, 1), 'standard'), take(2, at(9, 2), 'priority'), take(3, at(9, 3)),
    call(2, 'A', at(9, 10), { group: 'priority' }), call(1, 'B', at(9, 11)), call(3, 'A', at(9, 12), { finished: 2 })]);
  assert.deepEqual(record.counters, { A: { number: 3, at: at(9, 12) }, B: { number: 1, at: at(9, 11) } });
  assert.equal(record.nowServing, 3);
  assert.deepEqual(record.calls.map((c) => [c.number, c.counter]), [[2, 'A'], [1, 'B'], [3, 'A']]);
  assert.deepEqual(byNumber(record), { 1: 'served', 2: 'served', 3: 'served' });
  const two = record.day.tickets.find((t) => t[NUMBER] === 2);
  assert.deepEqual([two[TAKEN], two[CALLED], two[COUNTER], two[GROUP]], [at(9, 2), at(9, 10), 'A', 'priority']);
  assert.equal(record.day.tickets.find((t) => t[NUMBER] === 3)[GROUP], null, 'a ticket taken without a group keeps none');
  const unknown = play([call(7, 'A', at(9, 10), { group: 'priority', taken: at(8) })]);
  assert.deepEqual(unknown.day.tickets, [[7, at(8), at(9, 10), 'A', 'served', 'priority', 0, null, null, null]],
    'a ticket the record did not know is added, with its group and taken time');
});

test('the one counter of a department without counters shows as no counter', () => {
  const record = play([take(1, at(9)), call(1, SOLE_COUNTER, at(9, 5)), op('recall', 1, SOLE_COUNTER, at(9, 6), { calls: 2 })]);
  assert.deepEqual(record.counters, {});
  assert.equal(record.nowServing, 1);
  assert.deepEqual(record.calls, [{ number: 1, counter: null, at: at(9, 5) }]);
  assert.deepEqual(record.recall, { number: 1, counter: null, at: at(9, 6) });
  const done = play([take(1, at(9)), call(1, SOLE_COUNTER, at(9, 5)), op('finish', 1, SOLE_COUNTER, at(9, 8))]);
  assert.equal(done.nowServing, null, 'nobody is being served after finish');
  assert.equal(done.day.tickets[0][OUTCOME], 'served');
});

test('call again flashes the number, finish frees the counter, a no-show ends the ticket as missed', () => {
  const base = [take(1, at(9)), take(2, at(9, 1)), call(1, 'A', at(9, 2)), call(2, 'B', at(9, 3))];
  const record = play([...base, op('recall', 1, 'A', at(9, 4), { calls: 2 }), op('no-show', 1, 'A', at(9, 5), { calls: 2 }),
    op('finish', 2, 'B', at(9, 6))]);
  assert.deepEqual(record.recall, { number: 1, counter: 'A', at: at(9, 4) });
  assert.deepEqual(record.counters, {});
  assert.deepEqual(byNumber(record), { 1: 'no-show', 2: 'served' });
  assert.equal(record.day.noShows, 1);
});

test('a parked ticket leaves its counter, comes back to it, and its parked time adds up', () => {
  const record = play([take(1, at(9)), take(2, at(9, 1)), call(1, 'A', at(9, 2)), op('park', 1, 'A', at(9, 4)),
    call(2, 'A', at(9, 5))]);
  const one = () => record.day.tickets.find((t) => t[NUMBER] === 1);
  assert.deepEqual([one()[OUTCOME], one()[PARKED_AT], one()[PARKED]], ['parked', at(9, 4), 0]);
  assert.deepEqual(record.counters, { A: { number: 2, at: at(9, 5) } });
  const back = play([op('unpark', 1, 'A', at(9, 14), { finished: 2 }), op('park', 1, 'A', at(9, 20)),
    op('unpark', 1, 'A', at(9, 23))], record);
  const t = back.day.tickets.find((x) => x[NUMBER] === 1);
  assert.deepEqual([t[OUTCOME], t[COUNTER], t[PARKED], t[PARKED_AT], t[CALLED]], ['served', 'A', 13 * MIN, null, at(9, 2)],
    'parked 10 then 3 minutes; the wait still ends at the first call');
  assert.deepEqual(back.counters, { A: { number: 1, at: at(9, 23) } });
  assert.deepEqual(back.calls.map((c) => c.number), [1, 2, 1, 1], 'a recalled parked ticket is called on the board');
  assert.equal(byNumber(back)[2], 'served');
});

test('a transfer ends the ticket here as transferred, from the queue, a counter or parked; an arriving one waits with its first taken time', () => {
  const record = play([take(1, at(9)), take(2, at(9, 1)), take(3, at(9, 2)), call(1, 'A', at(9, 3)), call(2, 'B', at(9, 4)),
    op('park', 2, 'B', at(9, 5)),
    op('transfer', 3, undefined, at(9, 6), { to: 'pharmacy' }),
    op('transfer', 1, undefined, at(9, 7), { to: 'xray' }),
    op('transfer', 2, undefined, at(9, 9), { to: 'pharmacy' }),
    { type: 'arrive', number: 40, group: 'priority', taken: at(8, 30), from: 'reception', key: 'k1', at: at(9, 10) }]);
  assert.deepEqual(byNumber(record), { 1: 'transferred', 2: 'transferred', 3: 'transferred', 40: 'waiting' });
  const [one, two, three, forty] = record.day.tickets;
  assert.deepEqual([one[TO], two[TO], three[TO]], ['xray', 'pharmacy', 'pharmacy']);
  assert.equal(two[PARKED], 4 * MIN, 'parked until it was transferred');
  assert.deepEqual(record.counters, {}, 'the counter of a transferred ticket is free');
  assert.deepEqual([forty[TAKEN], forty[FROM], forty[GROUP], forty[CALLED]], [at(8, 30), 'reception', 'priority', null]);
  assert.equal(record.day.longestQueue, 3);
  const refused = play([{ type: 'returned', number: 3, group: 'standard', taken: at(9, 2), from: 'pharmacy', key: 'k3', at: at(9, 11) }], record);
  assert.deepEqual(refused.day.tickets[2].slice(0, 5), [3, at(9, 2), null, null, 'waiting'], 'a transfer the target refused is back in the queue');
  assert.equal(refused.day.tickets[2][TO], null);
  const served = play([take(1, at(9)), call(1, 'A', at(9, 1)), call(1, 'A', at(9, 2), { number: 1 }),
    op('transfer', 1, undefined, at(9, 3), { to: 'x' })]);
  assert.equal(served.day.tickets.at(-1)[OUTCOME], 'transferred');
});

test('parked tickets come along at midnight and end with a reset or a shutdown, their time counted', () => {
  const record = play([take(1, at(9)), call(1, 'A', at(9, 1)), op('park', 1, 'A', at(23, 50)), take(2, DAY + 24 * 60 * MIN + MIN)]);
  assert.deepEqual(record.day.tickets.map((t) => [t[NUMBER], t[OUTCOME]]), [[1, 'parked'], [2, 'waiting']]);
  const reset = play([{ type: 'reset', at: at(24, 20) }], record);
  assert.deepEqual(reset.day.tickets.map((t) => [t[OUTCOME], t[PARKED]]), [['reset', 30 * MIN], ['reset', 0]]);
});

test('a record saved before the queue rules is still read, and its tickets take the new events', () => {
  const old = {
    nowServing: 2, counters: { A: { number: 2, at: at(9, 3) } }, calls: [{ number: 2, counter: 'A', at: at(9, 3) }], recall: null,
    day: { start: DAY, tickets: [[1, at(9), null, null, 'waiting'], [2, at(9, 1), at(9, 3), 'A', 'served']], resets: 0, noShows: 0, longestQueue: 2 },
  };
  assert.ok(hooks.check(old));
  assert.equal(field(old.day.tickets[0], GROUP), null);
  assert.equal(field(old.day.tickets[0], PARKED), 0);
  const record = play([call(1, 'A', at(9, 4), { finished: 2 }), op('park', 1, 'A', at(9, 5))], old);
  assert.deepEqual(record.day.tickets.map((t) => [t.length, t[OUTCOME]]), [[10, 'parked'], [5, 'served']]);
  for (const bad of [[1, 2, 3, 4, 5, 6], [1, at(9), null, null, 'waiting', null, 0, null, null, null, null], [1, at(9), null, null, 'waiting', 7, 0, null, null, null], [1, at(9), null, null, 'waiting', null, -1, null, null, null],
    [1, at(9), null, null, 'lost', null, 0, null, null, null]]) {
    assert.equal(hooks.check({ ...old, day: { ...old.day, tickets: [bad] } }), false, JSON.stringify(bad));
  }
});

// --- A department's staff actions through the real package -------------------------------------

const RULES = { groups: ['priority', 'standard'], order: 'strict', callsBeforeNoShow: 2 };

/**
 * A department of the shipped counters' config with RULES in its record, which its machine
 * declares itself here (whatever the config's groups say), so these tests pin the rules they use.
 */
function withRules(world, config = { ...bloodTests(), callsBeforeNoShow: 2, groups: [{ id: 'priority', names: { en: 'Priority' } }, { id: 'standard', names: { en: 'Standard' } }] }) {
  const machine = new SharedMachine({
    name: config.id, minNumber: config.minNumber, maxNumber: config.maxNumber, autoShutdownTimeout: config.autoShutdownTimeout,
    record: kioskRecord({ timeZone: 'UTC' }), ...RULES,
  }, { Machine, ...world.window().deps });
  const declare = machine.useConfiguration.bind(machine);
  machine.useConfiguration = (range) => declare({ ...range, ...RULES });
  const d = new Department({ config, machine });
  opened.push(d);
  machines.set(d, machine);
  return d;
}
/** The shipped department without the queue rules config.json gives it (groups, calls before a no-show). */
const withoutRules = (config) => ({ ...config, groups: [], order: 'strict', placement: 'back', callsBeforeNoShow: 1 });

const opened = [];
const machines = new WeakMap();
afterEach(() => { for (const d of opened.splice(0)) d.close(); });

test('staff call the next, a group\'s front or a number; the next group is shown', async () => {
  const world = new World();
  const desk = withRules(world);
  const kiosk = withRules(world);
  await Promise.all([desk.ready, kiosk.ready]);
  assert.equal(desk.nextGroup(), null, 'nobody waits');
  for (const group of ['standard', 'standard', 'priority', 'standard']) await kioskTake(kiosk, group);
  await until(() => desk.view().queue.length === 4, 'the desk to see four waiting');
  assert.equal(desk.nextGroup(), 'priority', 'strict order: the priority group first');
  assert.deepEqual(await desk.call('1'), { number: 202, group: 'priority', calls: 1, finished: null });
  assert.deepEqual(await desk.call('1', { group: 'standard' }), { number: 200, group: 'standard', calls: 1, finished: 202 });
  assert.deepEqual(await desk.serve(203, '2'), { number: 203 });
  assert.deepEqual(await desk.call('2', { number: 999 }), { notFound: true });
  assert.deepEqual(await desk.call('2', { group: 'priority' }), { empty: true });
  assert.deepEqual(await desk.call('2', { group: 'vip' }), { unknownGroup: true });
  assert.deepEqual(await desk.call('2'), { number: 201, group: 'standard', calls: 1, finished: 203 });
  assert.deepEqual(await desk.serve(undefined, '1'), { empty: true });
  await assert.rejects(desk.call('9'), { code: 'unknown_counter' });
});

/** A customer's ticket in `group`, through the machine (Department.take(group) is the kiosk helper's). */
async function kioskTake(d, group) {
  return machines.get(d).takeNumber({ group });
}

test('a no-show is refused until the ticket was called the times the department asks; then it ends', async () => {
  const world = new World();
  const desk = withRules(world);
  await desk.ready;
  await kioskTake(desk, 'standard');
  await desk.call('1');
  assert.deepEqual(await desk.noShow('1'), { tooFewCalls: { calls: 1, needed: 2 } });
  assert.equal(desk.current('1'), 200, 'the ticket stays at the counter');
  assert.deepEqual(await desk.recall('1'), { number: 200 });
  assert.equal(desk.seat('1').calls, 2);
  assert.equal(desk.record().recall.number, 200);
  assert.deepEqual(await desk.noShow('1'), { number: 200 });
  assert.equal(desk.current('1'), null);
  assert.deepEqual(await desk.noShow('1'), { nobody: true });
  assert.deepEqual(await desk.recall('1'), { nobody: true });
  assert.deepEqual(await desk.finish('1'), { nobody: true });
  assert.equal(desk.record().day.noShows, 1);
});

test('park at one window, see it parked in another, recall it to the same counter; finish frees it', async () => {
  const world = new World();
  const desk1 = withRules(world);
  const desk2 = withRules(world);
  await Promise.all([desk1.ready, desk2.ready]);
  for (let i = 0; i < 3; i++) await kioskTake(desk1, 'standard');
  await desk1.call('1');
  assert.deepEqual(await desk1.park('1'), { number: 200 });
  await until(() => desk2.parked().length === 1, 'the other window to see the parked ticket');
  assert.deepEqual(desk2.parked(), [{ number: 200, group: 'standard', counter: '1', calls: 1 }]);
  assert.deepEqual(await desk1.park('1'), { nobody: true });
  await desk1.call('1');
  assert.deepEqual(await desk2.recallParked(200), { number: 200, counter: '1', calls: 1, finished: 201 });
  assert.deepEqual(await desk2.recallParked(200), { notParked: true });
  await until(() => desk1.current('1') === 200, 'the parked ticket back at counter 1');
  assert.deepEqual(desk1.parked(), []);
  assert.deepEqual(await desk1.finish('1'), { number: 200 });
  assert.equal(desk1.current('1'), null);
  const tickets = Object.fromEntries(desk1.record().day.tickets.map((t) => [t[NUMBER], t[OUTCOME]]));
  assert.deepEqual(tickets, { 200: 'served', 201: 'served', 202: 'waiting' });
});

test('a transfer sends a waiting ticket or the counter\'s own; a department refuses itself as the target', async () => {
  const world = new World();
  const desk = withRules(world);
  await desk.ready;
  for (let i = 0; i < 2; i++) await kioskTake(desk, 'standard');
  assert.deepEqual(await desk.transfer(201, 'pharmacy'), { number: 201, to: 'pharmacy' });
  assert.deepEqual(await desk.transfer(null, 'pharmacy', '1'), { nobody: true });
  await desk.call('1');
  assert.deepEqual(await desk.transfer(null, 'pharmacy', '1'), { number: 200, to: 'pharmacy' });
  assert.equal(desk.current('1'), null);
  assert.deepEqual(await desk.transfer(200, 'pharmacy'), { notFound: true });
  await assert.rejects(desk.transfer(200, desk.config.id), { code: 'invalid_argument', message: /choose another department/ });
  assert.deepEqual(desk.view().queue, []);
  assert.deepEqual(desk.record().day.tickets.map((t) => [t[NUMBER], t[OUTCOME], t[TO]]), [[200, 'transferred', 'pharmacy'], [201, 'transferred', 'pharmacy']]);
});

test('a department without counters calls to its one counter and shows no counter', async () => {
  const world = new World();
  const config = { ...withoutRules(bloodTests()), counters: [] };
  const d = department(world, config);
  await d.ready;
  await d.take();
  await d.take();
  assert.deepEqual(await d.call(), { number: 200, group: 'default', calls: 1, finished: null });
  assert.equal(d.current(), 200);
  assert.deepEqual(d.record().calls.map((c) => c.counter), [null]);
  assert.deepEqual(await d.park(), { number: 200 });
  assert.deepEqual(d.parked(), [{ number: 200, group: 'default', counter: null, calls: 1 }]);
  assert.deepEqual(await d.recallParked(200), { number: 200, counter: null, calls: 1, finished: null });
  assert.deepEqual(await d.finish(), { number: 200 });
  assert.equal(d.record().nowServing, null);
  await assert.rejects(d.call('1'), { code: 'unknown_counter' });
});

// --- What a phone following a ticket sees of them ---------------------------------------------

test('the phone\'s summary follows calls made by call: at the counter, then served, missed or transferred', () => {
  const state = (events, queue) => ({ seq: events.length, at: events.at(-1).at, asleep: false, queue, record: play(events), lastActivity: 0, notices: [] });
  const events = [take(1, at(9, 1)), take(2, at(9, 2)), take(3, at(9, 3)), call(1, 'A', at(9, 5))];
  const atCounter = summaryOf(state(events, [2, 3]), 'lab');
  assert.deepEqual(atCounter.counters, { A: 1 });
  assert.deepEqual(ticketStatus(atCounter, { number: 1, taken: at(9, 1) }, at(9, 6)), { status: 'called', counter: 'A', nowServing: 1 });
  assert.equal('transferred' in atCounter, false, 'no transfers: the summary keeps its earlier shape');
  const later = [...events, op('finish', 1, 'A', at(9, 7)), call(2, 'A', at(9, 8)), op('no-show', 2, 'A', at(9, 9)),
    op('transfer', 3, undefined, at(9, 10), { to: 'pharmacy' })];
  const summary = summaryOf(state(later, []), 'lab');
  assert.ok(readSummary(JSON.parse(JSON.stringify(summary)), 'lab').summary, 'a summary the phone reads');
  assert.deepEqual(summary.transferred, [[3, at(9, 3), 'pharmacy']]);
  const status = (number) => ticketStatus(summary, { number, taken: at(9, number) }, at(9, 11)).status;
  assert.deepEqual([status(1), status(2), status(3)], ['served', 'missed', 'transferred']);
  assert.equal(isEnding('transferred'), true);
  assert.match(readSummary({ ...summary, transferred: [[3, at(9, 3)]] }, 'lab').problem, /"transferred" must list/);
});

// --- The day's figures and the CSV ------------------------------------------------------------

test('the day\'s figures per group, transfers in and out, and time parked; the CSV names them', () => {
  const record = play([
    take(1, at(9), 'standard'), take(2, at(9, 1), 'priority'), take(3, at(9, 2), 'standard'), take(4, at(9, 3), 'priority'),
    call(2, 'A', at(9, 5), { group: 'priority' }), call(1, 'B', at(9, 12)), op('park', 1, 'B', at(9, 13)),
    call(4, 'A', at(9, 15), { group: 'priority', finished: 2 }), op('no-show', 4, 'A', at(9, 16)),
    op('unpark', 1, 'B', at(9, 25)), op('finish', 1, 'B', at(9, 30)),
    op('transfer', 3, undefined, at(9, 31), { to: 'pharmacy' }),
    { type: 'arrive', number: 50, group: null, taken: at(8, 50), from: 'reception', key: 'k', at: at(9, 32) },
    call(50, 'A', at(9, 40)),
  ]);
  const f = figures([record.day]);
  assert.equal(f.issued, 4, 'a ticket transferred in was not issued here');
  assert.deepEqual([f.transfersIn, f.transfersOut, f.parkedTime, f.parkedNow], [1, 1, 12 * MIN, 0]);
  assert.deepEqual(f.perHour.slice(8, 10), [0, 4]);
  assert.deepEqual([...f.groups.keys()], ['standard', 'priority', null]);
  assert.deepEqual(f.groups.get('priority'), { issued: 2, served: 1, noShows: 1, waiting: 0, averageWait: ((4 + 12) * MIN) / 2 });
  assert.deepEqual(f.groups.get('standard'), { issued: 2, served: 1, noShows: 0, waiting: 0, averageWait: 12 * MIN });
  assert.deepEqual(f.groups.get(null), { issued: 0, served: 1, noShows: 0, waiting: 0, averageWait: 50 * MIN },
    'the wait of a ticket transferred in runs from when it was first taken');
  assert.equal(f.averageWait, ((4 + 12 + 12 + 50) * MIN) / 4);
  const csv = ticketsCsv([{ name: 'Lab', day: record.day }], 'UTC').split('\r\n');
  assert.equal(csv[0], 'number,department,taken,called,counter,outcome,group,parked,from,to');
  assert.deepEqual(csv.slice(1, -1), [
    '50,Lab,2026-11-24 08:50:00,2026-11-24 09:40:00,A,served,,0,reception,',
    '1,Lab,2026-11-24 09:00:00,2026-11-24 09:12:00,B,served,standard,720,,',
    '2,Lab,2026-11-24 09:01:00,2026-11-24 09:05:00,A,served,priority,0,,',
    '3,Lab,2026-11-24 09:02:00,,,transferred,standard,0,,pharmacy',
    '4,Lab,2026-11-24 09:03:00,2026-11-24 09:15:00,A,no-show,priority,0,,',
  ]);
  const parkedNow = figures([play([take(1, at(9)), call(1, 'A', at(9, 1)), op('park', 1, 'A', at(9, 2))]).day]);
  assert.deepEqual([parkedNow.parkedNow, parkedNow.parkedTime], [1, 0]);
});

test('what a counter may do: no-show only after the calls the department asks for, the next group where it has groups', async () => {
  const world = new World();
  const desk = withRules(world);
  await desk.ready;
  assert.deepEqual(counterActions(desk, undefined), { call: false, atCounter: false, noShow: false, calls: null, nextGroup: null },
    'no counter chosen: nothing but choosing one');
  assert.deepEqual(counterActions(desk, '1'), { call: true, atCounter: false, noShow: false, calls: null, nextGroup: null });
  await kioskTake(desk, 'standard');
  await kioskTake(desk, 'priority');
  assert.equal(counterActions(desk, '1').nextGroup, 'priority');
  await desk.call('1');
  assert.deepEqual(counterActions(desk, '1'), { call: true, atCounter: true, noShow: false, calls: { calls: 1, needed: 2 }, nextGroup: 'standard' });
  await desk.recall('1');
  assert.deepEqual(counterActions(desk, '1'), { call: true, atCounter: true, noShow: true, calls: { calls: 2, needed: 2 }, nextGroup: 'standard' });
  assert.equal(counterActions(desk, '2').atCounter, false, 'another counter has nobody');
  // A department without groups and one call before a no-show: neither line.
  const plain = department(world, { ...withoutRules(bloodTests()), id: 'plain', counters: [] });
  await plain.ready;
  await plain.take();
  await plain.take();
  await plain.call();
  assert.deepEqual(counterActions(plain, null), { call: true, atCounter: true, noShow: true, calls: null, nextGroup: null });
});
