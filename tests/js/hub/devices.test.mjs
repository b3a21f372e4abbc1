// The facility hub (js/hub/) in Node against a real nats-server with the shipped configuration
// (hub/): several devices, each with its own connection and credentials, sharing departments'
// records through JetStream. Every run checks the exactly-once invariant against the record
// itself (every device logs every event it applies), and that all devices agree.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Machine } from '../../../pkg/node.js';
import { Hub } from '../../../js/hub/hub.js';
import { SNAPSHOT_EVERY } from '../../../js/hub/machine.js';
import { STREAM, BUCKET, subject, encodeOperation } from '../../../js/hub/protocol.js';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { startHub, startCluster, connectAs } from '../../support/nats.mjs';
import { assertExactlyOnce } from '../../support/invariants.mjs';
import { sleep, until, codeOf } from '../../support/wait.mjs';

const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A record that logs every event, to compare what each device applied and in which order. */
const logRecord = {
  initial: () => ({ events: [] }),
  apply: (record, event) => ({ events: [...record.events, event] }),
  check: (record) => Array.isArray(record?.events),
};

const RANGE = { minNumber: 1, maxNumber: 1_000_000 };
const MANAGER = 'manager';

/** A device: its own connection as `who`, its own Hub with `rules`. */
async function device(who, servers, { rules = '1.0.0', callTimeout = 10_000, now, connect = {} } = {}) {
  const connection = await connectAs(who, servers, connect);
  const hub = new Hub({ connection, Machine, rules, callTimeout, ...(now ? { now } : {}) });
  const machines = [];
  const d = {
    who,
    connection,
    hub,
    open(options) {
      const machine = hub.machine({ ...RANGE, record: logRecord, ...options });
      machines.push(machine);
      return machine;
    },
    async close() {
      hub.close();
      if (!connection.isClosed()) await connection.close();
    },
  };
  cleanups.push(() => d.close());
  return d;
}

/**
 * Sets department `name` up as the facility's manager does (js/engine/department.js: only a
 * manager's configure gives a department its configuration and first rules).
 */
async function configured(servers, name, options = {}, { rules = '1.0.0' } = {}) {
  const manager = await device(MANAGER, servers, { rules });
  const machine = manager.open({ name, ...options });
  await machine.ready;
  const { minNumber, maxNumber, autoShutdownTimeout } = { ...RANGE, ...options };
  await machine.configure({ minNumber, maxNumber, autoShutdownTimeout });
  await manager.close();
}

async function hubForTest() {
  const hub = await startHub();
  cleanups.push(() => hub.close());
  return hub;
}



/** Waits until every machine has applied the same last operation, and checks they agree. */
async function converged(machines, { timeoutMs } = {}) {
  await until(() => machines.every((m) => m.state !== null && m.state.seq === machines[0].state.seq)
    && machines[0].state.seq === Math.max(...machines.map((m) => m.state.seq)), 'every device to apply the same operations', timeoutMs);
  await sleep(200); // anything still in flight arrives
  const last = Math.max(...machines.map((m) => m.state.seq));
  await until(() => machines.every((m) => m.state.seq === last), 'every device to catch up');
  for (const m of machines.slice(1)) {
    assert.deepEqual(m.state.queue, machines[0].state.queue, 'every device has the same queue');
    assert.deepEqual(m.state.record, machines[0].state.record, 'every device applied the same events in the same order');
  }
  return machines[0].state;
}

const eventsOf = (state, type) => state.record.events.filter((e) => e.type === type).map((e) => e.number);

/**
 * Takes and serves from several devices at once. Each entry of `plan` is [machine, kind, count];
 * calls are fired together (not one after another) so that they interleave on the hub.
 * Returns the answers and the count of calls that failed with `offline`.
 */
async function burst(plan, { during } = {}) {
  const taken = [];
  const served = [];
  let unansweredTakes = 0;
  let unansweredServes = 0;
  const runs = plan.map(async ([machine, kind, count]) => {
    const calls = [];
    for (let i = 0; i < count; i++) {
      const call = kind === 'take' ? machine.queueNewNumber() : machine.serveNextQueuedNumber();
      calls.push(call.then((n) => (kind === 'take' ? taken : served).push(n), (error) => {
        if (error.code !== 'offline') throw error;
        if (kind === 'take') unansweredTakes += 1;
        else unansweredServes += 1;
      }));
      if (i % 25 === 24) await sleep(5); // spread the calls over the run
    }
    await Promise.all(calls);
  });
  await during?.();
  await Promise.all(runs);
  return { taken, served, unansweredTakes, unansweredServes };
}

/** The exactly-once check against the record: the serves are the record's, the answers a part of them. */
function checkRun(t, state, { initial, taken, served, unansweredTakes, unansweredServes }, { devices, faults }) {
  const recordServes = eventsOf(state, 'serve');
  const recordTakes = eventsOf(state, 'take');
  for (const n of served) assert.ok(recordServes.includes(n), `served ${n} is in the record`);
  for (const n of taken) assert.ok(recordTakes.includes(n), `taken ${n} is in the record`);
  const found = assertExactlyOnce({ initial, taken, served: recordServes, queue: state.queue, unanswered: unansweredTakes });
  // The figures RELIABILITY.md quotes.
  t.diagnostic(`run: ${devices} devices, ${initial.length} + ${taken.length + served.length + unansweredTakes + unansweredServes} operations `
    + `(${unansweredTakes + unansweredServes} unanswered: offline), faults: ${faults}; duplicates ${found.duplicates}, `
    + `double serves 0, losses ${found.losses}, numbers nobody was told of ${found.unknown}`);
  return found;
}

async function fill(machine, count) {
  const numbers = [];
  for (let i = 0; i < count; i += 50) {
    numbers.push(...await Promise.all(Array.from({ length: Math.min(50, count - i) }, () => machine.queueNewNumber())));
  }
  return numbers;
}

test('devices on separate connections share one department: one sequence of numbers, one queue', async () => {
  const { servers } = await hubForTest();
  await configured(servers, 'pharmacy');
  const kiosk = (await device('kiosk', servers)).open({ name: 'pharmacy' });
  const staff = (await device('staff', servers)).open({ name: 'pharmacy' });
  const board = (await device('board', servers)).open({ name: 'pharmacy' });
  await Promise.all([kiosk.ready, staff.ready, board.ready]);
  assert.deepEqual([kiosk.status, staff.status, board.status], ['online', 'online', 'online']);
  assert.deepEqual([await kiosk.queueNewNumber(), await staff.queueNewNumber(), await kiosk.queueNewNumber()], [1, 2, 3]);
  assert.equal(await staff.serveNextQueuedNumber(), 1);
  assert.equal(await staff.serveNextQueuedNumber(3, { counter: 4 }), 3);
  const state = await converged([kiosk, staff, board]);
  assert.deepEqual(state.queue, [2]);
  assert.deepEqual(await board.reportState(), { minNumber: 1, maxNumber: 1_000_000, queue: [2], autoShutdownTimeout: Infinity });
  const serves = state.record.events.filter((e) => e.type === 'serve');
  assert.deepEqual(serves.map(({ number, priority, data }) => ({ number, priority, data })),
    [{ number: 1, priority: null, data: null }, { number: 3, priority: 3, data: { counter: 4 } }]);
  assert.equal(state.rules, '1.0.0');
  // The answer comes after the state that holds it, on the device that asked.
  const n = await kiosk.queueNewNumber();
  assert.ok(kiosk.state.queue.includes(n));
});

test('four devices take and serve at the same instant: no duplicate, no double serve, nothing lost', async (t) => {
  const { servers } = await hubForTest();
  await configured(servers, 'blood');
  const kioskA = (await device('kiosk', servers)).open({ name: 'blood' });
  const kioskB = (await device('kiosk', servers)).open({ name: 'blood' });
  const staffA = (await device('staff', servers)).open({ name: 'blood' });
  const staffB = (await device('staff', servers)).open({ name: 'blood' });
  const board = (await device('board', servers)).open({ name: 'blood' });
  const all = [kioskA, kioskB, staffA, staffB, board];
  await Promise.all(all.map((m) => m.ready));
  const initial = await fill(staffA, 300); // serves never empty the queue, so numbers never wrap
  const run = await burst([[kioskA, 'take', 250], [kioskB, 'take', 250], [staffA, 'serve', 150], [staffB, 'serve', 150]]);
  assert.equal(run.taken.length + run.served.length, 800, 'every call answered');
  assertExactlyOnce({ initial, taken: run.taken, served: run.served, queue: [...initial, ...run.taken].filter((n) => !run.served.includes(n)) });
  const state = await converged(all);
  checkRun(t, state, { initial, ...run }, { devices: 5, faults: 'none' });
  assert.equal(state.queue.length, 300 + 500 - 300);
});

test('a device that reconnects mid-run and one that joins late see the same record', async (t) => {
  const { servers } = await hubForTest();
  await configured(servers, 'x-ray');
  const kiosk = await device('kiosk', servers);
  const staff = await device('staff', servers);
  const k = kiosk.open({ name: 'x-ray' });
  const s = staff.open({ name: 'x-ray' });
  await Promise.all([k.ready, s.ready]);
  const initial = await fill(s, 200);
  const run = await burst([[k, 'take', 300], [s, 'serve', 200]], {
    during: async () => {
      await sleep(100);
      await kiosk.connection.reconnect(); // the kiosk's connection drops and comes back
    },
  });
  const late = (await device('board', servers)).open({ name: 'x-ray' });
  await late.ready;
  const state = await converged([k, s, late]);
  checkRun(t, state, { initial, ...run }, { devices: 3, faults: 'the kiosk\'s connection dropped mid-run; a board joined late' });
  // Calls made while the connection was down failed at once with offline (nothing handed out);
  // the others were answered, and the kiosk goes on.
  assert.ok(run.taken.length > 0 && run.served.length > 0);
  assert.equal(k.status, 'online');
  assert.ok(!state.queue.includes(await k.queueNewNumber()));
});

test('a device joining after many operations starts from a snapshot and agrees with the others', async () => {
  const { servers } = await hubForTest();
  await configured(servers, 'snap');
  const s = (await device('staff', servers)).open({ name: 'snap' });
  const k = (await device('kiosk', servers)).open({ name: 'snap' });
  await Promise.all([s.ready, k.ready]);
  for (let i = 0; i < SNAPSHOT_EVERY * 1.5; i += 100) {
    await Promise.all(Array.from({ length: 50 }, () => k.queueNewNumber()));
    await Promise.all(Array.from({ length: 50 }, () => s.serveNextQueuedNumber()));
  }
  await fill(k, 7);
  // Staff devices write snapshots; a kiosk may not (hub/accounts.conf).
  const admin = await connectAs('admin', servers);
  cleanups.push(() => admin.close());
  const kv = await new Kvm(admin).open(BUCKET);
  let stored = null;
  for (let i = 0; i < 200 && stored === null; i++) {
    stored = await kv.get('snap');
    if (stored === null) await sleep(50);
  }
  assert.ok(stored !== null, 'a snapshot was stored');
  const snapshot = stored.json();
  assert.ok(snapshot.seq >= SNAPSHOT_EVERY, `snapshot at ${snapshot.seq}`);
  let applied = 0;
  const counting = { ...logRecord, apply: (record, event) => { applied += 1; return logRecord.apply(record, event); } };
  const late = (await device('board', servers)).open({ name: 'snap', record: counting });
  await late.ready;
  const state = await converged([s, k, late]);
  assert.deepEqual(state.queue, [1, 2, 3, 4, 5, 6, 7], 'every ticket served, then seven more: numbering starts again');
  // The late device applied only what came after the snapshot, and holds the same record.
  assert.equal(state.record.events.length, SNAPSHOT_EVERY * 1.5 + 7);
  assert.ok(applied <= state.record.events.length - snapshot.seq + 1, `the late device applied ${applied} events`);
});

test('the hub restarted mid-run loses no ticket and hands out no number twice', async (t) => {
  const hub = await hubForTest();
  const { servers, node } = hub;
  await configured(servers, 'restart');
  const k = (await device('kiosk', servers)).open({ name: 'restart' });
  const s = (await device('staff', servers)).open({ name: 'restart' });
  const b = (await device('board', servers)).open({ name: 'restart' });
  await Promise.all([k.ready, s.ready, b.ready]);
  const initial = await fill(s, 200);
  let sawOffline = false;
  const run = await burst([[k, 'take', 300], [s, 'serve', 150]], {
    during: async () => {
      await sleep(150);
      await node.stop('SIGKILL'); // a crash: only what is on disk survives
      await until(() => b.status === 'offline', 'the board to say offline', 5_000);
      sawOffline = true;
      assert.equal(await codeOf(k.queueNewNumber()), 'offline', 'no number while offline');
      await node.start();
    },
  });
  assert.ok(sawOffline);
  await until(() => [k, s, b].every((m) => m.status === 'online'), 'every device back online');
  const state = await converged([k, s, b]);
  checkRun(t, state, { initial, ...run }, { devices: 3, faults: 'the hub killed (SIGKILL) mid-run and started again on its data' });
  // And the record goes on.
  const next = await k.queueNewNumber();
  assert.ok(!run.taken.includes(next) && !initial.includes(next));
});

test('a silent hub (frozen, connection still open) is shown offline within 5 seconds, and catches up after', async () => {
  const hub = await hubForTest();
  await configured(hub.servers, 'frozen');
  const k = (await device('kiosk', hub.servers)).open({ name: 'frozen' });
  const s = (await device('staff', hub.servers)).open({ name: 'frozen' });
  await Promise.all([k.ready, s.ready]);
  await k.queueNewNumber();
  const pid = hub.node.pid;
  process.kill(pid, 'SIGSTOP');
  try {
    await until(() => k.status === 'offline' && s.status === 'offline', 'offline', 5_000);
    assert.equal(await codeOf(k.queueNewNumber()), 'offline');
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  await until(() => k.status === 'online' && s.status === 'online', 'online again');
  assert.equal(await s.queueNewNumber(), 2);
  await converged([k, s]);
});

test('a cluster node killed mid-run: nothing lost, nothing duplicated', async (t) => {
  const cluster = await startCluster();
  cleanups.push(() => cluster.close());
  const { servers, nodes } = cluster;
  await configured(servers, 'cluster');
  // Each device starts on another node, so killing one drops some of them.
  const rotate = (i) => [...servers.slice(i), ...servers.slice(0, i)];
  const options = () => ({ callTimeout: 20_000, connect: { noRandomize: true } });
  const kA = (await device('kiosk', rotate(0), options())).open({ name: 'cluster' });
  const kB = (await device('kiosk', rotate(1), options())).open({ name: 'cluster' });
  const sA = (await device('staff', rotate(2), options())).open({ name: 'cluster' });
  const b = (await device('board', rotate(1), options())).open({ name: 'cluster' });
  await Promise.all([kA, kB, sA, b].map((m) => m.ready));
  const initial = await fill(sA, 200);
  const run = await burst([[kA, 'take', 200], [kB, 'take', 200], [sA, 'serve', 150]], {
    during: async () => {
      await sleep(150);
      await nodes[0].stop('SIGKILL');
    },
  });
  // A device whose consumer lived on the killed node follows the stream again only once the
  // cluster has elected new leaders: up to 11 s on an idle machine (RELIABILITY.md), more on
  // a loaded one. This test is about what the devices agree on, not how soon.
  const state = await converged([kA, kB, sA, b], { timeoutMs: 60_000 });
  checkRun(t, state, { initial, ...run }, { devices: 4, faults: 'one of three nodes killed (SIGKILL) mid-run' });
  assert.equal(run.taken.length + run.served.length + run.unansweredTakes + run.unansweredServes, 550);
  // The two nodes left go on, and the third rejoins and catches up.
  await nodes[0].start();
  assert.ok(!state.queue.includes(await kA.queueNewNumber()));
});

test('a department that closes (a console locking) deletes its consumer on the hub', async () => {
  const { servers } = await hubForTest();
  await configured(servers, 'leave');
  const admin = await connectAs('admin', servers);
  cleanups.push(() => admin.close());
  const jsm = await jetstreamManager(admin);
  const consumers = async () => (await jsm.streams.info(STREAM)).state.consumer_count;
  const staff = await device('staff', servers);
  const kiosk = await device('kiosk', servers);
  const k = kiosk.open({ name: 'leave' });
  await k.ready;
  // The kiosk's, once the manager's (who configured the department, then left) is gone.
  await until(async () => (await consumers()) === 1, 'one consumer');
  // A console's sign-in and lock, three times: nothing is left behind on the hub.
  for (let i = 0; i < 3; i++) {
    const s = staff.open({ name: 'leave' });
    await s.ready;
    assert.equal(await consumers(), 2);
    assert.equal(await s.queueNewNumber(), i + 1);
    s.close();
    await until(async () => (await consumers()) === 1, 'the closed department\'s consumer to go');
  }
  await until(() => k.state.seq === 4, 'the kiosk to follow the configure and three takes');
  k.close();
  await until(async () => (await consumers()) === 0, 'the last consumer to go');
});

test('the hub refuses what the credentials may not do: a kiosk serving or resetting, a board taking', async () => {
  const { servers } = await hubForTest();
  await configured(servers, 'rights');
  const k = (await device('kiosk', servers)).open({ name: 'rights' });
  const b = (await device('board', servers)).open({ name: 'rights' });
  const s = (await device('staff', servers)).open({ name: 'rights' });
  await Promise.all([k.ready, b.ready, s.ready]);
  assert.equal(await k.queueNewNumber(), 1);
  const seq = k.state.seq;
  assert.equal(await codeOf(k.serveNextQueuedNumber()), 'forbidden');
  assert.equal(await codeOf(k.serveNextQueuedNumber(1)), 'forbidden');
  assert.equal(await codeOf(k.reset()), 'forbidden');
  assert.equal(await codeOf(k.note({ x: 1 })), 'forbidden');
  assert.equal(await codeOf(b.queueNewNumber()), 'forbidden');
  assert.equal(await codeOf(b.wake()), 'forbidden');
  k.resetState(); // a cast: refused quietly
  // Nothing reached the stream: the next operation follows the take directly.
  assert.equal(await s.queueNewNumber(), 2);
  await converged([k, b, s]);
  assert.equal(s.state.seq, seq + 1);
  assert.deepEqual(s.state.queue, [1, 2]);
  // Raw NATS with the same credentials is refused too: the page does not decide this, the hub does.
  const raw = await connectAs('kiosk', servers);
  cleanups.push(() => raw.close());
  await assert.rejects(jetstream(raw).publish(subject('rights', 'serve'), '{}'), /Permissions Violation/);
  await assert.rejects(jetstreamManager(raw).then((jsm) => jsm.streams.purge(STREAM)), /Permissions Violation/);
  const kv = await new Kvm(raw).open(BUCKET, { allow_direct: true });
  await assert.rejects(kv.put('rights', '{}'), /Permissions Violation/);
  // Staff may do all of it.
  assert.equal(await s.serveNextQueuedNumber(2), 2);
  await s.reset();
  await converged([k, b, s]);
  assert.deepEqual((await k.reportState()).queue, []);
});

test('a message that is not a valid operation is applied as nothing, the same way on every device', async () => {
  const { servers } = await hubForTest();
  await configured(servers, 'junk');
  const kioskDevice = await device('kiosk', servers);
  const k = kioskDevice.open({ name: 'junk' });
  const b = (await device('board', servers)).open({ name: 'junk' });
  await Promise.all([k.ready, b.ready]);
  assert.equal(await k.queueNewNumber(), 1);
  const raw = await connectAs('kiosk', servers);
  cleanups.push(() => raw.close());
  const js = jetstream(raw);
  const config = { minNumber: 1, maxNumber: 1_000_000, autoShutdownTimeout: Infinity };
  for (const junk of ['', 'take', '{}', '[]', JSON.stringify({ v: 2 }),
    encodeOperation({ id: 'x', rules: '1.0.0', config: { ...config, minNumber: 5, maxNumber: 2 } }),
    encodeOperation({ id: 'y', rules: '1.0.0', config, arg: 7 }), // a take with an argument
    JSON.stringify({ v: 1, id: 'z', rules: '1.0.0', config: { ...config, autoShutdownTimeout: null }, op: 'serve' })]) {
    await js.publish(subject('junk', 'take'), junk);
  }
  assert.equal(await k.queueNewNumber(), 3, 'the last junk message was a valid take (the op field means nothing)');
  const state = await converged([k, b]);
  assert.deepEqual(state.queue, [1, 2, 3]);
  assert.deepEqual(eventsOf(state, 'take'), [1, 2, 3]);
  // Bad input on the device is refused before it is sent, and changes nothing.
  for (const bad of ['1', null, 1.5, Number.MAX_SAFE_INTEGER + 1, NaN, {}]) {
    assert.equal(await codeOf(k.serveNextQueuedNumber(bad)), 'invalid_argument', String(bad));
  }
  assert.equal(await codeOf(k.note(() => {})), 'invalid_argument');
  assert.equal(await codeOf(k.note({ when: new Date() })), 'invalid_argument');
  for (const options of [{ name: 'a.b' }, { name: '' }, { name: 'x', minNumber: 3, maxNumber: 2 }, { name: 'x', autoShutdownTimeout: -1 }]) {
    assert.throws(() => kioskDevice.open(options), (e) => e.code === 'invalid_configuration', JSON.stringify(options));
  }
});

test('idle shutdown is decided by the hub\'s timestamps: an early tick changes nothing, a device\'s clock none', async () => {
  const { servers } = await hubForTest();
  await configured(servers, 'idle', { autoShutdownTimeout: 400 });
  // This device's clock is ten minutes fast; it must not switch the department off early.
  const fast = () => Date.now() + 600_000;
  const k = (await device('kiosk', servers, { now: fast })).open({ name: 'idle', autoShutdownTimeout: 400 });
  const b = (await device('board', servers)).open({ name: 'idle', autoShutdownTimeout: 400 });
  await Promise.all([k.ready, b.ready]);
  assert.equal(await k.queueNewNumber(), 1);
  const taken = k.state.seq;
  // A tick right away, as a device whose clock is wrong would send: the hub's time says no.
  const raw = await connectAs('kiosk', servers);
  cleanups.push(() => raw.close());
  const config = { minNumber: 1, maxNumber: 1_000_000, autoShutdownTimeout: 400 };
  await jetstream(raw).publish(subject('idle', 'tick'), encodeOperation({ id: 'early', rules: '1.0.0', config }));
  await until(() => b.state.seq === taken + 1, 'the tick to be applied');
  assert.equal(b.state.asleep, false, 'an early tick does not switch the department off');
  assert.deepEqual(b.state.queue, [1]);
  // Then nobody does anything: the kiosk ticks after the deadline, and every device agrees.
  await until(() => k.state.asleep && b.state.asleep, 'the department to switch off', 5_000);
  const take = k.state.record.events.find((e) => e.type === 'take');
  const shutdown = k.state.record.events.find((e) => e.type === 'shutdown');
  assert.equal(shutdown.at, take.at + 400, 'switched off at the last activity plus the timeout, by the hub\'s clock');
  assert.deepEqual(b.state.record, k.state.record);
  assert.equal(await k.queueNewNumber(), 1, 'a take wakes a fresh department');
  await converged([k, b]);
  assert.deepEqual(b.state.record.events.map((e) => e.type), ['take', 'shutdown', 'wake', 'take']);
});

test('a department nobody touches starts its day at its opening by the kiosk\'s tick: once, on every device, and on one that joins later', async () => {
  const { servers } = await hubForTest();
  const manager = (await device(MANAGER, servers)).open({ name: 'opening' });
  const k = (await device('kiosk', servers)).open({ name: 'opening' });
  const b = (await device('board', servers)).open({ name: 'opening' });
  await Promise.all([manager.ready, k.ready, b.ready]);
  // An opening two seconds ahead, to the second; on a machine so slow that the takes come after
  // it (it has passed already, before them), another.
  let opening;
  do {
    await manager.configure({ ...RANGE, opening: { time: new Date(Date.now() + 2000).toISOString().slice(11, 19), timeZone: 'UTC' } });
    await until(() => k.status === 'online', 'the kiosk to see the configuration');
    await k.queueNewNumber();
    await k.queueNewNumber();
    opening = k.state.nextOpening;
  } while (opening - Date.now() > 60_000);
  manager.close(); // the kiosk alone may tick now: a board's credentials cannot
  await until(() => k.state.lastOpening === opening && b.state.lastOpening === opening, 'the opening to pass with nobody touching the department');
  const late = (await device('staff', servers)).open({ name: 'opening' });
  const state = await converged([k, b, late]);
  assert.deepEqual(state.record.events.filter((e) => e.at === opening), [{ type: 'reset', reason: 'opening', at: opening }]);
  assert.deepEqual(state.record.events.at(-1), { type: 'reset', reason: 'opening', at: opening }, 'after the takes');
  assert.deepEqual(state.queue, []);
  assert.equal(state.rules, '1.0.0', 'the rules stay');
  assert.equal(await late.queueNewNumber(), 1);
});

// The department switches off after this long idle: long enough that the steps meant to run
// while it is on (opening a device, a few calls) fit on a loaded 2-core machine; a run in CI
// took over 500 ms for one of them and saw the department start over.
const IDLE_MS = 2_000;
test('mixed releases: a device never applies other rules than the record\'s; only staff move a record to newer rules', async () => {
  const { servers } = await hubForTest();
  await configured(servers, 'mixed', { autoShutdownTimeout: IDLE_MS });
  const old = (await device('staff', servers, { rules: '1.0.0' })).open({ name: 'mixed', autoShutdownTimeout: IDLE_MS });
  await old.ready;
  assert.equal(await old.queueNewNumber(), 1);
  const fresh = (await device('kiosk', servers, { rules: '1.1.0' })).open({ name: 'mixed', autoShutdownTimeout: IDLE_MS });
  const older = (await device('kiosk', servers, { rules: '0.9.0' })).open({ name: 'mixed', autoShutdownTimeout: IDLE_MS });
  await Promise.all([fresh.ready, older.ready]);
  assert.equal(fresh.status, 'needs-update');
  assert.equal(fresh.state.rules, '1.0.0');
  assert.equal(older.status, 'needs-update');
  // While the department is on, the newer device's take is refused by every device alike.
  assert.equal(await codeOf(fresh.queueNewNumber()), 'needs_update');
  assert.equal(await codeOf(older.queueNewNumber()), 'needs_update', 'an older device cannot even try');
  assert.equal(await codeOf(fresh.reportState()), 'needs_update');
  assert.equal(await old.queueNewNumber(), 2, 'the record goes on under its own rules');
  // Idle: a kiosk's take still cannot move the record (a kiosk's credentials are on a public screen).
  await until(() => old.state.asleep, 'the department to switch off', IDLE_MS + 5_000);
  assert.equal(await codeOf(fresh.queueNewNumber()), 'needs_update');
  await until(() => old.state.seq === fresh.state.seq, 'the old device to apply the refused take');
  assert.equal(old.state.rules, '1.0.0');
  assert.deepEqual(old.state.refusals.slice(0, 2).map(({ kind, rules, code }) => [kind, rules, code]),
    [['take', '1.1.0', 'needs_update'], ['take', '1.1.0', 'needs_update']], 'each refused take is listed for staff');
  // A staff reset from the newer release does, at once.
  const freshStaff = (await device('staff', servers, { rules: '1.1.0' })).open({ name: 'mixed', autoShutdownTimeout: IDLE_MS });
  await freshStaff.ready;
  await freshStaff.reset();
  assert.equal(await fresh.queueNewNumber(), 1);
  assert.equal(fresh.status, 'online');
  await until(() => old.state.seq === fresh.state.seq, 'the old device to follow');
  assert.equal(old.status, 'needs-update');
  assert.equal(old.state.rules, '1.1.0');
  assert.deepEqual([old.state.minNumber, old.state.autoShutdownTimeout], [1, IDLE_MS], 'the configuration stays the manager\'s');
  assert.equal(await codeOf(old.queueNewNumber()), 'needs_update', 'rules never go back by themselves');
  // Not even by a reset from an older build that publishes anyway: every device refuses it.
  const raw = await connectAs('staff', servers);
  cleanups.push(() => raw.close());
  const config = { minNumber: 1, maxNumber: 1_000_000, autoShutdownTimeout: IDLE_MS };
  const before = fresh.state.seq;
  await jetstream(raw).publish(subject('mixed', 'reset'), encodeOperation({ id: 'old-reset', rules: '1.0.0', config }));
  await until(() => fresh.state.seq > before && old.state.seq === fresh.state.seq, 'the old reset to be applied');
  assert.equal(fresh.state.rules, '1.1.0');
  assert.deepEqual(fresh.state.queue, [1], 'the older reset changed nothing');
  // Rules nobody runs (a mistake, or a staff account misused): staff bring the department back
  // from the console of the release they run, with a reclaim.
  await jetstream(raw).publish(subject('mixed', 'reset'), encodeOperation({ id: 'bogus-reset', rules: '999.0.0', config }));
  await until(() => fresh.state.rules === '999.0.0', 'the bogus rules to take over');
  assert.equal(fresh.status, 'needs-update');
  assert.equal(await codeOf(freshStaff.reset()), 'needs_update', 'a reset cannot go back');
  await freshStaff.reclaim();
  await until(() => fresh.status === 'online', 'the kiosk to apply the reclaim');
  assert.equal(await fresh.queueNewNumber(), 1);
  assert.equal(fresh.state.epoch, 4, 'four starts: 1.0.0, 1.1.0, 999.0.0, 1.1.0 again');
});

test('kiosk and board credentials cannot take a department over: newer rules and other ranges are refused on unused, idle and busy departments', async () => {
  const { servers } = await hubForTest();
  const IDLE = 1_500;
  const ranges = {
    unused: { minNumber: 100, maxNumber: 199, autoShutdownTimeout: Infinity },
    idle: { minNumber: 200, maxNumber: 299, autoShutdownTimeout: IDLE },
    busy: { minNumber: 300, maxNumber: 399, autoShutdownTimeout: Infinity },
  };
  for (const [name, range] of Object.entries(ranges)) await configured(servers, name, range);
  const kiosk = await device('kiosk', servers);
  const machines = Object.fromEntries(Object.entries(ranges).map(([name, range]) => [name, kiosk.open({ name, ...range })]));
  await Promise.all(Object.values(machines).map((m) => m.ready));
  assert.deepEqual([await machines.busy.queueNewNumber(), await machines.busy.queueNewNumber()], [300, 301]);
  assert.equal(await machines.idle.queueNewNumber(), 200);
  await until(() => machines.idle.state.asleep, 'the idle department to switch off', IDLE + 5_000);

  // The attacker holds the kiosk's and the board's credentials (a public touch screen, a wall TV).
  const [kioskConnection, boardConnection] = [await connectAs('kiosk', servers), await connectAs('board', servers)];
  cleanups.push(() => kioskConnection.close(), () => boardConnection.close());
  const [asKiosk, asBoard] = [jetstream(kioskConnection), jetstream(boardConnection)];
  const tiny = { minNumber: 1, maxNumber: 2, autoShutdownTimeout: Infinity };
  const attacks = (name) => [
    ['take', '999.0.0', tiny], ['wake', '999.0.0', tiny], ['take', '999.0.0', ranges[name]],
    ['take', '1.0.0', tiny], ['wake', '1.0.0', tiny], ['send', '999.0.0', tiny],
  ];
  let id = 0;
  for (const name of [...Object.keys(ranges), 'never-configured']) {
    for (const [kind, rules, config] of attacks(name in ranges ? name : 'unused')) {
      const payload = encodeOperation({ id: `attack-${id += 1}`, rules, config });
      await asKiosk.publish(subject(name, kind), payload); // stored: a kiosk may publish a take...
      await assert.rejects(asBoard.publish(subject(name, kind), payload), /Permissions Violation/, 'a board publishes nothing');
    }
    // ...but never what sets a configuration or rules.
    for (const kind of ['configure', 'reclaim', 'reset']) {
      await assert.rejects(asKiosk.publish(subject(name, kind), encodeOperation({ id: `attack-${id += 1}`, rules: '999.0.0', config: tiny })),
        /Permissions Violation/, `a kiosk cannot ${kind}`);
    }
  }

  // The legitimate kiosk goes on in each department, in its configured range, under its rules.
  assert.equal(await machines.unused.queueNewNumber(), 100);
  assert.equal(await machines.idle.queueNewNumber(), 200, 'the idle department wakes afresh, in its own range');
  assert.equal(await machines.busy.queueNewNumber(), 302);
  for (const [name, machine] of Object.entries(machines)) {
    assert.equal(machine.status, 'online', name);
    assert.deepEqual([machine.state.rules, machine.state.minNumber, machine.state.maxNumber], ['1.0.0', ranges[name].minNumber, ranges[name].maxNumber], name);
    assert.deepEqual(machine.state.refusals.map(({ kind, rules, code }) => [kind, rules, code]).reverse().slice(0, 6), [
      ['take', '999.0.0', 'needs_update'], ['wake', '999.0.0', 'needs_update'], ['take', '999.0.0', 'needs_update'],
      ['take', '1.0.0', 'configuration_mismatch'], ['wake', '1.0.0', 'configuration_mismatch'], ['send', '999.0.0', 'needs_update'],
    ], `${name}: every attempt is listed for staff`);
  }
  // A department nobody configured yet refuses everything until a manager configures it.
  const later = kiosk.open({ name: 'never-configured', minNumber: 500, maxNumber: 599 });
  await later.ready;
  assert.equal(later.status, 'not-configured');
  assert.equal(await codeOf(later.queueNewNumber()), 'not_configured');
  await configured(servers, 'never-configured', { minNumber: 500, maxNumber: 599 });
  await until(() => later.status === 'online', 'the department to be configured');
  assert.equal(await later.queueNewNumber(), 500);
  assert.equal(later.state.rules, '1.0.0');
});

test('a device with another number range cannot mix its numbers into the record', async () => {
  const { servers } = await hubForTest();
  await configured(servers, 'ranges', { minNumber: 1, maxNumber: 99 });
  const a = (await device('staff', servers)).open({ name: 'ranges', minNumber: 1, maxNumber: 99 });
  await a.ready;
  assert.equal(await a.queueNewNumber(), 1);
  const b = (await device('kiosk', servers)).open({ name: 'ranges', minNumber: 100, maxNumber: 199 });
  await b.ready;
  assert.equal(b.status, 'online', 'it follows the record, whose range it shows');
  assert.equal(b.state.maxNumber, 99);
  assert.equal(await codeOf(b.queueNewNumber()), 'configuration_mismatch');
  assert.equal(await a.queueNewNumber(), 2);
  assert.deepEqual(a.state.queue, [1, 2]);
});

test('calls made before the record is read wait for it; close() rejects what is unanswered', async () => {
  const { servers } = await hubForTest();
  await configured(servers, 'early');
  const d = await device('kiosk', servers);
  const m = d.open({ name: 'early' });
  const first = m.queueNewNumber(); // before ready
  assert.equal(await first, 1);
  const other = d.open({ name: 'early' });
  other.close();
  assert.equal(await codeOf(other.queueNewNumber()), 'closed');
  assert.equal(other.status, 'closed');
  // Closed while calls still wait for the record (a console locked at once): they end as
  // 'closed' then, not as 'offline' once their time is up, and nobody waits on `ready`.
  const slow = await device('kiosk', servers, { callTimeout: 3000 });
  const leaving = slow.open({ name: 'early' });
  const waiting = [leaving.queueNewNumber(), leaving.reportState()];
  leaving.close();
  assert.deepEqual(await Promise.all(waiting.map(codeOf)), ['closed', 'closed']);
  await leaving.ready;
});
