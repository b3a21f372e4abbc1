// The shared machine (js/shared/) in Node: real BroadcastChannels and the real package's
// Machine, with simulated windows (tests/support/windows.mjs) that can close or crash at
// chosen moments. The same layer runs in Chromium in tests/e2e/shared.test.mjs.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { Machine } from '../../../pkg/node.js';
import { SharedMachine, RETRY_MS } from '../../../js/shared/client.js';
import { Host } from '../../../js/shared/host.js';
import { request, hello, parse, channelName, PROTOCOL } from '../../../js/shared/protocol.js';
import { FORMAT } from '../../../js/shared/snapshot.js';
import { MemoryStore } from '../../../js/shared/store.js';
import { World } from '../../support/windows.mjs';
import { assertExactlyOnce } from '../../support/invariants.mjs';
import { sleep, until, codeOf } from '../../support/wait.mjs';

let opened = [];
let names = 0;

afterEach(() => {
  for (const machine of opened) machine.close();
  opened = [];
});

/** A record that logs every event, to check what the host applied and in which order. */
const logRecord = {
  initial: () => ({ events: [] }),
  apply: (record, event) => ({ events: [...record.events, event] }),
  check: (record) => Array.isArray(record?.events),
};

function open(window, options = {}) {
  const machine = new SharedMachine({ name: `test-${names}`, minNumber: 1, maxNumber: 9999, ...options },
    { Machine, ...window.deps });
  opened.push(machine);
  return machine;
}

/** A fresh name for each test, so channels of one test never reach another's. */
function fresh() {
  names += 1;
  return new World();
}




/** A window hosting a machine that logs its events, and a second window using it. */
async function hostAndClient() {
  const world = fresh();
  const hostWindow = world.window();
  const host = open(hostWindow, { record: logRecord });
  await host.ready;
  const client = open(world.window(), { record: logRecord });
  await client.ready;
  return { hostWindow, host, client };
}

test('two windows share one machine: their tickets come from one sequence', async () => {
  const world = fresh();
  const a = open(world.window());
  const b = open(world.window());
  await Promise.all([a.ready, b.ready]);
  assert.equal(a.isHost !== b.isHost, true, 'exactly one window hosts');
  const numbers = [];
  for (let i = 0; i < 5; i++) {
    numbers.push(await a.queueNewNumber(), await b.queueNewNumber());
  }
  assert.deepEqual(numbers, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(await b.serveNextQueuedNumber(), 1);
  assert.equal(await a.serveNextQueuedNumber(7), 7);
  await until(() => a.state.seq === b.state.seq, 'both windows to see the same state');
  assert.deepEqual(a.state.queue, [2, 3, 4, 5, 6, 8, 9, 10]);
  assert.deepEqual(b.state.queue, a.state.queue);
  assert.deepEqual(await b.reportState(), { minNumber: 1, maxNumber: 9999, queue: [2, 3, 4, 5, 6, 8, 9, 10], autoShutdownTimeout: Infinity });
});

test('four windows taking and serving at once: no duplicate, no double serve, nothing lost', async () => {
  const world = fresh();
  const windows = [0, 1, 2, 3].map(() => open(world.window()));
  await Promise.all(windows.map((w) => w.ready));
  const initial = [];
  for (let i = 0; i < 100; i++) initial.push(await windows[0].queueNewNumber());
  const taken = [];
  const served = [];
  await Promise.all(windows.map(async (w, i) => {
    for (let round = 0; round < 50; round++) {
      if (i % 2 === 0) taken.push(await w.queueNewNumber());
      else served.push(await w.serveNextQueuedNumber());
    }
  }));
  const { queue } = await windows[3].reportState();
  assertExactlyOnce({ initial: initial.slice(0), taken, served, queue });
  assert.equal(taken.length + served.length, 200);
});

test('the host window closing mid-run loses nothing: another window takes over and carries on', async () => {
  const world = fresh();
  const windows = [0, 1, 2].map(() => open(world.window()));
  await Promise.all(windows.map((w) => w.ready));
  const taken = [];
  let unanswered = 0;
  const runs = windows.map(async (w) => {
    for (let i = 0; i < 40; i++) {
      try {
        taken.push(await w.queueNewNumber());
      } catch (error) {
        if (error.code !== 'closed') throw error; // the closed window's own last call
        unanswered += 1;
        return;
      }
    }
  });
  await until(() => taken.length >= 20, '20 tickets');
  const host = windows.find((w) => w.isHost);
  host.close();
  await Promise.all(runs);
  const survivor = windows.find((w) => w !== host);
  await until(() => windows.some((w) => w !== host && w.isHost), 'a new host');
  const { queue } = await survivor.reportState();
  assertExactlyOnce({ taken, served: [], queue, unanswered });
  assert.ok(unanswered <= 1);
  assert.ok(taken.length >= 80, `the survivors carried on (${taken.length} tickets)`);
});

test('the host crashing after writing but before answering: the retried request is answered, not applied twice', async () => {
  const { hostWindow, client } = await hostAndClient();
  assert.equal(await client.queueNewNumber(), 1);
  // The next write commits, and the host dies before anyone hears of it.
  hostWindow.afterSave = async () => hostWindow.crash();
  const answer = client.queueNewNumber();
  assert.equal(await answer, 2, 'the answer the dead host had written');
  assert.equal(client.isHost, true, 'the client window took over');
  assert.equal(await client.queueNewNumber(), 3);
  const takes = client.state.record.events.filter((e) => e.type === 'take').map((e) => e.number);
  assert.deepEqual(takes, [1, 2, 3], 'each take applied exactly once');
});

test('the host crashing before its write commits: the request is applied once, by the next host', async () => {
  const { hostWindow, client } = await hostAndClient();
  assert.equal(await client.queueNewNumber(), 1);
  hostWindow.beforeSave = async () => hostWindow.crash();
  assert.equal(await client.serveNextQueuedNumber(), 1);
  assert.equal(await client.queueNewNumber(), 1, 'the queue was empty again: numbering restarts');
  const kinds = client.state.record.events.map((e) => `${e.type}${e.number ?? ''}`);
  assert.deepEqual(kinds, ['take1', 'serve1', 'take1']);
});

test("a window's requests apply in the order it made them, even across a takeover", async () => {
  const { hostWindow, client } = await hostAndClient();
  // Ten requests in flight when the host dies, before any of them is written.
  hostWindow.beforeSave = async () => hostWindow.crash();
  const calls = [];
  for (let i = 0; i < 5; i++) calls.push(client.queueNewNumber(), client.serveNextQueuedNumber());
  const answers = await Promise.all(calls);
  assert.deepEqual(answers, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  const kinds = client.state.record.events.map((e) => e.type);
  assert.deepEqual(kinds, ['take', 'serve', 'take', 'serve', 'take', 'serve', 'take', 'serve', 'take', 'serve']);
});

test('a new host drops a request that overtook an earlier one, until the client resends both in order', async () => {
  const store = new MemoryStore();
  const posted = [];
  const host = new Host({
    name: 'order', config: () => ({ minNumber: 1, maxNumber: 99, autoShutdownTimeout: Infinity }), Machine, store,
    record: logRecord, post: (message) => posted.push(message),
  });
  await host.start();
  const config = { minNumber: 1, maxNumber: 99, autoShutdownTimeout: Infinity };
  // Request 1 went to the previous host and was lost; request 2 arrives first.
  host.receive(request('c', 2, 1, 'serve', undefined, config));
  await sleep(20);
  assert.deepEqual(posted.filter((m) => m.kind === 'reply'), [], 'request 2 is not applied before request 1');
  host.receive(request('c', 1, 1, 'take', undefined, config));
  host.receive(request('c', 2, 1, 'serve', undefined, config));
  await sleep(20);
  const replies = posted.filter((m) => m.kind === 'reply').map((m) => [m.seq, m.outcome]);
  assert.deepEqual(replies, [[1, { ok: true, value: 1 }], [2, { ok: true, value: 1 }]]);
  // A duplicate of an answered request gets the same answer again and changes nothing.
  host.receive(request('c', 1, 1, 'take', undefined, config));
  await sleep(20);
  assert.deepEqual(posted.filter((m) => m.kind === 'reply').at(-1), { protocol: PROTOCOL, kind: 'reply', client: 'c', seq: 1, outcome: { ok: true, value: 1 } });
  assert.deepEqual(host.view().record.events.map((e) => e.type), ['take', 'serve']);
  // The same for a client the host knows: 4 overtakes 3, and waits for it.
  host.receive(request('c', 4, 3, 'serve', undefined, config));
  await sleep(20);
  assert.equal(posted.filter((m) => m.kind === 'reply').length, 3, 'request 4 waits for request 3');
  host.receive(request('c', 3, 3, 'take', undefined, config));
  host.receive(request('c', 4, 3, 'serve', undefined, config));
  await sleep(20);
  assert.deepEqual(host.view().record.events.map((e) => e.type), ['take', 'serve', 'take', 'serve']);
  host.close();
});

test('idle shutdown: the one machine switches off, every window sees it, and a take wakes it afresh', async () => {
  const world = fresh();
  const a = open(world.window(), { autoShutdownTimeout: 100 });
  const b = open(world.window(), { autoShutdownTimeout: 100 });
  await Promise.all([a.ready, b.ready]);
  assert.equal(await a.queueNewNumber(), 1);
  assert.equal(await b.queueNewNumber(), 2);
  await until(() => a.state.asleep && b.state.asleep, 'both windows to see the shutdown', 5000);
  assert.deepEqual(b.state.queue, []);
  assert.equal(a.alive, false);
  assert.deepEqual(await b.reportState(), { minNumber: 1, maxNumber: 9999, queue: [], autoShutdownTimeout: 100 },
    'reading does not switch it on');
  assert.equal(b.state.asleep, true);
  assert.equal(await b.queueNewNumber(), 1, 'a fresh machine');
  await until(() => !a.state.asleep, 'the wake to reach the other window');
});

test('a record whose idle time ran out while no window hosted it starts switched off', async () => {
  const world = fresh();
  let clock = 1_000_000;
  const now = () => clock;
  const first = world.window();
  const a = new SharedMachine({ name: `test-${names}`, minNumber: 1, maxNumber: 99, autoShutdownTimeout: 60_000 },
    { Machine, ...first.deps, now });
  await a.ready;
  assert.equal(await a.queueNewNumber(), 1);
  a.close();
  clock += 61_000; // every window closed for longer than the timeout
  const b = new SharedMachine({ name: `test-${names}`, minNumber: 1, maxNumber: 99, autoShutdownTimeout: 60_000 },
    { Machine, ...world.window().deps, now });
  opened.push(b);
  await b.ready;
  assert.equal(b.state.asleep, true);
  assert.deepEqual(b.state.queue, []);
  // Closed again before the timeout: the next host restores the queue.
  assert.equal(await b.queueNewNumber(), 1);
  b.close();
  clock += 59_000;
  const c = new SharedMachine({ name: `test-${names}`, minNumber: 1, maxNumber: 99, autoShutdownTimeout: 60_000 },
    { Machine, ...world.window().deps, now });
  opened.push(c);
  await c.ready;
  assert.equal(c.state.asleep, false);
  assert.deepEqual(c.state.queue, [1]);
});

test('an opening that came while no window hosted the department is passed as of its time when the next one starts', async () => {
  const world = fresh();
  const day = Date.parse('2026-03-10T06:30:00Z'); // 07:30 in Madrid
  let clock = day - 3600_000;
  const now = () => clock;
  const options = { name: `test-${names}`, minNumber: 1, maxNumber: 99, record: logRecord, opening: { time: '07:30', timeZone: 'Europe/Madrid' } };
  const start = () => {
    const machine = new SharedMachine(options, { Machine, ...world.window().deps, now });
    opened.push(machine);
    return machine;
  };
  const a = start();
  await a.ready;
  assert.equal(a.state.nextOpening, day);
  await a.queueNewNumber();
  await a.queueNewNumber();
  a.close();
  clock = day + 1800_000; // every window closed over the opening
  const b = start();
  await b.ready;
  assert.deepEqual(b.state.queue, []);
  assert.deepEqual(b.state.record.events.map(({ type, reason, at }) => [type, reason, at]),
    [['take', undefined, day - 3600_000], ['take', undefined, day - 3600_000], ['reset', 'opening', day]]);
  assert.deepEqual([b.state.lastOpening, b.state.nextOpening], [day, day + 24 * 3600_000]);
  assert.equal(await b.queueNewNumber(), 1);
  b.close();
  // A save of an earlier release (no opening, no opening times): the window's opening is
  // configured at the start, and the first one falls next, from then on.
  const stored = await world.store.load(options.name);
  delete stored.opening;
  delete stored.nextOpening;
  delete stored.lastOpening;
  await world.store.save(options.name, stored);
  clock = day + 24 * 3600_000 - 600_000;
  const c = start();
  await c.ready;
  assert.deepEqual([c.state.queue, c.state.opening, c.state.nextOpening], [[1], { ...options.opening, waiting: 'clear' }, day + 24 * 3600_000]);
  clock += 601_000;
  assert.equal(await c.queueNewNumber(), 1, 'ticket 1 of the day before cleared first');
  assert.deepEqual(c.state.record.events.slice(-2).map(({ type, reason }) => [type, reason]), [['reset', 'opening'], ['take', undefined]]);
});

test('state survives every window closing (a browser restart), and the record comes with it', async () => {
  const world = fresh();
  const kiosk = { initial: () => ({ nowServing: null }), apply: (r, e) => (e.type === 'serve' ? { nowServing: e.number } : r), check: () => true };
  const a = open(world.window(), { record: kiosk });
  await a.ready;
  await a.queueNewNumber();
  await a.queueNewNumber();
  await a.serveNextQueuedNumber();
  a.close();
  const b = open(world.window(), { record: kiosk });
  await b.ready;
  assert.deepEqual(b.state.queue, [2]);
  assert.deepEqual(b.state.record, { nowServing: 1 });
  assert.equal(await b.queueNewNumber(), 3);
});

test('a damaged or foreign stored record is dropped with a notice, and numbering starts afresh', async () => {
  for (const [damage, notice] of [
    [() => 'not an object', /not a saved machine/],
    [(s) => ({ ...s, minNumber: 'x' }), /number range is damaged/],
    // Without a desk (a save of an earlier release) the queue is the state: its numbers must fit.
    [({ desk, ...s }) => ({ ...s, minNumber: 5 }), /could not be restored \(invalid_configuration\)/], // the queue is outside it
    [({ desk, ...s }) => ({ ...s, queue: [3, 3] }), /could not be restored \(invalid_configuration\)/],
    [(s) => ({ ...s, queue: ['1'] }), /not a list of numbers/],
    // With one, the desk must wait as the queue says, and the Machine must take it.
    [(s) => ({ ...s, queue: [3, 3] }), /at counters and in groups are damaged/],
    [(s) => ({ ...s, queue: [1, 1], desk: { ...s.desk, waiting: [s.desk.waiting[0], s.desk.waiting[0]] } }), /could not be restored \(invalid_configuration\)/],
    [(s) => ({ ...s, desk: { ...s.desk, now: 0 } }), /could not be restored \(invalid_configuration\)/], // tickets from the future
    [(s) => ({ ...s, clients: [{ id: 7 }] }), /request log is damaged/],
    [(s) => ({ ...s, record: { events: 'x' } }), /record is damaged/],
  ]) {
    const world = fresh();
    const a = open(world.window(), { record: logRecord });
    await a.ready;
    await a.queueNewNumber();
    await a.queueNewNumber();
    a.close();
    const name = `test-${names}`;
    await world.store.save(name, damage(await world.store.load(name)));
    const b = open(world.window(), { record: logRecord });
    await b.ready;
    assert.equal(b.state.notices.length, 1, JSON.stringify(b.state.notices));
    assert.match(b.state.notices[0].text, notice);
    assert.equal(await b.queueNewNumber(), 1);
  }
});

test('a seed (an earlier version\'s save) is used once, and committed only after the record holds it', async () => {
  const world = fresh();
  const commits = [];
  const seed = () => ({ queue: [5, 6], record: { events: [] }, notice: 'carried over', commit: () => commits.push(world) });
  const a = open(world.window(), { record: logRecord, seed });
  await a.ready;
  assert.deepEqual(a.state.queue, [5, 6]);
  assert.equal(a.state.notices[0].text, 'carried over');
  assert.equal(commits.length, 1);
  assert.ok((await world.store.load(`test-${names}`)).queue.length === 2, 'written before the commit');
  assert.equal(await a.queueNewNumber(), 7);
  a.close();
  const b = open(world.window(), { record: logRecord, seed });
  await b.ready;
  assert.equal(commits.length, 1, 'not seeded again');
  assert.deepEqual(b.state.queue, [5, 6, 7]);
});

test('windows with another configuration are refused, not mixed into the record, and see the record\'s', async () => {
  const world = fresh();
  const a = open(world.window(), { maxNumber: 99 });
  await a.ready;
  const b = open(world.window(), { maxNumber: 50 });
  assert.equal(await codeOf(b.queueNewNumber()), 'configuration_mismatch');
  assert.equal(b.state.maxNumber, 99, 'the record\'s range is shown, not the window\'s');
  assert.equal(await a.queueNewNumber(), 1);
  assert.deepEqual(a.state.refusals.map(({ kind, code }) => [kind, code]), [['take', 'configuration_mismatch']]);
});

test('a window of an edited configuration takes over: its range applies once the waiting tickets fit, none is lost', async () => {
  const world = fresh();
  const a = open(world.window(), { maxNumber: 99, record: logRecord });
  await a.ready;
  for (let i = 0; i < 3; i++) await a.queueNewNumber();
  a.close();
  const b = open(world.window(), { minNumber: 60, maxNumber: 70, record: logRecord });
  await b.ready;
  await until(() => b.state.pending !== null, 'the new host to configure the record');
  assert.deepEqual([b.state.minNumber, b.state.maxNumber, b.state.queue], [1, 99, [1, 2, 3]], 'the tickets waiting keep their numbers');
  assert.equal(await b.queueNewNumber(), 4, 'numbers go on in the range the waiting tickets are in');
  for (const n of [1, 2, 3, 4]) assert.equal(await b.serveNextQueuedNumber(), n);
  assert.deepEqual([b.state.minNumber, b.state.maxNumber, b.state.pending], [60, 70, null], 'applied once the queue is empty');
  assert.equal(await b.queueNewNumber(), 60);
  assert.deepEqual(b.state.record.events.map((e) => e.type), ['take', 'take', 'take', 'take', 'serve', 'serve', 'serve', 'serve', 'take'],
    'the record carries on through the change');
});

test('bad input is refused in the window and changes nothing', async () => {
  const world = fresh();
  const a = open(world.window(), { record: logRecord });
  await a.ready;
  await a.queueNewNumber();
  for (const bad of ['1', null, 1.5, Number.MAX_SAFE_INTEGER + 1, NaN, {}, [1], true]) {
    assert.equal(await codeOf(a.serveNextQueuedNumber(bad)), 'invalid_argument', String(bad));
  }
  assert.equal(await codeOf(a.serveNextQueuedNumber(undefined, () => {})), 'invalid_argument', 'details must be cloneable');
  assert.equal(await codeOf(a.note(Symbol('x'))), 'invalid_argument');
  a.send(() => {}); // not cloneable: still activity, no throw
  assert.deepEqual(a.state.queue, [1]);
  assert.deepEqual((await a.reportState()).queue, [1]);
  assert.deepEqual(a.state.record.events.map((e) => e.type), ['take']);
  for (const options of [null, 7, {}, { name: '', minNumber: 1, maxNumber: 2 }, { name: 'x y', minNumber: 1, maxNumber: 2 },
    { name: 'x', minNumber: 2, maxNumber: 1 }, { name: 'x', minNumber: 1, maxNumber: 2, autoShutdownTimeout: -1 },
    { name: 'x', minNumber: 1, maxNumber: 2, autoShutdownTimeout: null }, { name: 'x', minNumber: 1, maxNumber: 2, record: {} }]) {
    assert.throws(() => new SharedMachine(options, { Machine, ...world.window().deps }),
      (e) => e.name === 'MachineError' && e.code === 'invalid_configuration', JSON.stringify(options));
  }
  assert.throws(() => new SharedMachine({ name: 'x', minNumber: 1, maxNumber: 2 }, { Machine, locks: undefined }),
    (e) => e.code === 'unsupported');
});

test('messages that are not of this protocol are ignored by both ends', async () => {
  const world = fresh();
  const a = open(world.window());
  await a.ready;
  const stranger = new BroadcastChannel(world.channel(channelName(`test-${names}`)));
  for (const junk of [null, 'take', { kind: 'request' }, { protocol: 2, kind: 'hello', client: 'x' },
    { protocol: PROTOCOL, kind: 'request', client: 'x', seq: 0, ack: 0, op: 'take', config: {} },
    { protocol: PROTOCOL, kind: 'request', client: 'x', seq: 1, ack: 1, op: 'explode', config: {} },
    { protocol: PROTOCOL, kind: 'state', state: { seq: 1e9, queue: 'x' } }]) {
    assert.equal(parse(junk), null, JSON.stringify(junk));
    stranger.postMessage(junk);
  }
  stranger.postMessage(hello('stranger'));
  await sleep(50);
  stranger.close();
  assert.equal(await a.queueNewNumber(), 1);
  assert.deepEqual(a.state.queue, [1]);
});

test('close() rejects what is unanswered with closed, and later calls too', async () => {
  const { hostWindow, client } = await hostAndClient();
  hostWindow.beforeSave = () => new Promise(() => {}); // the host stalls
  const pending = client.queueNewNumber();
  await sleep(20);
  client.close();
  assert.equal(await codeOf(pending), 'closed');
  assert.equal(await codeOf(client.queueNewNumber()), 'closed');
  assert.equal(client.resetState(), undefined);
});

test('the stored snapshot is what snapshot.js describes', async () => {
  const world = fresh();
  const a = open(world.window());
  await a.ready;
  await a.queueNewNumber();
  const stored = await world.store.load(`test-${names}`);
  assert.equal(stored.format, FORMAT);
  assert.deepEqual(stored.queue, [1]);
  assert.equal(stored.clients.length, 1);
  assert.deepEqual(stored.clients[0].results, [[1, { ok: true, value: 1 }]], 'the answer is kept until acknowledged');
  await a.queueNewNumber();
  const again = await world.store.load(`test-${names}`);
  assert.deepEqual(again.clients[0].results, [[2, { ok: true, value: 2 }]], 'acknowledged answers are dropped');
});

test('a window that joins while the host is still writing its start-up record gets the state', async () => {
  const world = fresh();
  const hostWindow = world.window();
  hostWindow.beforeSave = () => new Promise(() => {}); // the host's first write never ends
  const host = open(hostWindow);
  await host.ready; // the host shows the stored state before its write
  const late = open(world.window());
  await late.ready;
  assert.deepEqual(late.state.queue, []);
});

test('a call made before any window hosts is answered once one does, without waiting for the retry', async () => {
  const world = fresh();
  const window = world.window();
  // This window never retries: only the new host's announcement can bring the call through.
  const { setTimeout: later } = window.deps.timers;
  window.deps.timers = { ...window.deps.timers, setTimeout: (fn, ms) => (ms === RETRY_MS ? 0 : later(fn, ms)) };
  const machine = open(window);
  const number = machine.queueNewNumber(); // before the lock is granted: nobody hosts yet
  assert.equal(machine.state, null);
  assert.equal(await number, 1);
});
