// `make bench`, phones following their tickets (issue 24): a real nats-server with the shipped
// configuration on loopback, devices in this process taking and serving with the kiosk's record
// (so they write the public summaries), and 1,000 phones as `visitor` connections in a process
// of their own at the lowest priority (bench/follow-phones.mjs), each with one direct get and one core subscription, as the
// follow page does. The devices' own figures are measured twice in the same run, without the
// phones and with them, and compared: the phones' cost to the facility. A missed target is
// reported, not fatal.
import { fork } from 'node:child_process';
import { setPriority } from 'node:os';
import { readFileSync } from 'node:fs';
import { Machine } from '../pkg/node.js';
import { Hub } from '../js/hub/hub.js';
import { kioskRecord } from '../www/js/model/ticket-record.js';
import { startHub, startEdge, connectAs, configureDepartments } from '../tests/support/nats.mjs';
import { report, measuredOn } from './report.mjs';

const PHONES = 1000;
const RANGE = { minNumber: 1, maxNumber: 999 };
const SERVING = ['counter-a', 'counter-b', 'counter-c'];
const DEPARTMENTS = ['latency', ...SERVING];
const record = kioskRecord({ timeZone: 'UTC' });

const rows = [];
const row = (figure, measured, target, pass) => rows.push({ figure, measured, target, pass });
const fmt = (x, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const now = () => performance.timeOrigin + performance.now();

const hub = await startHub();
// The tap-to-board department's range never runs out during the run.
const WIDE = { minNumber: 1, maxNumber: 1_000_000 };
const rangeOf = (id) => (id === 'latency' ? WIDE : RANGE);
await configureDepartments(hub.servers, DEPARTMENTS.map((id) => ({ id, ...rangeOf(id) })), { rules: '1.0.0' });
const connections = [];
async function device(who) {
  const connection = await connectAs(who, hub.servers);
  connections.push(connection);
  return new Hub({ connection, Machine, rules: '1.0.0' });
}
/** A process's resident memory (MB), as the kernel counts it. */
const rssOf = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

// The phones: one request at a time, each answered by one message.
const phones = fork(new URL('./follow-phones.mjs', import.meta.url));
setPriority(phones.pid, 19);
const ask = (message) => new Promise((resolve) => {
  const on = (answer) => {
    const answers = { join: 'joined', leave: 'left', close: 'closed' };
    if (answer.type !== (answers[message.type] ?? message.type)) return;
    phones.off('message', on);
    resolve(answer);
  };
  phones.on('message', on);
  phones.send(message);
});

// The facility: a kiosk and a board on `latency` (tap to board), and a kiosk and a counter on
// each other department, taking and serving all the time.
const kiosk = (await device('kiosk')).machine({ name: 'latency', ...WIDE, record });
const board = (await device('board')).machine({ name: 'latency', ...WIDE, record });
// Starts the tap-to-board department over before each half: its queue grows by every sample,
// and with it the summary each take writes (a second half on a queue of thousands measured that).
const desk = (await device('staff')).machine({ name: 'latency', ...WIDE, record });
const counters = await Promise.all(SERVING.map(async (name) => ({
  name,
  kiosk: (await device('kiosk')).machine({ name, ...RANGE, record }),
  staff: (await device('staff')).machine({ name, ...RANGE, record }),
})));
await Promise.all([kiosk.ready, board.ready, desk.ready, ...counters.flatMap((c) => [c.kiosk.ready, c.staff.ready])]);

/**
 * Takes and serves in the counters' departments until `stop()`, a take and a call every
 * `2 * pause` ms in each; records each serve's start and seq.
 */
function busy(pause) {
  let running = true;
  const calls = [];
  // A busy line: about 30 waiting (a summary of about 5 kB, with the day's last 100 calls).
  const loops = counters.map(async ({ name, kiosk: k, staff }) => {
    while (staff.state.queue.length < 30) await k.queueNewNumber();
    while (running) {
      await k.queueNewNumber();
      await sleep(pause);
      const start = now();
      await staff.serveNextQueuedNumber(undefined, { counter: '1' });
      calls.push({ department: name, seq: staff.state.seq, start });
      await sleep(pause);
    }
  });
  return { calls, stop: async () => { running = false; await Promise.all(loops); } };
}

/** Tap to board: a take on the kiosk until the board's state shows it, `samples` times. */
async function tapToBoard(samples) {
  for (let i = 0; i < 20; i++) await kiosk.queueNewNumber(); // warm up
  const times = [];
  for (let i = 0; i < samples; i++) {
    const began = performance.now();
    const expected = (await kiosk.reportState()).queue.length + 1;
    const shown = new Promise((resolve) => {
      const stop = board.subscribe((state) => {
        if (state?.queue.length === expected) { stop(); resolve(); }
      });
    });
    await kiosk.queueNewNumber();
    await shown;
    times.push(performance.now() - began);
    await sleep(5);
  }
  return times.sort((a, b) => a - b);
}

const SAMPLES = 800;
const ROUNDS = 4;
try {
  // Every department has a summary before the phones join (the devices wrote them).
  await Promise.all(counters.map((c) => c.kiosk.queueNewNumber()));
  await kiosk.queueNewNumber();
  await sleep(500);

  // Two loads: 10 operations a second in each department (a summary to every phone every 100 ms,
  // far busier than any counter), and 1 a second (a very busy facility). Each is measured in
  // ROUNDS rounds, without the phones then with them, so that a drift of the machine (other
  // work on its two cores) falls on both alike; without/without (even rounds against odd ones)
  // says how far two measurements of the same thing differ here: the noise the ratio sits in.
  // All of it twice: the phones on the hub itself, then on the public edge (hub/edge.conf), a
  // leaf node of its own at a lower priority, as it would be on a computer of its own.
  const LOADS = [{ pause: 100, label: '10 ops/s a department' }, { pause: 500, label: '1 op/s a department' }];
  const edge = await startEdge(hub);
  setPriority(edge.node.pid, 10);
  // The memory counted is the server's the phones connect to: the hub's, or the edge's.
  for (const where of [{ name: 'on the hub', servers: hub.servers, server: 'hub', pid: hub.node.pid },
    { name: 'through the edge', servers: edge.servers, server: 'edge', pid: edge.node.pid }]) {
    await desk.reset();
    const without = LOADS.map(() => []);
    const withPhones = LOADS.map(() => []);
    const noise = LOADS.map(() => [[], []]);
    const calls = [];
    const joins = [];
    let rssWithout = 0;
    let rssWith = 0;
    for (const [i, { pause }] of LOADS.entries()) {
      for (let round = 0; round < ROUNDS; round++) {
        let load = busy(pause);
        const alone = await tapToBoard(SAMPLES / ROUNDS);
        without[i].push(...alone);
        noise[i][round % 2].push(...alone);
        await load.stop();
        // The first join only: a server keeps what it took, so later ones would count nothing.
        if (joins.length === 0) rssWithout = rssOf(where.pid);
        // Phones follow the departments that call numbers. (The tap-to-board department takes a
        // number every few ms, a long queue by the end: nobody's line.)
        joins.push(await ask({ type: 'join', servers: where.servers, departments: SERVING, count: PHONES, batch: 100 }));
        await sleep(500);
        if (joins.length === 1) rssWith = rssOf(where.pid);
        load = busy(pause);
        withPhones[i].push(...(await tapToBoard(SAMPLES / ROUNDS)));
        await load.stop();
        calls.push(...load.calls);
        await sleep(500); // the last summaries reach every phone
        await ask({ type: 'leave' });
      }
      without[i].sort((a, b) => a - b);
      withPhones[i].sort((a, b) => a - b);
      for (const half of noise[i]) half.sort((a, b) => a - b);
    }
    const joined = { ms: Math.max(...joins.map((j) => j.ms)), failures: joins.reduce((sum, j) => sum + j.failures, 0) };
    const { values, missed } = await ask({ type: 'latencies', calls });
    const phonesAre = `phones ${where.name}`;
    row(`follow, ${phonesAre}: ${fmt(PHONES)} join (sign-in, subscribe, direct get; 100 at a time), slowest of ${joins.length}`,
      `${fmt(joined.ms)} ms${joined.failures ? `, ${joined.failures} FAILED` : ''}`, '(informative)', joined.failures === 0 ? null : false);
    row(`follow, ${phonesAre}: call to phone (a serve until each phone has its summary, both loads), p50`, `${fmt(quantile(values, 0.5), 1)} ms over ${fmt(values.length)} deliveries`, '(informative)', null);
    row(`follow, ${phonesAre}: call to phone, p99`, `${fmt(quantile(values, 0.99), 1)} ms${missed ? `, ${missed} MISSED` : ''}`, '<= 250 ms', quantile(values, 0.99) <= 250 && missed === 0);
    LOADS.forEach(({ label }, i) => {
      const p99Without = quantile(without[i], 0.99);
      const p99With = quantile(withPhones[i], 0.99);
      const worse = p99With / p99Without - 1;
      row(`follow, ${phonesAre}: devices' tap to board p99, without / with the phones, ${label}`,
        `${fmt(p99Without, 2)} / ${fmt(p99With, 2)} ms (${worse >= 0 ? '+' : ''}${fmt(worse * 100, 0)}%; p50 ${fmt(quantile(without[i], 0.5), 2)} / ${fmt(quantile(withPhones[i], 0.5), 2)} ms)`,
        '<= 20% worse', worse <= 0.2);
      const [even, odd] = noise[i].map((half) => quantile(half, 0.99));
      row(`follow, ${phonesAre}: tap to board p99 without the phones, even / odd rounds, ${label}`,
        `${fmt(even, 2)} / ${fmt(odd, 2)} ms (${fmt(Math.abs(even / odd - 1) * 100, 0)}% apart: the same thing measured twice)`, '(informative)', null);
    });
    row(`follow, ${phonesAre}: the ${where.server}'s memory (nats-server RSS), without / with the phones`, `${fmt(rssWithout, 1)} / ${fmt(rssWith, 1)} MB (${fmt((rssWith - rssWithout) * 1024 / PHONES, 1)} kB a phone)`, '(informative)', null);
  }
  await edge.close();

  // What a phone's sign-in costs the hub: the visitor's plain password against a bcrypt one (cost 11).
  const signIn = async (who) => {
    const began = performance.now();
    for (let i = 0; i < 10; i++) await (await connectAs(who, hub.servers, { maxReconnectAttempts: 0 })).close();
    return (performance.now() - began) / 10;
  };
  const visitorSignIn = await signIn('visitor');
  const bcryptSignIn = await signIn('board');

  row('follow: one sign-in, visitor (plain password) / board (bcrypt, cost 11)', `${fmt(visitorSignIn, 1)} / ${fmt(bcryptSignIn, 1)} ms`, '(informative)', null);
} finally {
  await ask({ type: 'close' }).catch(() => {});
  phones.kill();
  for (const connection of connections) await connection.close().catch(() => {});
  await hub.close();
}

await report('follow', `take-a-number-deluxe follow benchmarks, ${measuredOn()}, nats-server on loopback`, rows);
process.exit(0); // devices' timers (watchdogs) would keep the process alive
