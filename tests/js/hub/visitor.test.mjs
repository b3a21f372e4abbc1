// What a customer's phone may do on the hub, as a real nats-server decides it with the shipped
// accounts (hub/accounts.conf): the `visitor`, whose password is public, reads a department's
// public summary (one direct get) and follows it (one core subscription to what the bucket's
// stream republishes), and nothing else. Every refusal is asked of the hub with raw NATS, as
// anyone holding the visitor's password could: a permission granted by mistake lets the read or
// the write through and the test fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { BUCKET, CONFIG_BUCKET, PUBLIC_BUCKET, PUBLIC_INBOX, STREAM, publicKey, subject } from '../../../js/hub/protocol.js';
import { provision } from '../../../js/hub/provision.js';
import { startHub, startEdge, connectAs } from '../../support/nats.mjs';

const REFUSED = /Permissions Violation/;
// A request by the JetStream domain is mapped first and the mapped subject checked: one the
// permissions do not allow is dropped without a word, so it goes unanswered.
const UNANSWERED = (error) => REFUSED.test(error?.message) || error?.code === 'TIMEOUT' || /timeout/i.test(error?.message);
const DEPT = 'pharmacy';
const directGet = (bucket, key) => `$JS.API.DIRECT.GET.KV_${bucket}.$KV.${bucket}.${key}`;
/** As a phone asks: by the hub's JetStream domain, which the public edge passes on (hub/edge.conf). */
const domainGet = (bucket, key) => `$JS.hub.API.DIRECT.GET.KV_${bucket}.$KV.${bucket}.${key}`;

let hub;
let admin;
let visitor;
const connections = [];
before(async () => {
  hub = await startHub();
  admin = await as('admin');
  // Something to read in each bucket, so that a refusal is not an empty answer.
  await new Kvm(await as('staff')).open(BUCKET, { allow_direct: true }).then((kv) => kv.put(DEPT, '{"secret":"snapshot"}'));
  await new Kvm(await as('manager')).open(CONFIG_BUCKET, { allow_direct: true }).then((kv) => kv.put('version.1', '{"secret":"config"}'));
  visitor = await as('visitor');
});

/** Writes summary `seq` of the department as a device would (a kiosk may). */
const write = async (seq) => jetstream(await as('kiosk')).publish(publicKey(DEPT), JSON.stringify({ v: 1, department: DEPT, seq }));
after(async () => {
  for (const connection of connections) await connection.close();
  await hub?.close();
});

async function as(who, options) {
  const connection = await connectAs(who, hub.servers, options);
  connections.push(connection);
  return connection;
}

/** The messages `connection` receives on `subjectName` until `stop()`, and how the subscription ended. */
function listen(connection, subjectName) {
  const seen = [];
  const sub = connection.subscribe(subjectName, { callback: (error, msg) => { if (!error) seen.push(msg); } });
  return { seen, sub };
}

test('the bucket is made as phones need it: history 1, direct gets, republished to tan.public.>', async () => {
  const info = await jetstreamManager(admin).then((jsm) => jsm.streams.info(`KV_${PUBLIC_BUCKET}`));
  assert.equal(info.config.max_msgs_per_subject, 1);
  assert.equal(info.config.allow_direct, true);
  assert.deepEqual(info.config.republish, { src: `$KV.${PUBLIC_BUCKET}.>`, dest: 'tan.public.>' });
  // Provisioning again keeps it, and makes a bucket made without republishing again (2.9 cannot
  // change a stream's republish): its summaries are written again by the devices.
  assert.equal((await provision(admin)).public, 'exists');
  const jsm = await jetstreamManager(admin);
  await jsm.streams.delete(`KV_${PUBLIC_BUCKET}`);
  await new Kvm(admin).create(PUBLIC_BUCKET, { history: 1, allow_direct: true });
  assert.equal((await jsm.streams.info(`KV_${PUBLIC_BUCKET}`)).config.republish, undefined);
  assert.equal((await provision(admin)).public, 'recreated');
  assert.deepEqual((await jsm.streams.info(`KV_${PUBLIC_BUCKET}`)).config.republish, info.config.republish);
  assert.equal((await provision(admin)).public, 'exists');
});

test('a visitor direct-gets a summary (through its own inbox prefix) and a missing one is a 404', async () => {
  await write(1);
  const reply = await visitor.request(domainGet(PUBLIC_BUCKET, DEPT), '', { timeout: 2000 });
  assert.equal(reply.json().department, DEPT);
  assert.equal(reply.headers.get('Nats-Subject'), publicKey(DEPT));
  assert.ok(Number(reply.headers.get('Nats-Sequence')) > 0);
  const missing = await visitor.request(domainGet(PUBLIC_BUCKET, 'x-ray'), '', { timeout: 2000 });
  assert.equal(missing.headers.code, 404);
});

test('a visitor receives each summary the bucket stores on tan.public.<department>, in order', async () => {
  const { seen } = listen(visitor, `tan.public.${DEPT}`);
  await visitor.flush();
  for (let seq = 2; seq <= 4; seq++) await write(seq);
  await visitor.flush();
  const deadline = Date.now() + 5000;
  while (seen.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(seen.map((msg) => msg.json().seq), [2, 3, 4]);
  const sequences = seen.map((msg) => Number(msg.headers.get('Nats-Sequence')));
  assert.ok(sequences[0] < sequences[1] && sequences[1] < sequences[2], `stream sequences ${sequences}`);
});

test('the hub refuses a visitor every publish but the summaries\' direct get, and stores nothing', async () => {
  const js = jetstream(visitor);
  const jsm = await jetstreamManager(admin);
  const before = (await jsm.streams.info(STREAM)).state.last_seq;
  await assert.rejects(js.publish(subject(DEPT, 'take'), '{}'), REFUSED, 'an operation');
  await assert.rejects(js.publish(publicKey(DEPT), JSON.stringify({ v: 1, department: DEPT, seq: 99 })), REFUSED, 'a summary');
  await assert.rejects(visitor.request(directGet(BUCKET, DEPT), '', { timeout: 2000 }), REFUSED, 'a snapshot');
  await assert.rejects(visitor.request(domainGet(BUCKET, DEPT), '', { timeout: 2000 }), UNANSWERED, 'a snapshot, by the domain');
  await assert.rejects(visitor.request(directGet(CONFIG_BUCKET, 'version.1'), '', { timeout: 2000 }), REFUSED, 'the configuration');
  await assert.rejects(visitor.request(`$JS.API.STREAM.MSG.GET.KV_${CONFIG_BUCKET}`, '{"last_by_subj":"$KV.tan-config.version.1"}', { timeout: 2000 }), REFUSED, 'the configuration by the stream API');
  await assert.rejects(visitor.request(`$JS.API.DIRECT.GET.KV_${PUBLIC_BUCKET}`, '{"seq":1}', { timeout: 2000 }), REFUSED, 'a summary by sequence (the bare direct get)');
  await assert.rejects(visitor.request(`$JS.API.CONSUMER.CREATE.${STREAM}`, JSON.stringify({ stream_name: STREAM, config: { ack_policy: 'none', deliver_policy: 'all' } }), { timeout: 2000 }), REFUSED, 'a consumer');
  await assert.rejects(visitor.request('$JS.API.STREAM.INFO.TAN', '', { timeout: 2000 }), REFUSED, 'the stream\'s info');
  assert.equal((await jsm.streams.info(STREAM)).state.last_seq, before, 'no operation stored');
  const stored = await visitor.request(domainGet(PUBLIC_BUCKET, DEPT), '', { timeout: 2000 });
  assert.equal(stored.json().seq, 4, 'the summary is the last one a device wrote');
  // Still connected and still reading: a refusal does not cost the phone its connection.
  assert.equal(visitor.isClosed(), false);
});

test('the hub refuses a visitor\'s subscriptions to the operations, the devices\' inboxes and everything', async () => {
  const listening = ['tan.ops.>', '_INBOX.>', '>', `$KV.${PUBLIC_BUCKET}.>`].map((name) => listen(visitor, name));
  // The hub answers a subscription's refusal before the flush's pong.
  await visitor.flush();
  for (const { sub } of listening) {
    assert.equal(sub.isClosed(), true, `${sub.getSubject()} refused`);
    const ended = await sub.closed;
    assert.match(String(ended?.message), REFUSED, sub.getSubject());
  }
  // And nothing reaches it there: an operation, and a reply to a device's inbox.
  const device = await as('staff');
  const inbox = listen(device, '_INBOX.device.>');
  await device.flush();
  await jetstream(device).publish(subject(DEPT, 'note'), '{}');
  admin.publish('_INBOX.device.reply', 'for the device');
  await admin.flush();
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(inbox.seen.length, 1, 'the device got its reply');
  for (const { seen, sub } of listening) assert.equal(seen.length, 0, sub.getSubject());
});

test('kiosk, staff and manager write and read the summaries; a board does neither', async () => {
  let seq = 10;
  for (const who of ['kiosk', 'staff', 'manager']) {
    const connection = await as(who);
    seq += 1;
    assert.ok((await jetstream(connection).publish(publicKey(DEPT), JSON.stringify({ v: 1, department: DEPT, seq }))).seq > 0, who);
    assert.equal((await connection.request(directGet(PUBLIC_BUCKET, DEPT), '', { timeout: 2000 })).json().seq, seq, who);
  }
  const board = await as('board');
  await assert.rejects(jetstream(board).publish(publicKey(DEPT), '{}'), REFUSED, 'the board writes');
  await assert.rejects(board.request(directGet(PUBLIC_BUCKET, DEPT), '', { timeout: 2000 }), REFUSED, 'the board reads');
});

test('a visitor without its inbox prefix cannot even ask: its replies would come to _INBOX', async () => {
  const plain = await as('visitor', { inboxPrefix: undefined });
  await assert.rejects(plain.request(domainGet(PUBLIC_BUCKET, DEPT), '', { timeout: 2000 }), REFUSED);
  assert.equal(PUBLIC_INBOX, '_INBOX_public');
});

test('through the public edge, a phone reads and follows the summaries, and nothing more', async () => {
  const edge = await startEdge(hub);
  try {
    const phone = await connectAs('visitor', edge.servers);
    connections.push(phone);
    const { seen } = listen(phone, `tan.public.${DEPT}`);
    const refusedSubs = ['tan.ops.>', '_INBOX.>', '>'].map((name) => listen(phone, name));
    await phone.flush();
    // The edge passes the phone's interest on to the hub once linked: wait for a summary to arrive.
    const deadline = Date.now() + 5000;
    let seq = 20;
    while (seen.length === 0 && Date.now() < deadline) {
      await write(++seq);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(seen.length > 0, 'a summary the hub stored reaches the phone at the edge');
    const last = await phone.request(domainGet(PUBLIC_BUCKET, DEPT), '', { timeout: 2000 });
    assert.equal(last.json().seq, seq, 'the direct get reaches the hub\'s bucket through the edge');
    await assert.rejects(jetstream(phone).publish(subject(DEPT, 'take'), '{}'), REFUSED, 'an operation');
    await assert.rejects(phone.request(domainGet(BUCKET, DEPT), '', { timeout: 2000 }), UNANSWERED, 'a snapshot');
    for (const { sub } of refusedSubs) assert.equal(sub.isClosed(), true, `${sub.getSubject()} refused at the edge`);
  } finally {
    await edge.close();
  }
});

test('the edge user is the hub\'s guard: whatever an edge passes on, the hub lets through only what a phone may', async () => {
  // The edge's credentials, used as a client of the hub, stand for an edge whose own
  // configuration lets anything through.
  const edge = await as('edge');
  const js = jetstream(edge);
  await assert.rejects(js.publish(subject(DEPT, 'take'), '{}'), REFUSED, 'an operation');
  await assert.rejects(js.publish(publicKey(DEPT), '{"seq":999}'), REFUSED, 'a summary');
  await assert.rejects(edge.request(domainGet(BUCKET, DEPT), '', { timeout: 2000 }), UNANSWERED, 'a snapshot');
  await assert.rejects(edge.request(directGet(CONFIG_BUCKET, 'version.1'), '', { timeout: 2000 }), REFUSED, 'the configuration');
  const listening = ['tan.ops.>', '_INBOX.>', `$KV.${BUCKET}.>`].map((name) => listen(edge, name));
  await edge.flush();
  for (const { sub } of listening) assert.equal(sub.isClosed(), true, `${sub.getSubject()} refused`);
});
