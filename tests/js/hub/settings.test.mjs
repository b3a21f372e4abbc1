// The facility's saved configuration on the hub (js/hub/settings.js) against a real nats-server
// with the shipped accounts (hub/): managers saving versions, two at once, devices that may only
// read, a device that hears a new version or starts late, versions nobody's store wrote, and a
// hub out of reach. The tests run in order on one hub: each starts from the versions the ones
// before it saved.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Kvm } from '@nats-io/kv';
import { Machine } from '../../../pkg/node.js';
import { Hub } from '../../../js/hub/hub.js';
import { HubSettings } from '../../../js/hub/settings.js';
import { CONFIG_BUCKET } from '../../../js/hub/protocol.js';
import { startHub, connectAs } from '../../support/nats.mjs';
import { until } from '../../support/wait.mjs';

/** A facility's configuration as the Settings view saves it; `n` tells versions apart. */
const config = (n) => ({ facility: `Riverside ${n}`, departments: [{ id: 'pharmacy', minNumber: 100, maxNumber: 199 }] });

let hub;
const cleanups = [];
before(async () => {
  hub = await startHub();
});
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await hub?.close();
});

/**
 * A device signed in as `who`, with its settings store. `onRequest(subject, data)` sees every
 * request its connection makes (to count what it reads).
 */
async function device(who, { onRequest } = {}) {
  const connection = await connectAs(who, hub.servers);
  if (onRequest) {
    const request = connection.request.bind(connection);
    connection.request = (subject, data, options) => {
      onRequest(subject, data);
      return request(subject, data, options);
    };
  }
  const deviceHub = new Hub({ connection, Machine, rules: '1.0.0' });
  const settings = new HubSettings({ hub: deviceHub, account: who });
  cleanups.push(async () => {
    settings.close();
    deviceHub.close();
    await connection.close();
  });
  await settings.ready;
  return { who, hub: deviceHub, settings };
}

/** The bucket as the hub's administrator sees it (what is really stored, or to store by hand). */
async function adminBucket() {
  const connection = await connectAs('admin', hub.servers);
  cleanups.push(() => connection.close());
  return new Kvm(connection).open(CONFIG_BUCKET);
}

let manager;
test('a manager saves versions 1 and 2, each with the hub\'s time, the device and the account', async () => {
  manager = await device('manager');
  assert.equal(manager.settings.latest, null, 'nothing saved yet');
  const before = Date.now();
  const first = await manager.settings.save(config(1), { base: 0, device: 'front desk' });
  assert.equal(first.ok, true);
  assert.equal(first.entry.version, 1);
  assert.deepEqual(first.entry.config, config(1));
  assert.deepEqual(first.entry.by, { device: 'front desk', account: 'manager' });
  assert.ok(first.entry.savedAt >= before - 1000 && first.entry.savedAt <= Date.now() + 1000, 'the hub\'s timestamp');
  const second = await manager.settings.save({ ...config(2), hub: { url: 'ws://127.0.0.1:9222' } }, { base: 1, device: 'front desk' });
  assert.equal(second.entry.version, 2);
  assert.deepEqual(second.entry.config, config(2), 'the hub address is each device\'s own: not saved');
  assert.equal(manager.settings.latest.version, 2);
  assert.deepEqual(await manager.settings.version(2), second.entry, 'read back as saved');
});

test('a manager saving on a version that was replaced is told what changed, and nothing is written', async () => {
  const stale = await manager.settings.save(config(99), { base: 1, device: 'front desk' });
  assert.equal(stale.ok, false);
  assert.equal(stale.code, 'changed');
  assert.equal(stale.latest.version, 2);
  assert.deepEqual(stale.latest.config, config(2));
  const ahead = await manager.settings.save(config(99), { base: 7, device: 'front desk' });
  assert.equal(ahead.code, 'changed', 'a base that was never saved leaves no gap');
  assert.equal(await manager.settings.version(3), null);
  assert.equal(await manager.settings.version(8), null);
});

test('of two managers saving on the same version at once, one saves and the other is told the winner', async () => {
  const other = await device('manager');
  for (let round = 0; round < 5; round++) {
    const base = manager.settings.latest.version;
    await until(() => other.settings.latest?.version === base, 'the second manager to know the same version');
    const outcomes = await Promise.all([
      manager.settings.save(config(`a${round}`), { base, device: 'office' }),
      other.settings.save(config(`b${round}`), { base, device: 'front desk' }),
    ]);
    const won = outcomes.filter((outcome) => outcome.ok);
    const lost = outcomes.filter((outcome) => !outcome.ok);
    assert.equal(won.length, 1, `round ${round}: exactly one save is stored`);
    assert.equal(lost[0].code, 'changed');
    assert.deepEqual(lost[0].latest, won[0].entry, 'the loser sees the winner\'s version');
    assert.equal(won[0].entry.version, base + 1);
    await until(() => manager.settings.latest.version === base + 1, 'the first manager to know the winner');
  }
});

for (const who of ['staff', 'kiosk', 'board']) {
  test(`${who}'s save is forbidden by the hub and writes nothing`, async () => {
    const reader = await device(who);
    const latest = reader.settings.latest;
    assert.equal(latest.version, manager.settings.latest.version, 'it reads the saved configuration');
    const outcome = await reader.settings.save(config(who), { base: latest.version, device: who });
    assert.equal(outcome.ok, false);
    assert.equal(outcome.code, 'forbidden');
    assert.match(outcome.message, /Permissions Violation/);
    assert.equal(await manager.settings.version(latest.version + 1), null, 'nothing written');
  });
}

test('a device hears a version saved on another within a second', async () => {
  const kiosk = await device('kiosk');
  const heard = [];
  kiosk.settings.subscribe((entry) => heard.push({ entry, at: Date.now() }));
  const base = manager.settings.latest.version;
  const saved = await manager.settings.save(config('live'), { base, device: 'office' });
  const savedAt = Date.now();
  await until(() => heard.length > 0, 'the kiosk to hear the new version', 2000);
  assert.deepEqual(heard.map(({ entry }) => entry), [saved.entry]);
  assert.ok(heard[0].at - savedAt < 1000, `heard ${heard[0].at - savedAt} ms after the save resolved`);
  assert.deepEqual(kiosk.settings.latest, saved.entry);
});

test('history lists every version, newest first, with when, from which device and account', async () => {
  const history = await manager.settings.history();
  const newest = manager.settings.latest.version;
  assert.deepEqual(history.map(({ version }) => version), Array.from({ length: newest }, (_, i) => newest - i));
  assert.deepEqual(history[0], { version: newest, savedAt: manager.settings.latest.savedAt, by: { device: 'office', account: 'manager' } });
  assert.deepEqual(history.at(-1).by, { device: 'front desk', account: 'manager' });
  assert.ok(history.every(({ savedAt }, i) => i === 0 || savedAt <= history[i - 1].savedAt), 'newest first in time too');
  assert.equal(Object.hasOwn(history[0], 'config'), false, 'a history is not every configuration');
  const board = await device('board');
  assert.deepEqual(await board.settings.history(), history, 'a reader sees the same history');
  assert.deepEqual((await board.settings.version(1)).config, config(1), 'and restores version 1 in one step');
});

test('a device that starts late knows the newest version, having read only its value', async () => {
  const requests = [];
  const late = await device('kiosk', { onRequest: (subject, data) => requests.push({ subject, data }) });
  assert.deepEqual(late.settings.latest, manager.settings.latest);
  const gets = requests.filter(({ subject }) => subject.startsWith(`$JS.API.DIRECT.GET.KV_${CONFIG_BUCKET}`));
  assert.deepEqual(gets.map(({ subject }) => subject), [`$JS.API.DIRECT.GET.KV_${CONFIG_BUCKET}.$KV.${CONFIG_BUCKET}.version.${late.settings.latest.version}`]);
  // Every consumer it made delivers either no values (the keys) or only versions saved after it.
  const consumers = requests.filter(({ subject }) => subject.startsWith('$JS.API.CONSUMER.CREATE.'))
    .map(({ data }) => JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data)).config);
  assert.equal(consumers.length, 2);
  assert.ok(consumers.every((consumer) => consumer.headers_only === true || consumer.deliver_policy === 'new'), JSON.stringify(consumers));
});

test('versions nobody\'s store wrote are skipped by every device, and the next save steps over them', async () => {
  const admin = await adminBucket();
  const readable = manager.settings.latest;
  const kiosk = await device('kiosk');
  const heard = [];
  kiosk.settings.subscribe((entry) => heard.push(entry));
  const junk = [
    'not JSON',
    JSON.stringify({ v: 1, config: 'not an object', by: { device: null, account: null } }),
    JSON.stringify({ v: 2, config: config('future'), by: { device: null, account: null } }),
  ];
  for (const [i, value] of junk.entries()) await admin.put(`version.${readable.version + 1 + i}`, value);
  await admin.put('version.0', JSON.stringify({ v: 1, config: config('zero'), by: { device: null, account: null } }));
  await admin.put('version.x', 'other');
  const late = await device('board');
  assert.deepEqual(late.settings.latest, readable, 'a device starting now finds the newest readable version');
  assert.equal(await late.settings.version(readable.version + 1), null);
  assert.deepEqual((await late.settings.history())[0].version, readable.version);

  const saved = await manager.settings.save(config('after junk'), { base: readable.version, device: 'office' });
  assert.equal(saved.ok, true, JSON.stringify(saved));
  assert.equal(saved.entry.version, readable.version + junk.length + 1, 'the junk is never replaced');
  await until(() => kiosk.settings.latest.version === saved.entry.version, 'the kiosk to hear the save');
  assert.deepEqual(heard, [saved.entry], 'the kiosk heard none of the junk');
  assert.equal((await admin.get(`version.${readable.version + 1}`)).string(), 'not JSON');
});

test('with the hub out of reach a save is offline, and every device catches up once it is back', async () => {
  const kiosk = await device('kiosk');
  const base = manager.settings.latest.version;
  await hub.node.stop();
  await until(() => manager.hub.status === 'offline' && kiosk.hub.status === 'offline', 'the devices to notice');
  const started = Date.now();
  const outcome = await manager.settings.save(config('offline'), { base, device: 'office' });
  assert.equal(outcome.ok, false);
  assert.equal(outcome.code, 'offline');
  assert.ok(Date.now() - started < 1000, 'at once, not after a timeout');
  await assert.rejects(manager.settings.history(), { name: 'MachineError', code: 'offline' });
  const unreached = new HubSettings({ hub: kiosk.hub, account: 'kiosk' });
  cleanups.push(() => unreached.close());
  await unreached.ready;
  assert.equal(unreached.latest, null, 'ready with nothing known');

  await hub.node.start();
  await until(() => manager.hub.status === 'online' && kiosk.hub.status === 'online', 'the devices to reconnect');
  const saved = await manager.settings.save(config('back'), { base, device: 'office' });
  assert.equal(saved.ok, true, JSON.stringify(saved));
  const savedAt = Date.now();
  await until(() => kiosk.settings.latest?.version === saved.entry.version, 'the kiosk to hear it', 5000);
  assert.ok(Date.now() - savedAt < 1000, 'within a second of the save');
  await until(() => unreached.latest?.version === saved.entry.version, 'the store made while out of reach to find it', 5000);
});

test('a closed store saves and reads nothing', async () => {
  const board = await device('board');
  board.settings.close();
  assert.equal((await board.settings.save(config('closed'), { base: 0 })).code, 'closed');
  await assert.rejects(board.settings.history(), { code: 'closed' });
  await assert.rejects(manager.settings.save('not a configuration', { base: 0 }), { code: 'invalid_argument' });
  await assert.rejects(manager.settings.save(config(1), { base: -1 }), { code: 'invalid_argument' });
});
