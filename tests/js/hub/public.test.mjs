// The departments' public summaries (js/hub/public-writer.js) against a real nats-server with the
// shipped configuration: the devices that may write keep each department's summary in the bucket
// tan-public, and a phone (the `visitor`, raw NATS as the follow page would use it) reads it with
// a direct get and follows it on tan.public.<department>. What a summary holds is the kiosk's
// (www/js/model/follow-summary.js, tested in tests/www/); here: that it gets there, in order, never
// backwards, even with devices racing or dying.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { jetstream } from '@nats-io/jetstream';
import { Machine } from '../../../pkg/node.js';
import { Hub } from '../../../js/hub/hub.js';
import { CHECK_AFTER_MS } from '../../../js/hub/public-writer.js';
import { PUBLIC_BUCKET, PUBLIC_SUBJECT } from '../../../js/hub/protocol.js';
import { kioskRecord } from '../../../www/js/model/ticket-record.js';
import { summaryOf } from '../../../www/js/model/follow-summary.js';
import { startHub, connectAs } from '../../support/nats.mjs';
import { sleep, until } from '../../support/wait.mjs';

const RANGE = { minNumber: 1, maxNumber: 999 };
const record = kioskRecord({ timeZone: 'UTC' });

const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function hubForTest() {
  const hub = await startHub();
  cleanups.push(() => hub.close());
  return hub;
}

/** A device: its own connection as `who`, its own Hub, department `name` with the kiosk's record. */
async function device(who, servers, name) {
  const connection = await connectAs(who, servers);
  const hub = new Hub({ connection, Machine, rules: '1.0.0' });
  const machine = hub.machine({ name, ...RANGE, record });
  const d = {
    connection,
    machine,
    async close() {
      hub.close();
      if (!connection.isClosed()) await connection.close();
    },
  };
  cleanups.push(() => d.close());
  await machine.ready;
  return d;
}

/** Department `name` configured as the manager does, with the kiosk's record. */
async function configured(servers, name) {
  const manager = await device('manager', servers, name);
  await manager.machine.configure({ ...RANGE, autoShutdownTimeout: Infinity });
  await manager.close();
}

/** A phone following `name`: every summary republished to it, as the visitor. */
async function phone(servers, name) {
  const connection = await connectAs('visitor', servers);
  cleanups.push(() => connection.close());
  const seen = [];
  connection.subscribe(`${PUBLIC_SUBJECT}.${name}`, { callback: (error, msg) => { if (!error) seen.push(msg.json()); } });
  await connection.flush();
  return {
    seen,
    /** The stored summary, by one direct get (null: none yet). */
    async get() {
      const reply = await connection.request(`$JS.API.DIRECT.GET.KV_${PUBLIC_BUCKET}.$KV.${PUBLIC_BUCKET}.${name}`, '', { timeout: 2000 });
      return reply.headers?.code === 404 ? null : reply.string();
    },
  };
}

test('after a take and a serve the summary is stored and republished at once, the same bytes as the state\'s', async () => {
  const hub = await hubForTest();
  await configured(hub.servers, 'pharmacy');
  const follower = await phone(hub.servers, 'pharmacy');
  const staff = await device('staff', hub.servers, 'pharmacy');
  const started = Date.now();
  const first = await staff.machine.queueNewNumber();
  await staff.machine.queueNewNumber();
  const served = await staff.machine.serveNextQueuedNumber(undefined, { counter: 'A' });
  assert.equal(served, first);
  const { seq } = staff.machine.state;
  await until(() => follower.seen.at(-1)?.seq === seq, 'the phone to see the serve');
  // The author wrote it, not a check two seconds later.
  assert.ok(Date.now() - started < CHECK_AFTER_MS, `${Date.now() - started} ms`);
  const last = follower.seen.at(-1);
  assert.equal(last.nowServing, first);
  assert.deepEqual(last.counters, { A: first });
  assert.deepEqual(last.waiting.map(([n]) => n), [first + 1]);
  assert.deepEqual(last.ended.map(([n, , outcome, counter]) => [n, outcome, counter]), [[first, 'served', 'A']]);
  assert.equal(await follower.get(), JSON.stringify(summaryOf(staff.machine.state, 'pharmacy')));
});

test('three writing devices racing through 50 operations: a phone sees summaries in order, never backwards, ending at the last', async () => {
  const hub = await hubForTest();
  await configured(hub.servers, 'lab');
  const follower = await phone(hub.servers, 'lab');
  const devices = [await device('kiosk', hub.servers, 'lab'), await device('staff', hub.servers, 'lab'), await device('manager', hub.servers, 'lab')];
  // Each device in its own sequence, all at once: takes from all three, serves from the two that may.
  const ops = (d, i) => async () => {
    for (let n = 0; n < 17; n++) {
      if (d === devices[0] || n % 3 !== 2) await d.machine.queueNewNumber();
      else await d.machine.serveNextQueuedNumber(undefined, { counter: String(i) }).catch((error) => assert.equal(error.code, 'empty_queue'));
    }
  };
  await Promise.all(devices.map((d, i) => ops(d, i)()));
  await until(() => devices.every((d) => d.machine.state.seq === devices[0].machine.state.seq), 'the devices to agree');
  const { seq } = devices[0].machine.state;
  await until(() => follower.seen.at(-1)?.seq === seq, 'the phone to see the last operation', 10_000);
  const seqs = follower.seen.map((s) => s.seq);
  for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1], `summaries in order: ${seqs.join(' ')}`);
  assert.ok(seqs.length >= 10, `${seqs.length} summaries for 51 operations`);
  assert.equal(await follower.get(), JSON.stringify(summaryOf(devices[1].machine.state, 'lab')), 'every device\'s summary is the same');
  // Nothing more arrives later (a late writer going back, say).
  await sleep(CHECK_AFTER_MS + 500);
  assert.equal(follower.seen.at(-1).seq, seq);
  assert.equal(follower.seen.length, seqs.length);
});

test('an author that dies right after its operation: another device publishes the summary within seconds', async () => {
  const hub = await hubForTest();
  await configured(hub.servers, 'x-ray');
  const follower = await phone(hub.servers, 'x-ray');
  const staff = await device('staff', hub.servers, 'x-ray');
  const kiosk = await device('kiosk', hub.servers, 'x-ray');
  await kiosk.machine.queueNewNumber();
  await until(() => follower.seen.at(-1)?.seq === kiosk.machine.state.seq, 'the first summary');
  const number = await kiosk.machine.queueNewNumber();
  // Gone before its writer's turn (it writes after the answer, a macrotask later).
  const { seq } = kiosk.machine.state;
  const died = Date.now();
  await kiosk.close();
  await until(() => follower.seen.at(-1)?.seq === seq, 'another device to publish it', 3 * CHECK_AFTER_MS);
  const took = Date.now() - died;
  assert.ok(took >= CHECK_AFTER_MS - 500, `${took} ms: the staff device's check, not the author`);
  assert.deepEqual(follower.seen.at(-1).waiting.map(([n]) => n), [number - 1, number]);
  assert.equal(staff.machine.status, 'online');
});

test('a board never writes, is refused once per department at most, and follows on', async () => {
  const hub = await hubForTest();
  await configured(hub.servers, 'board-dept');
  const follower = await phone(hub.servers, 'board-dept');
  const board = await device('board', hub.servers, 'board-dept');
  const errors = [];
  (async () => {
    for await (const status of board.connection.status()) if (status.type === 'error') errors.push(status.error);
  })();
  // A kiosk takes and leaves before writing: only a check could publish, and the board may not.
  const kiosk = await device('kiosk', hub.servers, 'board-dept');
  await kiosk.machine.queueNewNumber();
  await kiosk.close();
  await sleep(CHECK_AFTER_MS + 1000);
  assert.equal(follower.seen.length, 0, 'nothing written by the board');
  assert.ok(errors.length <= 1, `refused ${errors.length} times`);
  const staff = await device('staff', hub.servers, 'board-dept');
  await staff.machine.queueNewNumber();
  await until(() => board.machine.state?.seq === staff.machine.state.seq, 'the board to follow');
  await sleep(CHECK_AFTER_MS + 500);
  assert.equal(board.machine.status, 'online');
  assert.ok(errors.length <= 1, `refused ${errors.length} times: it stopped trying`);
  assert.ok(errors.every((error) => /Permissions Violation/.test(error.message)), errors.join('\n'));
  assert.equal(follower.seen.at(-1).seq, staff.machine.state.seq, 'the staff device wrote');
});

test('a summary made up with the kiosk\'s credentials, its seq past the stream\'s end, is replaced at the next operation', async () => {
  const hub = await hubForTest();
  await configured(hub.servers, 'forged');
  const follower = await phone(hub.servers, 'forged');
  const forger = await connectAs('kiosk', hub.servers);
  cleanups.push(() => forger.close());
  await jetstream(forger).publish(`$KV.${PUBLIC_BUCKET}.forged`, JSON.stringify({ v: 1, department: 'forged', seq: 1e12, waiting: [] }));
  await until(() => follower.seen.at(-1)?.seq === 1e12, 'the forgery to be stored');
  const staff = await device('staff', hub.servers, 'forged');
  await staff.machine.queueNewNumber();
  await until(() => follower.seen.at(-1)?.seq === staff.machine.state.seq, 'the real summary to replace it');
  assert.equal(await follower.get(), JSON.stringify(summaryOf(staff.machine.state, 'forged')));
});
