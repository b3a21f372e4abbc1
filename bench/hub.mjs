// `make bench`, the facility hub: a real nats-server with the shipped configuration on loopback
// (tests/support/nats.mjs), devices with connections of their own, all in this process. Each
// figure of ours is printed beside the same measurement for plain JetStream publishes in the same
// run (the floor: what any design on this hub pays). A missed target is reported, not fatal.
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { Machine } from '../pkg/node.js';
import { Hub } from '../js/hub/hub.js';
import { STREAM, BUCKET, subject, encodeOperation } from '../js/hub/protocol.js';
import { startHub, connectAs, configureDepartments } from '../tests/support/nats.mjs';
import { report, measuredOn } from './report.mjs';

const RANGE = { minNumber: 1, maxNumber: 10_000_000 };
const rows = [];
const row = (figure, measured, target, pass, note = '') => rows.push({ figure, measured, target, pass, note });
const fmt = (x, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

const hub = await startHub();
// Every department these figures use, configured as a manager (or `make hub`) does first.
await configureDepartments(hub.servers, ['latency', 'throughput', 'history'].map((id) => ({ id, ...RANGE })), { rules: '1.0.0' });
const connections = [];
async function device(who) {
  const connection = await connectAs(who, hub.servers);
  connections.push(connection);
  return new Hub({ connection, Machine, rules: '1.0.0' });
}

async function until(condition, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

// 1. Tap to board: a take on device A until device B's state shows it; beside it, a plain
// publish on A until an ordered consumer on B delivers it.
async function latency(samples) {
  const kiosk = (await device('kiosk')).machine({ name: 'latency', ...RANGE });
  const board = (await device('board')).machine({ name: 'latency', ...RANGE });
  await Promise.all([kiosk.ready, board.ready]);
  for (let i = 0; i < 50; i++) await kiosk.queueNewNumber(); // warm up
  const ours = [];
  for (let i = 0; i < samples; i++) {
    const began = performance.now();
    const shown = new Promise((resolve) => {
      const stop = board.subscribe((state) => {
        if (state?.queue.length === 51 + i) {
          stop();
          resolve();
        }
      });
    });
    await kiosk.queueNewNumber();
    await shown;
    ours.push(performance.now() - began);
  }

  const publisher = jetstream(await connectAs('staff', hub.servers));
  const reader = jetstream(await connectAs('board', hub.servers));
  const consumer = await reader.consumers.get(STREAM, { filter_subjects: subject('floor', '>'), deliver_policy: 'new' });
  let arrived = null;
  const messages = await consumer.consume({ callback: () => arrived?.() });
  const floor = [];
  const payload = encodeOperation({ id: 'x', rules: '1.0.0', config: { ...RANGE, autoShutdownTimeout: Infinity } });
  for (let i = 0; i < samples + 50; i++) {
    const began = performance.now();
    const seen = new Promise((resolve) => { arrived = resolve; });
    await publisher.publish(subject('floor', 'take'), payload, { msgID: `floor-${i}` });
    await seen;
    if (i >= 50) floor.push(performance.now() - began);
  }
  messages.stop();
  return { ours: ours.sort((a, b) => a - b), floor: floor.sort((a, b) => a - b) };
}

// 2. Sustained operations per second in one department: two kiosks taking and two counters
// serving at once, each keeping `window` calls in flight; beside it, four connections
// publishing (acknowledged, with msgIDs) as fast as the hub stores them.
async function throughput(perDevice, window) {
  const name = 'throughput';
  const kioskA = (await device('kiosk')).machine({ name, ...RANGE });
  const kioskB = (await device('kiosk')).machine({ name, ...RANGE });
  const staffA = (await device('staff')).machine({ name, ...RANGE });
  const staffB = (await device('staff')).machine({ name, ...RANGE });
  const all = [kioskA, kioskB, staffA, staffB];
  await Promise.all(all.map((m) => m.ready));
  // A queue that never empties during the run.
  for (let i = 0; i < perDevice * 2; i += 500) await Promise.all(Array.from({ length: 500 }, () => staffA.queueNewNumber()));
  const taken = [];
  const served = [];
  const drive = async (machine, call, into) => {
    let next = 0;
    const lane = async () => {
      while (next < perDevice) {
        next += 1;
        into.push(await call(machine));
      }
    };
    await Promise.all(Array.from({ length: window }, lane));
  };
  const began = performance.now();
  await Promise.all([
    drive(kioskA, (m) => m.queueNewNumber(), taken), drive(kioskB, (m) => m.queueNewNumber(), taken),
    drive(staffA, (m) => m.serveNextQueuedNumber(), served), drive(staffB, (m) => m.serveNextQueuedNumber(), served),
  ]);
  const answered = performance.now() - began;
  const last = Math.max(...all.map((m) => m.state.seq));
  await until(() => all.every((m) => m.state.seq === last));
  const ms = performance.now() - began;
  const duplicates = (taken.length - new Set(taken).size) + (served.length - new Set(served).size);
  const agree = all.every((m) => JSON.stringify(m.state.queue) === JSON.stringify(all[0].state.queue));

  const publishers = await Promise.all([0, 1, 2, 3].map(async () => jetstream(await connectAs('staff', hub.servers))));
  const payload = encodeOperation({ id: 'x', rules: '1.0.0', config: { ...RANGE, autoShutdownTimeout: Infinity } });
  const floorBegan = performance.now();
  await Promise.all(publishers.map(async (js, p) => {
    let next = 0;
    const lane = async () => {
      while (next < perDevice) {
        const i = next++;
        await js.publish(subject('floor-rate', 'take'), payload, { msgID: `rate-${p}-${i}` });
      }
    };
    await Promise.all(Array.from({ length: window }, lane));
  }));
  const floorMs = performance.now() - floorBegan;
  return { ops: 4 * perDevice, ms, answered, duplicates, agree, floorOps: 4 * perDevice, floorMs };
}

// 3. Late join: a department with 10^5 operations of history (written by a kiosk while a staff
// device follows and writes snapshots), then a new board until it is ready; again with the
// snapshot removed (the whole history replayed); beside it, reading the history raw.
async function lateJoin(history) {
  const name = 'history';
  const staff = (await device('staff')).machine({ name, ...RANGE });
  await staff.ready;
  const writer = jetstream(await connectAs('kiosk', hub.servers));
  const config = { ...RANGE, autoShutdownTimeout: Infinity };
  for (let i = 0; i < history; i += 1000) {
    await Promise.all(Array.from({ length: 1000 }, (_, j) => writer.publish(subject(name, 'take'),
      encodeOperation({ id: `h-${i + j}`, rules: '1.0.0', config }), { msgID: `h-${i + j}` })));
  }
  const last = (await jetstream(connections[0]).streams.get(STREAM).then((s) => s.info())).state.last_seq;
  await until(() => staff.state.seq === last, 120_000);
  await sleep(500); // the last snapshot write
  const join = async () => {
    const board = (await device('board')).machine({ name, ...RANGE });
    const began = performance.now();
    await board.ready;
    const ms = performance.now() - began;
    const ok = board.state.queue.length === staff.state.queue.length && board.state.seq === staff.state.seq;
    board.close();
    return { ms, ok };
  };
  await join(); // warm up
  const withSnapshot = await join();
  const admin = await connectAs('admin', hub.servers);
  connections.push(admin);
  const kv = await new Kvm(admin).open(BUCKET);
  const stored = await kv.get(name);
  const snapshotSeq = stored?.json().seq ?? 0;
  await kv.delete(name);
  const replay = await join();
  // The floor: the same history read raw, without applying it.
  const reader = jetstream(await connectAs('board', hub.servers));
  const consumer = await reader.consumers.get(STREAM, { filter_subjects: subject(name, '>') });
  const rawBegan = performance.now();
  let count = 0;
  await new Promise((resolve) => {
    consumer.consume({ callback: (m) => { count += 1; if (m.info.pending === 0) resolve(); } });
  });
  const rawMs = performance.now() - rawBegan;
  return { history, withSnapshot, snapshotSeq, replay, raw: { ms: rawMs, count } };
}

try {
  const lat = await latency(500);
  const p50 = quantile(lat.ours, 0.5);
  const p99 = quantile(lat.ours, 0.99);
  row('hub: tap to board (take on A until B shows it), p50', `${fmt(p50, 2)} ms (plain publish to consumer: ${fmt(quantile(lat.floor, 0.5), 2)} ms)`, '(informative)', null);
  row('hub: tap to board, p99', `${fmt(p99, 2)} ms (plain publish to consumer: ${fmt(quantile(lat.floor, 0.99), 2)} ms)`, '< 25 ms', p99 < 25);

  const tp = await throughput(2500, 32);
  const rate = tp.ops / (tp.ms / 1000);
  const floorRate = tp.floorOps / (tp.floorMs / 1000);
  row('hub: sustained ops/s, one department, 4 devices', `${fmt(rate)} ops/s (${fmt(tp.ops)} in ${fmt(tp.ms)} ms; plain acked publishes: ${fmt(floorRate)} msg/s)`,
    '>= 2,000 ops/s', rate >= 2000);
  row('hub: duplicates in that run', `${tp.duplicates}${tp.agree ? ', every device the same queue' : ', DEVICES DISAGREE'}`, '0', tp.duplicates === 0 && tp.agree);

  const lj = await lateJoin(100_000);
  row('hub: late join, 10^5 operations of history, from the snapshot', `${fmt(lj.withSnapshot.ms)} ms (snapshot at ${fmt(lj.snapshotSeq)})${lj.withSnapshot.ok ? '' : ' WRONG STATE'}`,
    '< 1,000 ms', lj.withSnapshot.ms < 1000 && lj.withSnapshot.ok);
  row('hub: late join, 10^5 operations, no snapshot (whole history)', `${fmt(lj.replay.ms)} ms (reading it raw: ${fmt(lj.raw.ms)} ms)${lj.replay.ok ? '' : ' WRONG STATE'}`,
    '(informative)', null);
} finally {
  for (const connection of connections) await connection.close().catch(() => {});
  await hub.close();
}

await report('hub', `take-a-number-deluxe hub benchmarks, ${measuredOn()}, nats-server on loopback`, rows);
process.exit(0); // devices' timers (watchdogs) would keep the process alive
