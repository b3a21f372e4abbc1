// A facility's departments while the page runs (www/js/model/facility.js), in simulated windows
// of one browser driving the real package: a newer version of the settings is applied without a
// reload, and what each department shows or holds goes on as the rules say. And which versions
// a page applies (settings-follow.js).
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { Machine } from '../../pkg/node.js';
import { SharedMachine } from '../../js/shared/client.js';
import { Facility } from '../../www/js/model/facility.js';
import { Department } from '../../www/js/model/department.js';
import { kioskRecord } from '../../www/js/model/ticket-record.js';
import { World } from '../support/windows.mjs';
import { until } from '../support/wait.mjs';
import { followSettings, configureDepartments } from '../../www/js/model/settings-follow.js';
import { IN_USE_KEY } from '../../www/js/model/settings-in-use.js';
import { validate } from '../../www/js/model/config.js';

/** A ticket's place in the queue (its `taken` time is checked on its own). */
const place = ({ number, ahead }) => ({ number, ahead });
const shipped = JSON.parse(await readFile(new URL('../../www/config.json', import.meta.url), 'utf8'));

const department = (id, minNumber, maxNumber, more = {}) => ({
  id, name: id, names: { en: id }, minNumber, maxNumber, autoShutdownTimeout: Infinity, colour: '#0b6e4f', counters: [], ...more,
});
const settings = (...departments) => ({ timeZone: 'UTC', departments });

const opened = [];
afterEach(() => {
  for (const facility of opened.splice(0)) facility.close();
});

/** A window's Facility on `world`: each department a SharedMachine, as departments.js starts them. */
function windowOf(world, config) {
  const { deps } = world.window();
  const record = kioskRecord({ timeZone: 'UTC' });
  const started = [];
  const machines = new Map();
  const facility = new Facility({
    config,
    start: (dept) => {
      started.push(dept.id);
      const machine = new SharedMachine({ name: dept.id, ...range(dept), record }, { Machine, ...deps });
      machines.set(dept.id, machine);
      return new Department({ config: dept, machine });
    },
  });
  facility.started = started;
  facility.machines = machines;
  opened.push(facility);
  return facility;
}

const range = ({ minNumber, maxNumber, autoShutdownTimeout }) => ({ minNumber, maxNumber, autoShutdownTimeout });
const ids = (facility) => facility.departments.map((dept) => dept.config.id);
const byId = (facility, id) => facility.departments.find((dept) => dept.config.id === id);
const ready = (facility) => Promise.all(facility.departments.map((dept) => dept.ready));

test('a newer version is applied in place: kept departments keep their queue, a new one starts, a removed one is closed, in the new order', async () => {
  const world = new World();
  const first = settings(department('reception', 1, 99), department('pharmacy', 100, 199), department('lab', 200, 299));
  const kiosk = windowOf(world, first);
  await ready(kiosk);
  const reception = byId(kiosk, 'reception');
  const lab = byId(kiosk, 'lab');
  assert.deepEqual(place(await reception.take()), { number: 1, ahead: 0 });
  assert.deepEqual(place(await reception.take()), { number: 2, ahead: 1 });

  const heard = [];
  kiosk.subscribe((facility) => heard.push(ids(facility)));
  const builds = [];
  let undone = 0;
  kiosk.follow((departments) => {
    builds.push(departments.map((dept) => dept.config.id));
    return () => { undone += 1; };
  });
  const next = settings(department('x-ray', 300, 399), department('reception', 1, 99, { names: { en: 'Front desk' } }), department('pharmacy', 100, 199));
  kiosk.apply(next);

  assert.deepEqual(ids(kiosk), ['x-ray', 'reception', 'pharmacy'], 'the new order');
  assert.deepEqual(heard, [['x-ray', 'reception', 'pharmacy']], 'listeners told once');
  assert.deepEqual(builds, [['reception', 'pharmacy', 'lab'], ['x-ray', 'reception', 'pharmacy']]);
  assert.equal(undone, 1, 'the first build undone before the second');
  assert.equal(kiosk.config, next);
  assert.equal(byId(kiosk, 'reception'), reception, 'a kept department is the same object');
  assert.equal(reception.config.names.en, 'Front desk', 'and shows the new name');
  assert.deepEqual(reception.view().queue, [1, 2], 'its waiting tickets are still there');
  assert.deepEqual(kiosk.started, ['reception', 'pharmacy', 'lab', 'x-ray'], 'only the new department started');
  await assert.rejects(lab.take(), { code: 'closed' }, 'the removed department\'s machine is closed');

  await ready(kiosk);
  assert.deepEqual(place(await byId(kiosk, 'x-ray').take()), { number: 300, ahead: 0 }, 'the new department takes tickets in its range');
  assert.deepEqual(place(await reception.take()), { number: 3, ahead: 2 });
});

test('a range changed by a manager in one window: the other windows apply the settings without starting anything again', async () => {
  const world = new World();
  const before = settings(department('pharmacy', 100, 199));
  const manager = windowOf(world, before);
  const kiosk = windowOf(world, before);
  const stale = windowOf(world, before); // a window that never hears of the new version
  await Promise.all([manager, kiosk, stale].map(ready));
  const after = settings(department('pharmacy', 500, 599));
  // The manager's window runs the new settings and configures the record (settings-follow.js).
  manager.apply(after);
  assert.deepEqual(await byId(manager, 'pharmacy').configure(range(after.departments[0])), { applied: true, waiting: 0 });
  // Until the record settles the change (a reset, a switch-off), the old range is still
  // admitted: a window a moment behind is not refused, and the record's range decides.
  const pharmacy = byId(kiosk, 'pharmacy');
  assert.equal((await pharmacy.take()).number, 500);
  kiosk.apply(after);
  assert.equal(byId(kiosk, 'pharmacy'), pharmacy, 'the same department, its machine kept');
  assert.deepEqual(kiosk.started, ['pharmacy']);
  await byId(manager, 'pharmacy').reset();
  assert.equal((await pharmacy.take()).number, 500, 'the applied window declares the new range');
  await assert.rejects(byId(stale, 'pharmacy').take(), { code: 'configuration_mismatch' }, 'after the reset, the old range is refused');
});

test('a daily opening a manager saves reaches the department\'s record; a window that has not heard of it is served all the same', async () => {
  const world = new World();
  const before = settings(department('pharmacy', 100, 199));
  const manager = windowOf(world, before);
  const stale = windowOf(world, before);
  await Promise.all([manager, stale].map(ready));
  const opening = { time: '07:30', timeZone: 'Europe/Madrid', waiting: 'keep' };
  const after = settings(department('pharmacy', 100, 199, { opening }));
  manager.apply(after);
  await configureDepartments(manager.departments, after);
  const state = () => stale.machines.get('pharmacy').state;
  await until(() => state().opening !== null, 'the record to have the opening');
  assert.deepEqual(state().opening, opening);
  assert.ok(state().nextOpening > Date.now() && state().nextOpening <= Date.now() + 25 * 3600_000, 'the next one within a day');
  assert.equal((await byId(stale, 'pharmacy').take()).number, 100, 'an opening is the record\'s: no window is refused for it');
});

test('followSettings: each newer usable version is remembered and applied once, in order; one that does not pass the checks is reported and skipped', async () => {
  const served = validate(shipped);
  const raw = (facility) => ({ ...structuredClone(shipped), facility });
  const listeners = new Set();
  const record = {
    latest: { version: 1, config: raw('First') },
    ready: Promise.resolve(),
    subscribe(listener) { listeners.add(listener); return () => listeners.delete(listener); },
  };
  const offer = (entry) => { for (const listener of listeners) listener(entry); };
  const storage = new Map();
  const applied = [];
  const problems = [];
  followSettings({
    record, served, version: 0, storage: { setItem: (key, value) => storage.set(key, value) },
    apply: (config, entry) => applied.push([entry.version, config.facilityNames.en]),
    onProblem: (problem) => problems.push(problem.path.join('.')),
  });
  await record.ready;
  assert.deepEqual(applied, [[1, 'First']], 'the newest version at start');
  offer(record.latest);
  offer({ version: 2, config: { ...raw('Broken'), ticketSeconds: -1 } });
  offer({ version: 3, config: raw('Third') });
  offer({ version: 2, config: raw('Late') });
  assert.deepEqual(applied, [[1, 'First'], [3, 'Third']]);
  assert.deepEqual(problems, ['ticketSeconds']);
  assert.equal(JSON.parse(storage.get(IN_USE_KEY)).version, 3, 'the version to start with next time');
});

test('a view that throws while following does not keep the others from following; the caller hears of it', () => {
  const made = [];
  const facility = new Facility({
    config: settings(department('reception', 1, 99)),
    start: (dept) => { made.push(dept.id); return { config: dept, reconfigure(config) { this.config = config; }, close() {} }; },
  });
  const seen = [];
  facility.subscribe(() => { throw new Error('a broken view'); });
  facility.follow((departments) => { seen.push(departments.map((dept) => dept.config.id)); });
  assert.throws(() => facility.apply(settings(department('reception', 1, 99), department('x-ray', 300, 399))), /a broken view/);
  assert.deepEqual(seen, [['reception'], ['reception', 'x-ray']]);
  assert.deepEqual(made, ['reception', 'x-ray']);
});

test('watch: told now, after each change of the list, and after each change of a department in it, not of one removed', () => {
  const listenersOf = new Map();
  const facility = new Facility({
    config: settings(department('reception', 1, 99)),
    start: (dept) => {
      const listeners = new Set();
      listenersOf.set(dept.id, listeners);
      return {
        config: dept, reconfigure(config) { this.config = config; }, close() {},
        subscribe(listener) { listeners.add(listener); return () => listeners.delete(listener); },
      };
    },
  });
  const change = (id) => { for (const listener of listenersOf.get(id)) listener(); };
  let told = 0;
  facility.watch(() => { told += 1; });
  assert.equal(told, 1, 'at once');
  change('reception');
  assert.equal(told, 2);
  facility.apply(settings(department('x-ray', 300, 399)));
  assert.equal(told, 3, 'the list changed');
  change('reception');
  assert.equal(told, 3, 'a removed department is no longer heard');
  change('x-ray');
  assert.equal(told, 4);
});
