// The kiosk's logic without a browser: config validation, saved-state checks, and a department
// driving the real package (pkg/node.js) with an in-memory Storage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { Machine } from '../../pkg/node.js';
import { validate, ConfigError, textColourOn } from '../../www/js/config.js';
import { load, save, keyOf } from '../../www/js/storage.js';
import { Department } from '../../www/js/department.js';

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

test('a department restores its queue, and a bad save starts clean with a notice', async () => {
  const store = new MemoryStorage();
  const first = new Department({ config: dept(), Machine, store });
  first.start();
  assert.deepEqual(await first.take(), { number: 100, ahead: 0 });
  assert.deepEqual(await first.take(), { number: 101, ahead: 1 });
  assert.deepEqual(await first.serve(), { number: 100 });
  await first.close();

  const second = new Department({ config: dept(), Machine, store });
  second.start();
  assert.deepEqual(second.view(), { queue: [101], nowServing: 100, asleep: false });
  assert.deepEqual(await second.take(), { number: 102, ahead: 1 });
  await second.close();

  store.setItem(keyOf('pharmacy'), JSON.stringify({ minNumber: 100, maxNumber: 199, queue: [150, 150], nowServing: null }));
  const notices = [];
  const third = new Department({ config: dept(), Machine, store, onNotice: (n) => notices.push(n) });
  third.start();
  assert.deepEqual(third.view(), { queue: [], nowServing: null, asleep: false });
  assert.equal(notices.length, 1);
  assert.match(notices[0], /could not be restored \(invalid_configuration\)/);
  await third.close();
});

test('a department reports full ranges, empty queues and missing priority numbers as outcomes', async () => {
  const d = new Department({ config: dept({ minNumber: 1, maxNumber: 2 }), Machine, store: new MemoryStorage() });
  d.start();
  assert.deepEqual(await d.serve(), { empty: true });
  await d.take();
  await d.take();
  assert.deepEqual(await d.take(), { full: true });
  assert.deepEqual(await d.serve(7), { notFound: true });
  assert.deepEqual(await d.serve(2), { number: 2 });
  await d.reset();
  assert.deepEqual(d.view(), { queue: [], nowServing: null, asleep: false });
  await d.close();
});

test('an idle department switches off, forgets its save, and wakes fresh', async () => {
  const store = new MemoryStorage();
  let changed = 0;
  const d = new Department({ config: dept({ autoShutdownTimeout: 30 }), Machine, store, onChange: () => { changed++; } });
  d.start();
  await d.take();
  assert.notEqual(store.getItem(keyOf('pharmacy')), null);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(d.view().asleep, true);
  assert.equal(store.getItem(keyOf('pharmacy')), null);
  assert.ok(changed > 0);
  assert.deepEqual(await d.take(), { number: 100, ahead: 0 });
  assert.equal(d.view().asleep, false);
  await d.close();
});
