// The kiosk's day-long features without a browser: counters in the configuration and on the
// device, calls to counters, recall and no-show through the real package, which calls are new
// to a window, the board's rows, the chart's numbers, the customer screen's way back to the
// start, and the languages (the files themselves included).
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { Machine } from '../../pkg/node.js';
import { SharedMachine } from '../../js/shared/client.js';
import { validate, ConfigError } from '../../www/js/model/config.js';
import { Department } from '../../www/js/model/department.js';
import { kioskRecord, dayAsOf, OUTCOME } from '../../www/js/model/ticket-record.js';
import { DeviceSettings } from '../../www/js/model/device-settings.js';
import { CustomerFlow } from '../../www/js/model/customer-flow.js';
import { CallWatcher, boardCounters, lastCalls } from '../../www/js/model/calls.js';
import { CallOut, callWords } from '../../www/js/model/call-out.js';
import { hourlyChart, niceStep, busiestHour, MIN_HOURS } from '../../www/js/model/chart.js';
import { PageLanguage, loadLanguages } from '../../www/js/language/page-language.js';
import { checkMessages, loadMessages, I18nError } from '../../www/js/language/messages.js';
import { World } from '../support/windows.mjs';

const www = new URL('../../www/', import.meta.url);
const shipped = JSON.parse(await readFile(new URL('config.json', www), 'utf8'));
const english = JSON.parse(await readFile(new URL('i18n/en.json', www), 'utf8'));
const spanish = JSON.parse(await readFile(new URL('i18n/es.json', www), 'utf8'));
const MIN = 60_000;

class MemoryStorage {
  items = new Map();
  getItem(key) { return this.items.has(key) ? this.items.get(key) : null; }
  setItem(key, value) { this.items.set(key, String(value)); }
  removeItem(key) { this.items.delete(key); }
}

const withDepartment = (change) => {
  const config = structuredClone(shipped);
  change(config.departments[0], config);
  return config;
};

// --- Configuration ------------------------------------------------------------------------

test('counters, languages and ticketSeconds are read from the config, with defaults', () => {
  const config = validate(shipped);
  assert.deepEqual(config.departments.map((d) => d.counters), [[], [], ['1', '2', '3']]);
  assert.equal(config.language, 'en');
  assert.deepEqual(config.languages, ['en', 'es']);
  assert.equal(config.ticketMs, 20_000);
  assert.deepEqual(config.departments[2].names, { en: 'Blood tests', es: 'Análisis de sangre' });
  assert.equal(config.departments[2].name, 'Blood tests', 'the default language\'s name, for CSV and notices');

  const bare = validate({ departments: [{ id: 'a', name: 'A', minNumber: 1, maxNumber: 9 }] });
  assert.deepEqual([bare.language, bare.languages, bare.ticketMs, bare.departments[0].counters], ['en', ['en'], 20_000, []]);
  assert.deepEqual(bare.departments[0].names, { en: 'A' });
  assert.deepEqual(bare.facilityNames, { en: 'Take a number' });

  const spanishFirst = validate({ ...structuredClone(shipped), language: 'es', ticketSeconds: 45 });
  assert.equal(spanishFirst.departments[0].name, 'Recepción');
  assert.equal(spanishFirst.ticketMs, 45_000);
});

test('bad counters and language settings are refused with a message that says what to fix', () => {
  const cases = [
    [(d) => { d.counters = '1, 2'; }, /department 1: "counters" must be a list of counter names such as \["1", "2", "3"\]/],
    [(d) => { d.counters = [1, 2]; }, /department 1: "counters" must hold texts, such as "1" \(with quotes\), not 1/],
    [(d) => { d.counters = ['1', '']; }, /the counter "" must be 1 to 12 letters/],
    [(d) => { d.counters = ['Counter number one']; }, /the counter "Counter number one" must be 1 to 12/],
    [(d) => { d.counters = ['A', 'B', 'A']; }, /the counter "A" is listed twice/],
    [(d, c) => { c.language = 'Spanish'; }, /"language" must be a language code/],
    [(d, c) => { c.languages = 'en,es'; }, /"languages" must list language codes/],
    [(d, c) => { c.languages = ['en', 'es', 'en']; }, /lists a language twice/],
    [(d, c) => { c.languages = ['es']; }, /must include the default language "en"/],
    [(d, c) => { c.ticketSeconds = 0; }, /"ticketSeconds" must be a whole number of seconds from 5 to 600/],
    [(d, c) => { c.ticketSeconds = '20'; }, /"ticketSeconds"/],
    [(d) => { d.name = { es: 'Recepción' }; }, /department 1: "name" has no text in the default language "en"/],
    [(d) => { d.name = { en: 'Reception', Spanish: 'Recepción' }; }, /"Spanish" must be a language code with a text/],
    [(d) => { d.name = ['Reception']; }, /"name" must be a text, or texts by language/],
    [(d, c) => { c.facility = { es: 'Centro' }; }, /"facility" has no text in the default language/],
  ];
  for (const [change, message] of cases) {
    assert.throws(() => validate(withDepartment(change)), (error) => error instanceof ConfigError && message.test(error.message),
      String(message));
  }
  // Letters of any script and a few separators are fine: "A", "B-2", "Sala 3", "Ventanilla".
  assert.deepEqual(validate(withDepartment((d) => { d.counters = ['A', 'B-2', 'Sala 3', 'Ventanilla']; })).departments[0].counters,
    ['A', 'B-2', 'Sala 3', 'Ventanilla']);
});

// --- The device's settings ----------------------------------------------------------------

test('the counter choice is remembered by the window and the device, and only while configured', () => {
  const local = new MemoryStorage();
  const bloodTests = { id: 'blood-tests', counters: ['1', '2', '3'] };
  const first = new DeviceSettings({ local, session: new MemoryStorage() });
  assert.equal(first.counter(bloodTests), null, 'nothing chosen yet: the console asks');
  first.chooseCounter(bloodTests, '2');
  assert.equal(first.counter(bloodTests), '2');

  // A second window of the same browser starts from the device's choice, then keeps its own.
  const second = new DeviceSettings({ local, session: new MemoryStorage() });
  assert.equal(second.counter(bloodTests), '2');
  second.chooseCounter(bloodTests, '3');
  assert.equal(first.counter(bloodTests), '2', 'the first window keeps its counter (its session)');
  assert.equal(new DeviceSettings({ local, session: new MemoryStorage() }).counter(bloodTests), '3', 'the device remembers the last choice');

  // Counter 3 removed from config.json: forgotten, the console asks again.
  assert.equal(second.counter({ ...bloodTests, counters: ['1', '2'] }), null);
  assert.throws(() => second.chooseCounter(bloodTests, '4'), RangeError);
  second.chooseCounter(bloodTests, null);
  assert.equal(new DeviceSettings({ local, session: new MemoryStorage() }).counter(bloodTests), null);
});

test('sound is per view and per device, off until switched on, and storage that refuses is survived', () => {
  const local = new MemoryStorage();
  const settings = new DeviceSettings({ local });
  assert.equal(settings.sound('board'), false);
  settings.setSound('board', true);
  assert.equal(new DeviceSettings({ local }).sound('board'), true);
  assert.equal(settings.sound('staff'), false, 'the console does not speak because the board does');
  assert.equal(settings.sound('customer'), false);
  assert.throws(() => settings.setSound('customer', true), RangeError);
  const refusing = { getItem() { throw new Error('SecurityError'); }, setItem() { throw new Error('QuotaExceededError'); }, removeItem() {} };
  const blocked = new DeviceSettings({ local: refusing, session: refusing });
  blocked.setSound('board', true);
  blocked.chooseCounter({ id: 'x', counters: ['1'] }, '1');
  assert.equal(blocked.sound('board'), false);
  assert.equal(blocked.counter({ id: 'x', counters: ['1'] }), null);
});

// --- The customer screen --------------------------------------------------------------------

test('after a ticket the customer screen goes back to the start and the default language', () => {
  const flow = new CustomerFlow({ defaultLanguage: 'en', ticketMs: 20_000 });
  flow.choose('es', 0);
  assert.deepEqual([flow.language, flow.deadline], ['es', 20_000]);
  flow.ticketShown(5_000);
  assert.deepEqual([flow.screen, flow.language, flow.deadline], ['ticket', 'es', 25_000], 'the ticket is in the customer\'s language');
  assert.equal(flow.tick(24_999), false);
  assert.equal(flow.tap(24_000, { onTicket: true }), false, 'a tap on the ticket (printing it) keeps it');
  assert.equal(flow.screen, 'ticket');
  assert.equal(flow.tick(44_000), true, 'ticketMs after the last touch');
  assert.deepEqual([flow.screen, flow.language, flow.deadline], ['start', 'en', null]);

  flow.ticketShown(50_000);
  assert.equal(flow.tap(51_000), true, 'the next tap elsewhere ends it at once');
  assert.equal(flow.screen, 'start');

  // Key presses are someone reading the ticket: they push the deadline back.
  flow.ticketShown(60_000);
  flow.activity(75_000);
  assert.equal(flow.tick(80_000), false);
  assert.equal(flow.tick(95_000), true);

  // A customer who picks a language and leaves: back to the default after ticketMs.
  flow.choose('es', 100_000);
  assert.equal(flow.tap(110_000), false, 'a tap on the start screen is activity');
  assert.equal(flow.tick(125_000), false);
  assert.equal(flow.tick(130_000), true);
  assert.equal(flow.language, 'en');

  // Another language picked while a ticket is on screen: the next customer, so the ticket goes.
  flow.ticketShown(200_000);
  flow.choose('es', 201_000);
  assert.deepEqual([flow.screen, flow.language], ['start', 'es']);
  flow.choose('en', 202_000);
  assert.equal(flow.deadline, null, 'the default language needs no way back');
});

// --- Calls ------------------------------------------------------------------------------

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

// --- The chart ------------------------------------------------------------------------------

test('the chart shows the day from its first busy hour to now, stacked by department', () => {
  const hours = (entries) => Array.from({ length: 24 }, (_, h) => entries[h] ?? 0);
  const series = [
    { id: 'a', colour: '#111111', perHour: hours({ 9: 3, 10: 7, 13: 2 }) },
    { id: 'b', colour: '#222222', perHour: hours({ 10: 4, 11: 1 }) },
  ];
  const chart = hourlyChart(series, 16);
  assert.deepEqual(chart.hours, [9, 10, 11, 12, 13, 14, 15, 16]);
  assert.deepEqual(chart.bars[1], {
    hour: 10,
    total: 11,
    segments: [{ id: 'a', colour: '#111111', count: 7, from: 0, to: 7 }, { id: 'b', colour: '#222222', count: 4, from: 7, to: 11 }],
  });
  assert.deepEqual(chart.bars[3], { hour: 12, total: 0, segments: [] }, 'quiet hours are shown as such');
  assert.equal(chart.max, 15, 'the scale ends on a round mark above the busiest hour');
  assert.deepEqual(chart.ticks, [0, 5, 10, 15]);
  assert.deepEqual(busiestHour(series), { hour: 10, total: 11 });

  // One busy hour early in the day: at least MIN_HOURS bars, the hours to come first.
  const early = hourlyChart([{ id: 'a', colour: '#000000', perHour: hours({ 8: 1 }) }], 8);
  assert.equal(early.hours.length, MIN_HOURS);
  assert.deepEqual([early.hours[0], early.hours.at(-1)], [8, 15]);
  const late = hourlyChart([{ id: 'a', colour: '#000000', perHour: hours({ 21: 2 }) }], 22);
  assert.deepEqual([late.hours[0], late.hours.at(-1)], [16, 23], 'late in the day, the hours before');
  assert.equal(hourlyChart([{ id: 'a', colour: '#000000', perHour: hours({}) }], 12), null);
  assert.deepEqual([1, 5, 6, 11, 24, 99, 480].map(niceStep), [1, 1, 2, 5, 5, 20, 100]);
});

// --- Departments with counters, through the real package ---------------------------------------

const opened = new Set();
/** Closes the departments a test opened, even when it failed (an open channel keeps Node running). */
afterEach(() => {
  for (const d of opened) d.close();
  opened.clear();
});

function department(world, config) {
  const machine = new SharedMachine({
    name: config.id, minNumber: config.minNumber, maxNumber: config.maxNumber,
    autoShutdownTimeout: config.autoShutdownTimeout, record: kioskRecord({ timeZone: 'UTC' }),
  }, { Machine, ...world.window().deps });
  const d = new Department({ config, machine });
  opened.add(d);
  return d;
}

const bloodTests = () => validate(shipped).departments[2];
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

test('the estimate of a department comes from its record', async () => {
  const d = department(new World(), bloodTests());
  await d.ready;
  assert.equal(d.estimate({ ahead: 3, now: Date.now() }), null, 'no calls yet: nothing to say');
  for (let i = 0; i < 8; i++) await d.take();
  for (let i = 0; i < 5; i++) await d.serve(undefined, '1');
  // Calls made a few ms apart: a pace, so an estimate (tiny, but there).
  assert.equal(typeof d.estimate({ ahead: 2, now: Date.now() }), 'number');
});

test('after midnight the day starts at 0 even before an event rolls the record over', () => {
  const record = kioskRecord({ timeZone: 'UTC' });
  const day0 = Date.UTC(2026, 10, 24);
  let r = record.initial();
  for (const [type, number, hours] of [['take', 1, 9], ['take', 2, 9.5], ['serve', 1, 10]]) {
    r = record.apply(r, { type, number, at: day0 + hours * 3600_000, data: { counter: '1' } });
  }
  const next = dayAsOf(r.day, day0 + 25 * 3600_000, 'UTC');
  assert.equal(next.start, day0 + 24 * 3600_000);
  assert.deepEqual(next.tickets.map((t) => t[0]), [2], 'the ticket still waiting comes along');
  assert.equal(dayAsOf(r.day, day0 + 12 * 3600_000, 'UTC'), r.day, 'the same day is the day itself');
});

// --- Languages ------------------------------------------------------------------------------

test('the language files: the same keys, the same placeholders, valid plural forms, and real Spanish', () => {
  checkMessages('en', english);
  checkMessages('es', spanish);
  assert.deepEqual(Object.keys(spanish).sort(), Object.keys(english).sort());
  const placeholders = (text) => [...new Set(JSON.stringify(text).match(/\{\w+\}/g) ?? [])].sort();
  for (const key of Object.keys(english)) {
    assert.deepEqual(placeholders(spanish[key]), placeholders(english[key]), key);
    assert.equal(typeof spanish[key], typeof english[key], `${key}: a text or plural forms in both`);
  }
  const same = Object.keys(english).filter((key) => JSON.stringify(spanish[key]) === JSON.stringify(english[key]));
  assert.ok(same.length <= 3, `translated, not copied: the same in both: ${same.join(', ')}`);
  assert.equal(spanish['language.name'], 'Español');
});

test('every text the page asks for is in en.json, and no key there goes unused', async () => {
  const sources = [];
  for (const file of await readdir(new URL('js/', www), { recursive: true })) {
    if (file.endsWith('.js')) sources.push(await readFile(new URL(`js/${file}`, www), 'utf8'));
  }
  const code = sources.join('\n');
  const html = await readFile(new URL('index.html', www), 'utf8');
  const literal = new Set([...code.matchAll(/'([a-z]+(?:\.[a-z0-9-]+)+)'/g)].map((m) => m[1]).filter((k) => /^(?:[a-z]+)\./.test(k)));
  const fromHtml = [...html.matchAll(/data-i18n(?:-aria-label)?="([^"]+)"/g)].map((m) => m[1]);
  // Keys built from a prefix in code: `live.${…}`, `pin.problem.${code}`, `notice.${code}`,
  // `hub.banner.${status}`.
  const built = Object.keys(english).filter((k) => /^(live|pin\.problem|notice|hub\.banner)\./.test(k));
  const used = new Set([...literal, ...fromHtml, ...built]);
  const known = new Set(Object.keys(english));
  const files = /^[\w-]+\.(js|json|css|html)$/; // file names in code, not keys
  assert.deepEqual([...used].filter((k) => !known.has(k) && !files.test(k)), [], 'asked for but missing from en.json');
  assert.deepEqual([...known].filter((k) => !used.has(k)), [], 'in en.json but never used');
});

test('a window\'s language: texts, English behind missing ones (listed once), names, switching', () => {
  const reported = [];
  const partial = { ...spanish };
  delete partial['board.closed'];
  delete partial['ticket.next'];
  const i18n = new PageLanguage({
    messages: new Map([['en', english], ['es', partial]]),
    defaultLanguage: 'en',
    offered: ['en', 'es'],
    onMissing: (language, keys) => reported.push([language, keys]),
  });
  assert.deepEqual(reported, [['es', ['ticket.next', 'board.closed']]], 'a language\'s missing texts, once, at start');
  const heard = [];
  i18n.subscribe((code) => heard.push(code));
  assert.equal(i18n.t('waiting.people', { count: 1 }), '1 person waiting');
  assert.equal(i18n.set('es'), true);
  assert.equal(i18n.set('es'), false);
  assert.deepEqual(heard, ['es']);
  assert.equal(i18n.code, 'es');
  assert.equal(i18n.t('waiting.people', { count: 1 }), '1 persona esperando');
  assert.equal(i18n.t('waiting.people', { count: 3 }), '3 personas esperando');
  assert.equal(i18n.t('board.closed'), 'Closed', 'English behind a missing text');
  assert.equal(i18n.t('board.closed'), 'Closed');
  assert.equal(i18n.t('no.such-key'), 'no.such-key');
  i18n.t('no.such-key');
  assert.deepEqual(reported.slice(1), [['es', ['no.such-key']]], 'a key missing everywhere, once');
  assert.equal(i18n.text({ en: 'Pharmacy', es: 'Farmacia' }), 'Farmacia');
  assert.equal(i18n.text({ en: 'Pharmacy' }), 'Pharmacy', 'a name given in one language only');
  assert.equal(i18n.nameOf('en'), 'English');
  assert.equal(i18n.nameOf('es'), 'Español');
  assert.throws(() => i18n.set('fr'), RangeError);
  assert.match(i18n.minutes(4.5 * MIN), /^4,5\s?min/);
  assert.equal(i18n.minutes(null), '–');
});

test('a language file that is missing or not JSON stops the start with a message naming it', async () => {
  const files = { en: english, es: '{"language.name": "Español",' };
  const fetchFile = async (url) => {
    const code = url.pathname.split('/').pop().replace('.json', '');
    if (!(code in files)) return new Response('not found', { status: 404 });
    const body = typeof files[code] === 'string' ? files[code] : JSON.stringify(files[code]);
    return new Response(body);
  };
  const load = (code) => loadMessages(code, new URL('http://kiosk.test/i18n/'), fetchFile);
  await assert.rejects(loadLanguages(['en', 'es'], load), (error) => error instanceof I18nError && error.message === 'i18n/es.json is not valid JSON');
  await assert.rejects(loadLanguages(['en', 'fr'], load), (error) => error instanceof I18nError
    && error.message === 'i18n/fr.json could not be fetched (HTTP 404)');
  files.es = spanish;
  const loaded = await loadLanguages(['es'], load);
  assert.deepEqual([...loaded.keys()], ['en', 'es'], 'English always comes along, behind every other language');
});
