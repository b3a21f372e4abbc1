// Who may touch the facility's saved configuration (the key-value bucket tan-config) and
// configure or reclaim a department, as a real nats-server decides it with the shipped accounts
// (hub/accounts.conf). Every refusal is asked of the hub with raw NATS, as a page or a script
// holding those credentials would: a permission granted by mistake lets the write through and
// the test fails; one missing makes a read fail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { CONFIG_BUCKET, OPS, subject } from '../../../js/hub/protocol.js';
import { startHub, connectAs } from '../../support/nats.mjs';

const READERS = ['staff', 'kiosk', 'board'];
const REFUSED = /Permissions Violation/;

let hub;
const connections = [];
before(async () => {
  hub = await startHub();
});
after(async () => {
  for (const connection of connections) await connection.close();
  await hub?.close();
});

async function as(who) {
  const connection = await connectAs(who, hub.servers);
  connections.push(connection);
  return connection;
}

/** The bucket as `who` sees it; `direct: false` reads through the stream's API instead. */
async function configAs(who, { direct = true } = {}) {
  return new Kvm(await as(who)).open(CONFIG_BUCKET, { allow_direct: direct });
}

/** The values a watch delivers until it has seen `count` keys (last values, then updates). */
async function watched(kv, count) {
  const seen = new Map();
  const watch = await kv.watch();
  const timer = setTimeout(() => watch.stop(), 10_000);
  for await (const entry of watch) {
    seen.set(entry.key, entry.string());
    if (seen.size === count) break;
  }
  clearTimeout(timer);
  return seen;
}

/** A saved version as the manager's console would store it. */
const version = (n) => JSON.stringify({ saved: n, departments: ['pharmacy', 'x-ray'] });

let manager;
let revision;
test('the manager creates, updates, reads and watches saved versions', async () => {
  manager = await configAs('manager');
  const first = await manager.create('v1', version(1));
  await assert.rejects(manager.create('v1', version(1)), /wrong last sequence/, 'create never replaces a version');
  revision = await manager.update('v1', version(2), first);
  assert.equal((await manager.get('v1')).string(), version(2));
  await manager.put('v2', version(3));
  assert.deepEqual(await watched(manager, 2), new Map([['v1', version(2)], ['v2', version(3)]]));
});

test('the manager configures and reclaims a department; staff reclaim one', async () => {
  const js = jetstream(await as('manager'));
  assert.ok((await js.publish(subject('pharmacy', 'configure'), '{}')).seq > 0);
  assert.ok((await js.publish(subject('pharmacy', 'reclaim'), '{}')).seq > 0);
  const staff = jetstream(await as('staff'));
  assert.ok((await staff.publish(subject('pharmacy', 'reclaim'), '{}')).seq > 0);
});

for (const who of READERS) {
  test(`${who} reads the saved configuration (get, a revision, watch) and the hub refuses its writes`, async () => {
    const kv = await configAs(who);
    assert.equal((await kv.get('v1')).string(), version(2));
    assert.equal((await kv.get('v1', { revision })).string(), version(2));
    assert.equal((await (await configAs(who, { direct: false })).get('v2')).string(), version(3));
    assert.deepEqual(await watched(kv, 2), new Map([['v1', version(2)], ['v2', version(3)]]));
    await assert.rejects(kv.put('v1', 'mine'), REFUSED, 'put');
    await assert.rejects(kv.create('v9', 'mine'), REFUSED, 'create');
    await assert.rejects(kv.update('v1', 'mine', revision), REFUSED, 'update');
    await assert.rejects(kv.delete('v2'), REFUSED, 'delete');
    // Nothing reached the bucket.
    assert.equal((await manager.get('v1')).revision, revision);
    assert.equal(await manager.get('v9'), null);
    assert.equal((await manager.get('v2')).string(), version(3));
  });
}

test('the hub refuses configure to staff, kiosk and board, and reclaim to kiosk and board', async () => {
  for (const who of READERS) {
    const js = jetstream(await as(who));
    await assert.rejects(js.publish(subject('pharmacy', 'configure'), '{}'), REFUSED, `${who} configures`);
    if (who !== 'staff') await assert.rejects(js.publish(subject('pharmacy', 'reclaim'), '{}'), REFUSED, `${who} reclaims`);
  }
});

test('the counters\' operations and a transfer\'s are staff\'s: the hub refuses every one to kiosk and board', async () => {
  const kinds = Object.entries(OPS).filter(([, op]) => op.since !== undefined).map(([kind]) => kind);
  assert.deepEqual(kinds, ['call', 'recall', 'finish', 'no-show', 'park', 'unpark', 'transfer', 'arrive', 'settle']);
  const staff = jetstream(await as('staff'));
  for (const kind of kinds) {
    assert.ok((await staff.publish(subject('rights', kind), '{}')).seq > 0, `staff ${kind}`);
    for (const who of ['kiosk', 'board']) {
      await assert.rejects(jetstream(await as(who)).publish(subject('rights', kind), '{}'), REFUSED, `${who} ${kind}`);
    }
  }
});

test('a reader\'s watch over megabytes of saved versions keeps flowing (the hub\'s flow control is answered)', async () => {
  const big = 'x'.repeat(64 * 1024);
  await Promise.all(Array.from({ length: 64 }, (_, i) => manager.put(`big${i}`, big)));
  const seen = await watched(await configAs('board'), 2 + 64);
  assert.equal(seen.size, 2 + 64);
});
