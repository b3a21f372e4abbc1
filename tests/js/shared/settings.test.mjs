// The facility's saved configuration in one browser (js/shared/settings.js): windows are
// LocalSettings on one IndexedDB (fake-indexeddb, one IDBFactory per browser) with Node's own
// BroadcastChannel between them. Each test has a record name of its own, so that no window of
// one test hears another's.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { IDBFactory } from 'fake-indexeddb';
import { LocalSettings, databaseName } from '../../../js/shared/settings.js';
import { until } from '../../support/wait.mjs';

/** A facility's configuration as the Settings view saves it; `n` tells versions apart. */
const config = (n) => ({ facility: `Riverside ${n}`, departments: [{ id: 'pharmacy', minNumber: 100, maxNumber: 199 }] });

let names = 0;
const open = [];
afterEach(() => {
  for (const settings of open.splice(0)) settings.close();
});

/** A browser: `window()` opens one more window on its record (the same IndexedDB, the same name). */
function browser({ indexedDB = new IDBFactory(), BroadcastChannel = globalThis.BroadcastChannel } = {}) {
  const name = `test-${process.pid}-${++names}`;
  return {
    indexedDB,
    name,
    async window(options = {}) {
      const settings = new LocalSettings({ name, indexedDB, BroadcastChannel, ...options });
      open.push(settings);
      await settings.ready;
      return settings;
    },
  };
}

test('a window saves versions 1 and 2, each with its clock and device, and no hub address', async () => {
  const window = await browser().window({ now: () => 1_700_000_000_000 });
  assert.equal(window.latest, null, 'nothing saved yet');
  const first = await window.save(config(1), { base: 0, device: 'front desk' });
  assert.deepEqual(first, { ok: true, entry: { version: 1, config: config(1), savedAt: 1_700_000_000_000, by: { device: 'front desk', account: null } } });
  const second = await window.save({ ...config(2), hub: { url: 'ws://127.0.0.1:9222' } }, { base: 1 });
  assert.equal(second.entry.version, 2);
  assert.deepEqual(second.entry.config, config(2), 'the hub address is each device\'s own: not saved');
  assert.deepEqual(second.entry.by, { device: null, account: null });
  assert.deepEqual(window.latest, second.entry);
  assert.deepEqual(await window.version(1), first.entry);
});

test('a save on a version that was replaced, or never saved, is told what changed and writes nothing', async () => {
  const window = await browser().window();
  await window.save(config(1), { base: 0 });
  const { entry: two } = await window.save(config(2), { base: 1 });
  assert.deepEqual(await window.save(config(99), { base: 1 }), { ok: false, code: 'changed', latest: two, message: 'the configuration was changed meanwhile: nothing was saved' });
  assert.deepEqual((await window.save(config(99), { base: 0 })).latest, two);
  assert.equal((await window.save(config(99), { base: 7 })).code, 'changed', 'a base never saved leaves no gap');
  assert.deepEqual((await window.history()).map(({ version }) => version), [2, 1]);
});

test('of two windows saving on the same version at once, one saves and the other is told the winner', async () => {
  const shared = browser();
  const [a, b] = [await shared.window(), await shared.window()];
  for (let base = 0; base < 10; base++) {
    const outcomes = await Promise.all([
      a.save(config(`a${base}`), { base, device: 'office' }),
      b.save(config(`b${base}`), { base, device: 'front desk' }),
    ]);
    const won = outcomes.filter((outcome) => outcome.ok);
    const lost = outcomes.filter((outcome) => !outcome.ok);
    assert.equal(won.length, 1, `on version ${base}: exactly one save is stored`);
    assert.equal(lost[0].code, 'changed');
    assert.deepEqual(lost[0].latest, won[0].entry, 'the loser sees the winner\'s version');
    assert.equal(won[0].entry.version, base + 1);
    assert.deepEqual(await a.version(base + 1), won[0].entry, 'and the winner\'s is what is stored');
  }
});

test('every other window hears each new version within a second, read from IndexedDB', async () => {
  const shared = browser();
  const [saver, board] = [await shared.window(), await shared.window()];
  const heard = [];
  board.subscribe((entry) => heard.push({ entry, at: Date.now() }));
  const saved = [];
  for (let n = 1; n <= 3; n++) saved.push((await saver.save(config(n), { base: n - 1 })).entry);
  const savedAt = Date.now();
  await until(() => heard.length === 3, 'the board to hear three versions', 2000);
  assert.deepEqual(heard.map(({ entry }) => entry), saved, 'each version, in order');
  assert.ok(heard.at(-1).at - savedAt < 1000);
  assert.deepEqual(board.latest, saved[2]);

  // A message on the channel is only a nudge: what it says is never taken for a version.
  const forger = new BroadcastChannel(databaseName(shared.name));
  forger.postMessage({ version: 99, config: { facility: 'forged' } });
  forger.close();
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(heard.length, 3);
  assert.deepEqual(board.latest, saved[2]);
});

test('a window opened later knows the newest version; history lists all, newest first; any restores', async () => {
  const shared = browser();
  let clock = 1_000;
  const first = await shared.window({ now: () => clock });
  for (let n = 1; n <= 3; n++) {
    clock += 60_000;
    await first.save(config(n), { base: n - 1, device: `counter ${n}` });
  }
  const later = await shared.window();
  assert.deepEqual(later.latest, first.latest);
  assert.deepEqual(await later.history(), [3, 2, 1].map((n) => ({ version: n, savedAt: 1_000 + n * 60_000, by: { device: `counter ${n}`, account: null } })));
  const restored = await later.save((await later.version(1)).config, { base: later.latest.version, device: 'office' });
  assert.equal(restored.entry.version, 4);
  assert.deepEqual(restored.entry.config, config(1));
  assert.equal(await later.version(5), null);
  assert.equal(await later.version(0), null);
});

test('records no store wrote are skipped on reading, and stepped over by the next save', async () => {
  const shared = browser();
  const window = await shared.window();
  await window.save(config(1), { base: 0 });
  const database = await new Promise((resolve) => { shared.indexedDB.open(databaseName(shared.name), 1).onsuccess = (event) => resolve(event.target.result); });
  const junk = database.transaction('versions', 'readwrite').objectStore('versions');
  junk.add({ version: 2, savedAt: 'yesterday', body: { v: 1, config: config(2), by: { device: null, account: null } } });
  junk.add({ version: 3, savedAt: 1, body: { v: 2, config: config(3), by: {} } });
  await new Promise((resolve) => { junk.transaction.oncomplete = resolve; });
  database.close();
  const later = await shared.window();
  assert.equal(later.latest.version, 1);
  assert.equal(await later.version(2), null);
  assert.deepEqual((await later.history()).map(({ version }) => version), [1]);
  const saved = await later.save(config(4), { base: 1 });
  assert.equal(saved.entry.version, 4);
  await until(() => window.latest.version === 4, 'the first window to hear version 4');
});

for (const [refusal, indexedDB] of [
  ['there is no IndexedDB', null],
  ['opening throws (storage disabled)', { open() { throw new DOMException('refused', 'SecurityError'); } }],
  ['opening fails (private mode)', {
    open() {
      const request = {};
      setTimeout(() => { request.error = new DOMException('refused', 'InvalidStateError'); request.onerror?.(); });
      return request;
    },
  }],
]) {
  test(`where ${refusal}, a window is ready with nothing and its saves say unavailable`, async () => {
    const window = await browser({ indexedDB }).window();
    assert.equal(window.latest, null);
    const outcome = await window.save(config(1), { base: 0, device: 'office' });
    assert.equal(outcome.ok, false);
    assert.equal(outcome.code, 'unavailable');
    assert.match(outcome.message, /^this browser does not keep the configuration/);
    await assert.rejects(window.history(), { name: 'MachineError', code: 'unavailable' });
    await assert.rejects(window.version(1), { code: 'unavailable' });
  });
}

test('without BroadcastChannel a window still saves and reads, and hears its own saves', async () => {
  const window = await browser({ BroadcastChannel: undefined }).window();
  const heard = [];
  window.subscribe((entry) => heard.push(entry.version));
  await window.save(config(1), { base: 0 });
  assert.deepEqual(heard, [1]);
});

test('a closed window saves and reads nothing; arguments of the wrong kind are refused', async () => {
  const window = await browser().window();
  await assert.rejects(window.save([config(1)], { base: 0 }), { name: 'MachineError', code: 'invalid_argument' });
  await assert.rejects(window.save(config(1), { base: 1.5 }), { code: 'invalid_argument' });
  await assert.rejects(window.save(config(1), { base: 0, device: 42 }), { code: 'invalid_argument' });
  await assert.rejects(window.save({ at: new Date() }, { base: 0 }), { code: 'invalid_argument' });
  assert.equal((await window.history()).length, 0, 'nothing was saved');
  window.close();
  assert.equal((await window.save(config(1), { base: 0 })).code, 'closed');
  await assert.rejects(window.history(), { code: 'closed' });
  assert.throws(() => new LocalSettings({ name: 'no spaces please' }), TypeError);
});
