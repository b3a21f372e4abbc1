// A department's queue rules from config.json to its engine (www/js/model/queue-rules.js): the
// configuration every window declares, accepted by the engine's own check, and a customer's take
// in a group through the real package in simulated windows.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { Machine } from '../../pkg/node.js';
import { SharedMachine } from '../../js/shared/client.js';
import { checkConfig } from '../../js/engine/options.js';
import { validate } from '../../www/js/model/config.js';
import { engineConfig, aheadInOrder, groupOf, shortLabels, ticketGroup, waitingByGroup } from '../../www/js/model/queue-rules.js';
import { Department } from '../../www/js/model/department.js';
import { kioskRecord } from '../../www/js/model/ticket-record.js';
import { World } from '../support/windows.mjs';
import { shipped } from '../support/www-files.mjs';

const [reception, pharmacy, bloodTests] = validate(shipped).departments;
const HOURS_2 = 7_200_000;

test('a department without groups declares its range and idle timeout only, as it always has', () => {
  assert.deepEqual(engineConfig(reception), { minNumber: 1, maxNumber: 99, autoShutdownTimeout: HOURS_2 });
  assert.deepEqual(checkConfig(engineConfig(reception)), engineConfig(reception));
});

test('groups in a ratio declare their ids in order with one weight each; in a strict order no weights', () => {
  assert.deepEqual(engineConfig(pharmacy), {
    minNumber: 100, maxNumber: 199, autoShutdownTimeout: HOURS_2, groups: ['standard', 'priority'], order: 'ratio', weights: [2, 1],
  });
  assert.deepEqual(engineConfig(bloodTests), {
    minNumber: 200, maxNumber: 299, autoShutdownTimeout: HOURS_2, groups: ['priority', 'standard'], order: 'strict',
    placement: 'taken', callsBeforeNoShow: 2,
  });
  // The engine reads each as the same rules (its defaults filled in).
  assert.deepEqual(checkConfig(engineConfig(pharmacy)), { ...engineConfig(pharmacy), placement: 'back', callsBeforeNoShow: 1 });
  assert.deepEqual(checkConfig(engineConfig(bloodTests)), { ...engineConfig(bloodTests), weights: null });
});

test('a weight left out counts 1; rules without groups still reach the engine', () => {
  const config = structuredClone(shipped);
  delete config.departments[1].groups[1].weight;
  config.departments[0].callsBeforeNoShow = 3;
  config.departments[0].transfers = { placement: 'taken' };
  const [first, second] = validate(config).departments;
  assert.deepEqual(engineConfig(second).weights, [2, 1]);
  assert.deepEqual(engineConfig(first), { minNumber: 1, maxNumber: 99, autoShutdownTimeout: HOURS_2, placement: 'taken', callsBeforeNoShow: 3 });
  assert.doesNotThrow(() => checkConfig(engineConfig(first)));
});

test('groupOf finds a department\'s group by id, or null', () => {
  assert.equal(groupOf(pharmacy, 'priority').icon, 'priority');
  assert.equal(groupOf(pharmacy, 'priority').names.es, 'Prioritario');
  assert.equal(groupOf(pharmacy, 'vip'), null);
  assert.equal(groupOf(reception, 'standard'), null);
});

test('ahead in a strict order: every ticket of an earlier group, and the own group\'s taken before', () => {
  const rules = engineConfig(bloodTests); // priority first
  const waiting = [[200, 'standard'], [201, 'priority'], [202, 'standard'], [203, 'priority']].map(([number, group]) => ({ number, group }));
  assert.equal(aheadInOrder(waiting, 201, rules), 0);
  assert.equal(aheadInOrder(waiting, 203, rules), 1);
  assert.equal(aheadInOrder(waiting, 200, rules), 2);
  assert.equal(aheadInOrder(waiting, 202, rules), 3);
});

test('ahead in a 2:1 ratio: the engine\'s own calls, counted until the ticket\'s', () => {
  const rules = engineConfig(pharmacy); // standard 2, priority 1
  const waiting = [[100, 's'], [101, 'p'], [102, 's'], [103, 'p'], [104, 's'], [105, 'p']]
    .map(([number, g]) => ({ number, group: g === 's' ? 'standard' : 'priority' }));
  // The engine calls these standard, priority, standard, standard, priority, priority
  // (tests/js/contract/cases.mjs): 100, 101, 102, 104, 103, 105.
  assert.deepEqual(waiting.map((t) => aheadInOrder(waiting, t.number, rules, 'standard')), [0, 1, 2, 4, 3, 5]);
  assert.equal(aheadInOrder(waiting, 101, rules, 'priority'), 0, 'the group the desk says is next goes first');
  assert.equal(aheadInOrder(waiting, 999, rules, 'standard'), 0, 'a ticket no longer waiting');
});

const opened = [];
afterEach(() => {
  for (const d of opened.splice(0)) d.close();
});

/** `config` (a validated department) run by one window of `world`, as the page runs it: { dept, machine }. */
function inWindow(world, config) {
  const machine = new SharedMachine({ name: config.id, ...engineConfig(config), record: kioskRecord() }, { Machine, ...world.window().deps });
  const dept = new Department({ config, machine });
  opened.push(dept);
  return { dept, machine };
}

test('a customer takes a number in a group: the ticket carries it in every window, and the order says who is ahead', async () => {
  const world = new World();
  const [{ dept: kiosk }, { dept: other }] = [inWindow(world, bloodTests), inWindow(world, bloodTests)];
  await Promise.all([kiosk.ready, other.ready]);
  const first = await kiosk.take('standard');
  assert.deepEqual(first, { number: 200, group: 'standard', ahead: 0, taken: kiosk.record().day.tickets[0][1] });
  assert.equal(typeof first.taken, 'number');
  const priority = await kiosk.take('priority');
  assert.deepEqual([priority.number, priority.group, priority.ahead], [201, 'priority', 0], 'priority first: nobody ahead');
  const second = await other.take('standard');
  assert.deepEqual([second.number, second.group, second.ahead], [202, 'standard', 2]);
  await assert.rejects(kiosk.take('vip'), { code: 'unknown_group' });
  assert.equal(other.record().day.tickets.length, 3, 'the refused take made no ticket');
});

test('in a ratio department each waiting ticket\'s "ahead" is where the engine calls it', async () => {
  const world = new World();
  const { dept, machine } = inWindow(world, pharmacy);
  await dept.ready;
  for (const g of 'sspspsssppsspssss') await dept.take(g === 's' ? 'standard' : 'priority');
  const { waiting, nextGroup } = machine.state.desk;
  const predicted = waiting.map((t) => [aheadInOrder(waiting, t.number, engineConfig(pharmacy), nextGroup), t.number])
    .sort(([a], [b]) => a - b).map(([, number]) => number);
  const called = [];
  for (let i = 0; i < waiting.length; i++) called.push((await machine.call('1')).number);
  assert.deepEqual(predicted, called);
});

test('a department without groups takes as before: no group, ahead by the queue', async () => {
  const world = new World();
  const { dept } = inWindow(world, reception);
  await dept.ready;
  await dept.take();
  const ticket = await dept.take();
  assert.deepEqual([ticket.number, ticket.group, ticket.ahead], [2, null, 1]);
});

test('every icon config.json may name is drawn, and no other', async () => {
  const { DRAWN } = await import('../../www/js/views/group-icons.js');
  const { GROUP_ICONS } = await import('../../www/js/model/queue-rules.js');
  assert.deepEqual([...DRAWN].sort(), [...GROUP_ICONS].sort());
});

test('short labels tell a department\'s groups apart in the language shown: a letter, two, or their place', () => {
  const text = (language) => (names) => names[language] ?? names.en;
  assert.deepEqual([...shortLabels(pharmacy.groups, text('en'))], [['standard', 'S'], ['priority', 'P']]);
  assert.deepEqual([...shortLabels(pharmacy.groups, text('es'))], [['standard', 'G'], ['priority', 'P']], 'General, Prioritario');
  const alike = [{ id: 'a', names: { en: 'Prescriptions' } }, { id: 'b', names: { en: 'Priority' } }];
  assert.deepEqual([...shortLabels(alike, text('en'))], [['a', '1'], ['b', '2']], 'the same two first letters: their places');
  const twoLetters = [{ id: 'a', names: { en: 'Pharmacy' } }, { id: 'b', names: { en: 'priority' } }];
  assert.deepEqual([...shortLabels(twoLetters, text('en'))], [['a', 'PH'], ['b', 'PR']]);
});

test('a ticket\'s group and the waiting by group come from the record\'s tickets, where it keeps them', () => {
  // Tickets as the record keeps them: [number, taken, called, counter, outcome, group].
  const record = { day: { tickets: [[100, 1, null, null, 'waiting', 'priority'], [101, 2, 3, '1', 'served', 'standard'],
    [102, 4, null, null, 'waiting', 'standard'], [103, 5, null, null, 'waiting', 'priority'], [104, 6, null, null, 'waiting']] } };
  assert.equal(ticketGroup(record, 101), 'standard');
  assert.equal(ticketGroup(record, 104), null, 'a ticket without a group');
  assert.equal(ticketGroup(record, 999), null);
  assert.deepEqual(waitingByGroup(pharmacy, record).map(({ group, count }) => [group.id, count]), [['standard', 1], ['priority', 2]]);
});
