// The kiosk's logic without a browser: config validation, saved-state checks, and departments
// driving the real package (pkg/node.js) through the shared machine, in simulated windows.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { Machine } from '../../pkg/node.js';
import { SharedMachine } from '../../js/shared/client.js';
import { validate, ConfigError, textColourOn } from '../../www/js/model/config.js';
import { load, save, keyOf, legacySeed } from '../../www/js/model/legacy-saves.js';
import { Department } from '../../www/js/model/department.js';
import { kioskRecord } from '../../www/js/model/ticket-record.js';
import { World } from '../support/windows.mjs';

/** A ticket's place in the queue (its `taken` time is checked on its own). */
const place = ({ number, ahead }) => ({ number, ahead });
const shipped = JSON.parse(await readFile(new URL('../../www/config.json', import.meta.url), 'utf8'));

class MemoryStorage {
  #items = new Map();
  getItem(key) { return this.#items.has(key) ? this.#items.get(key) : null; }
  setItem(key, value) { this.#items.set(key, String(value)); }
  removeItem(key) { this.#items.delete(key); }
}

const dept = (overrides = {}) => ({
  id: 'pharmacy', name: 'Pharmacy', minNumber: 100, maxNumber: 199, autoShutdownTimeout: Infinity, colour: '#0b6e4f', ...overrides,
});

test('the shipped config is valid and holds no staff PIN', () => {
  const config = validate(shipped);
  assert.ok(config.departments.length >= 2);
  assert.deepEqual(config.staff, { lockAfterMs: 90_000 });
  assert.equal('pin' in shipped.staff, false);
});

test('config mistakes are reported, not crashed on', () => {
  const broken = [
    (c) => { c.departments = []; },
    (c) => { c.departments[0].minNumber = 5; c.departments[0].maxNumber = 5; },
    (c) => { c.departments[1].id = c.departments[0].id; },
    (c) => { c.departments[0].colour = 'red'; },
    (c) => { c.departments[0].autoShutdownTimeout = -1; },
    (c) => { c.staff = []; },
    (c) => { c.staff.lockAfterSeconds = 0; },
  ];
  for (const breakIt of broken) {
    const config = structuredClone(shipped);
    breakIt(config);
    assert.throws(() => validate(config), ConfigError);
  }
  assert.equal(validate({ ...structuredClone(shipped), departments: [{ ...dept(), autoShutdownTimeout: null }] })
    .departments[0].autoShutdownTimeout, Infinity);
});

test('a config that still holds a staff PIN hash is refused, so it stops being served', () => {
  const old = { ...structuredClone(shipped), staff: { pin: { algorithm: 'PBKDF2-SHA256', salt: 'ca73', iterations: 210000, hash: 'd34e' } } };
  assert.throws(() => validate(old), (error) => error instanceof ConfigError
    && /"staff.pin" must be removed: config.json is served to anyone/.test(error.message));
  assert.deepEqual(validate({ ...structuredClone(shipped), staff: undefined }).staff, { lockAfterMs: 90_000 });
});

test('text on department colours has the better contrast', () => {
  assert.equal(textColourOn('#0b6e4f'), '#ffffff');
  assert.equal(textColourOn('#ffd166'), '#000000');
});

const withDepartment = (change) => {
  const config = structuredClone(shipped);
  change(config.departments[0], config);
  return config;
};

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

test('saved state is accepted only when it is exactly what save wrote', () => {
  const store = new MemoryStorage();
  const d = dept();
  assert.deepEqual(load(store, d), { state: null });
  save(store, d, { queue: [101, 100], nowServing: 99 });
  assert.deepEqual(load(store, d), { state: { queue: [101, 100], nowServing: 99 } });
  for (const raw of ['{', '[]', '42', JSON.stringify({ minNumber: 1, maxNumber: 199, queue: [], nowServing: null }),
    JSON.stringify({ minNumber: 100, maxNumber: 199, queue: ['101'], nowServing: null }),
    JSON.stringify({ minNumber: 100, maxNumber: 199, queue: [], nowServing: 'x' })]) {
    store.setItem(keyOf(d.id), raw);
    const { state, problem } = load(store, d);
    assert.equal(state, null, raw);
    assert.equal(typeof problem, 'string', raw);
  }
});

// Closed after each test, passed or failed: a window left open keeps its timers running, and a
// failed assertion would otherwise leave the test process waiting for ever.
const opened = [];
afterEach(() => {
  for (const d of opened.splice(0)) d.close();
});

/** A department of the page as one window of a browser (`world`) runs it: a SharedMachine. */
function department(world, overrides = {}, { store = new MemoryStorage(), onChange } = {}) {
  const config = dept(overrides);
  const machine = new SharedMachine({
    name: config.id,
    minNumber: config.minNumber,
    maxNumber: config.maxNumber,
    autoShutdownTimeout: config.autoShutdownTimeout,
    record: kioskRecord(),
    seed: () => legacySeed(store, config, kioskRecord()),
  }, { Machine, ...world.window().deps });
  const opening = new Department({ config, machine, onChange });
  opened.push(opening);
  return opening;
}

test('a department restores its queue and the number being served when every window is closed and opened again', async () => {
  const world = new World();
  const first = department(world);
  await first.ready;
  assert.deepEqual(place(await first.take()), { number: 100, ahead: 0 });
  assert.deepEqual(place(await first.take()), { number: 101, ahead: 1 });
  assert.deepEqual(await first.serve(), { number: 100 });
  first.close();

  const second = department(world);
  await second.ready;
  assert.deepEqual(second.view(), { queue: [101], nowServing: 100, asleep: false, known: true, notices: [], refusals: [], status: 'online' });
  assert.deepEqual(place(await second.take()), { number: 102, ahead: 1 });
  second.close();
});

test('a ticket names its take time from the record: the same number taken again is another ticket', async () => {
  const world = new World();
  const kiosk = department(world);
  await kiosk.ready;
  const first = await kiosk.take();
  const ticket = kiosk.record().day.tickets.at(-1);
  assert.equal(first.taken, ticket[1], 'the take time is the record\'s');
  assert.ok(Number.isSafeInteger(first.taken));
  await kiosk.reset();
  await new Promise((resolve) => setTimeout(resolve, 5)); // a later millisecond
  const again = await kiosk.take();
  assert.equal(again.number, first.number, 'the reset starts the numbers over');
  assert.ok(again.taken > first.taken, 'the second ticket of that number has its own take time');
});

test('two windows of a department show the same queue and the same number being served', async () => {
  const world = new World();
  let changes = 0;
  const kiosk = department(world);
  const board = department(world, {}, { onChange: () => { changes += 1; } });
  await Promise.all([kiosk.ready, board.ready]);
  await kiosk.take();
  await kiosk.take();
  assert.deepEqual(await board.serve(), { number: 100 });
  assert.deepEqual(place(await kiosk.take()), { number: 102, ahead: 1 });
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(board.view(), kiosk.view());
  assert.deepEqual(board.view().queue, [101, 102]);
  assert.equal(board.view().nowServing, 100);
  assert.ok(changes >= 4, 'the board window was told of every change');
  kiosk.close();
  board.close();
});

test("an earlier version's save is carried over once; a bad one starts clean with a notice", async () => {
  const store = new MemoryStorage();
  save(store, dept(), { queue: [120, 121], nowServing: 119 });
  const world = new World();
  const d = department(world, {}, { store });
  await d.ready;
  assert.deepEqual(d.view(), { queue: [120, 121], nowServing: 119, asleep: false, known: true, notices: [], refusals: [], status: 'online' });
  assert.equal(store.getItem(keyOf('pharmacy')), null, 'the old save is removed once carried over');
  d.close();

  for (const [raw, notice] of [
    [JSON.stringify({ minNumber: 100, maxNumber: 199, queue: [150, 150], nowServing: null }), /could not be restored \(invalid_configuration\)/],
    ['{', /not valid JSON/],
  ]) {
    store.setItem(keyOf('pharmacy'), raw);
    const other = department(new World(), {}, { store });
    await other.ready;
    assert.deepEqual(other.view().queue, []);
    assert.equal(other.view().notices.length, 1);
    assert.match(other.view().notices[0].text, notice);
    other.close();
  }
});

test('a department reports full ranges, empty queues and missing priority numbers as outcomes', async () => {
  const d = department(new World(), { minNumber: 1, maxNumber: 2 });
  await d.ready;
  assert.deepEqual(await d.serve(), { empty: true });
  await d.take();
  await d.take();
  assert.deepEqual(await d.take(), { full: true });
  assert.deepEqual(await d.serve(7), { notFound: true });
  assert.deepEqual(await d.serve(2), { number: 2 });
  await d.reset();
  assert.deepEqual(d.view(), { queue: [], nowServing: null, asleep: false, known: true, notices: [], refusals: [], status: 'online' });
  d.close();
});

test('an idle department switches off in every window, and wakes fresh', async () => {
  const world = new World();
  let changed = 0;
  const d = department(world, { autoShutdownTimeout: 30 }, { onChange: () => { changed++; } });
  const other = department(world, { autoShutdownTimeout: 30 });
  await Promise.all([d.ready, other.ready]);
  await d.take();
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(d.view().asleep, true);
  assert.equal(other.view().asleep, true);
  assert.deepEqual(other.view().queue, []);
  assert.ok(changed > 0);
  assert.deepEqual(place(await other.take()), { number: 100, ahead: 0 });
  assert.equal(other.view().asleep, false);
  await new Promise((resolve) => setTimeout(resolve, 5));
  d.close();
  other.close();
});
