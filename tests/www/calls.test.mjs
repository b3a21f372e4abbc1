// Calls to counters without a browser: which calls and recalls are new to a window, the board's
// rows, the words read out, and calling, call again and no-show at counters through the real
// package in simulated windows (www/js/model/calls.js, call-out.js, department.js).
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { validate } from '../../www/js/model/config.js';
import { OUTCOME } from '../../www/js/model/ticket-record.js';
import { CallWatcher, boardCounters, lastCalls } from '../../www/js/model/calls.js';
import { CallOut, callWords } from '../../www/js/model/call-out.js';
import { PageLanguage } from '../../www/js/language/page-language.js';
import { World } from '../support/windows.mjs';
import { bloodTests, closeDepartments, department } from '../support/departments.mjs';
import { english, shipped } from '../support/www-files.mjs';

const call = (number, counter, at) => ({ number, counter, at });
const recordWith = (calls, recall = null, counters = {}) => ({ nowServing: calls.at(-1)?.number ?? null, counters, calls, recall, day: {} });

test('a window reports each call and recall once, and none it found on opening', () => {
  const watcher = new CallWatcher();
  const opened = recordWith([call(1, '1', 10), call(2, '2', 20)], call(1, '1', 15));
  assert.deepEqual(watcher.observe(opened), { calls: [], recall: null }, 'the past is not news');
  assert.deepEqual(watcher.observe(opened), { calls: [], recall: null });
  // Two calls arrive in one change (a batch), then a recall.
  const later = recordWith([call(1, '1', 10), call(2, '2', 20), call(3, '1', 30), call(4, '3', 30)], call(1, '1', 15));
  assert.deepEqual(watcher.observe(later).calls, [call(3, '1', 30), call(4, '3', 30)]);
  assert.deepEqual(watcher.observe(later).calls, []);
  const recalled = { ...later, recall: call(4, '3', 40) };
  assert.deepEqual(watcher.observe(recalled), { calls: [], recall: call(4, '3', 40) });
  assert.deepEqual(watcher.observe(recalled).recall, null);
  // The same number recalled again later is a new recall.
  assert.deepEqual(watcher.observe({ ...later, recall: call(4, '3', 50) }).recall, call(4, '3', 50));
  // History full: the oldest calls leave, the new one is still the only news.
  const full = recordWith([call(4, '3', 30), call(5, '2', 60), call(6, '1', 61), call(7, '2', 62), call(8, '3', 63)], call(4, '3', 50));
  assert.deepEqual(watcher.observe(full).calls.map((c) => c.number), [5, 6, 7, 8]);
});

test('the board lists open counters in the configured order, the newest call marked', () => {
  const record = recordWith([call(201, '3', 1), call(202, '1', 2), call(203, '2', 3)], null,
    { 2: { number: 203, at: 3 }, 3: { number: 201, at: 1 }, 1: { number: 202, at: 2 }, old: { number: 199, at: 0 } });
  assert.deepEqual(boardCounters(record, ['1', '2', '3']), [
    { counter: '1', number: 202, newest: false },
    { counter: '2', number: 203, newest: true },
    { counter: '3', number: 201, newest: false },
    { counter: 'old', number: 199, newest: false },
  ]);
  assert.deepEqual(lastCalls(record).map((c) => [c.number, c.newest]), [[203, true], [202, false], [201, false]]);
  assert.deepEqual(boardCounters(recordWith([]), ['1']), []);
});

// --- Departments with counters, through the real package ---------------------------------------

afterEach(closeDepartments);

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** A window's CallOut following `dept`, and what it told so far: [number, counter, again]. */
function listen(dept) {
  const calls = new CallOut();
  const told = [];
  calls.subscribe(({ dept: from, call, again }) => told.push([from.config.id, call.number, call.counter, again]));
  dept.subscribe(() => calls.observe(dept));
  return told;
}

test('a window tells each new call and recall once, and none made before it opened', async () => {
  const world = new World();
  const config = bloodTests();
  const desk = department(world, config);
  await desk.ready;
  for (let i = 0; i < 3; i++) await desk.take();
  await desk.serve(undefined, '1');
  await settle();

  const board = department(world, config);
  const told = listen(board);
  await board.ready;
  await settle();
  assert.deepEqual(told, [], 'the calls before the board opened are the past');
  await desk.serve(undefined, '2');
  await desk.recall('2');
  await desk.serve(undefined, '1');
  await settle();
  const { id } = config;
  assert.deepEqual(told, [[id, config.minNumber + 1, '2', false], [id, config.minNumber + 1, '2', true], [id, config.minNumber + 2, '1', false]]);
});

test('a call is read out with its counter, a recall as a call again, in the window\'s language', () => {
  const i18n = new PageLanguage({ messages: new Map([['en', english]]), defaultLanguage: 'en', offered: ['en'] });
  const words = (call, again) => callWords(i18n, call, { again, department: 'Blood tests' });
  const params = { number: 204, counter: '2', department: 'Blood tests' };
  assert.deepEqual(words({ number: 204, counter: '2' }, false), { live: i18n.t('live.call-counter', params), speech: i18n.t('speech.call-counter', params) });
  assert.equal(words({ number: 204, counter: '2' }, true).live, i18n.t('live.recall-counter', params));
  assert.equal(words({ number: 7, counter: null }, true).live, i18n.t('live.recall', { number: 7, counter: null, department: 'Blood tests' }));
  assert.equal(words({ number: 7, counter: null }, true).speech, i18n.t('speech.call', { number: 7, counter: null, department: 'Blood tests' }));
});

test('two windows call numbers to two counters; call again and no-show act on their own counter', async () => {
  const world = new World();
  const desk1 = department(world, bloodTests());
  const desk2 = department(world, bloodTests());
  const board = department(world, bloodTests());
  await Promise.all([desk1.ready, desk2.ready, board.ready]);
  for (let i = 0; i < 5; i++) await board.take();
  assert.deepEqual(await desk1.serve(undefined, '1'), { number: 200 });
  assert.deepEqual(await desk2.serve(undefined, '2'), { number: 201 });
  assert.deepEqual(await desk1.serve(undefined, '1'), { number: 202 });
  await settle();
  assert.deepEqual(board.record().counters, { 1: { number: 202, at: board.record().counters[1].at }, 2: { number: 201, at: board.record().counters[2].at } });
  assert.deepEqual(board.record().calls.map((c) => [c.number, c.counter]), [[200, '1'], [201, '2'], [202, '1']]);
  assert.equal(board.current('2'), 201);

  assert.deepEqual(await desk2.recall('2'), { number: 201 });
  await settle();
  assert.deepEqual([board.record().recall.number, board.record().recall.counter], [201, '2']);
  assert.deepEqual(await desk2.noShow('2'), { number: 201 });
  await settle();
  assert.equal(board.current('2'), null, 'the counter is free');
  assert.equal(board.current('1'), 202, 'the other counter is untouched');
  assert.deepEqual(board.view().queue, [203, 204], 'a no-show never returns to the queue');
  const outcomes = Object.fromEntries(board.record().day.tickets.map((t) => [t[0], t[OUTCOME]]));
  assert.deepEqual(outcomes, { 200: 'served', 201: 'no-show', 202: 'served', 203: 'waiting', 204: 'waiting' });
  assert.equal(board.record().day.noShows, 1);
  assert.deepEqual(await desk2.recall('2'), { nobody: true }, 'nothing to call again at a free counter');
  assert.deepEqual(await desk2.noShow('2'), { nobody: true });
  assert.equal(board.record().day.noShows, 1);

  await assert.rejects(desk1.serve(undefined, '4'), { code: 'unknown_counter' });
  await assert.rejects(desk1.serve(), { code: 'unknown_counter', message: /calls numbers to counters: choose one/ });
  await assert.rejects(desk1.recall('9'), { code: 'unknown_counter' });
  assert.deepEqual(board.view().queue, [203, 204], 'a refused call changes nothing');
});

test('a department without counters recalls and marks no-shows on the number being served', async () => {
  const config = validate(shipped).departments[1];
  const d = department(new World(), config);
  await d.ready;
  await d.take();
  await d.take();
  assert.deepEqual(await d.serve(), { number: 100 });
  assert.deepEqual(await d.recall(), { number: 100 });
  assert.deepEqual(await d.noShow(), { number: 100 });
  assert.equal(d.current(), null);
  assert.deepEqual(await d.recall(), { nobody: true });
  await assert.rejects(d.serve(undefined, '1'), { code: 'unknown_counter' });
});
