// The phones of bench/follow.mjs, in a process of their own at the lowest priority (phones are
// other computers: simulating a thousand of them on the hub's own cores must not be what slows
// the devices down, nor queue behind the devices on one event loop). Each is a `visitor`
// connection of its own that does what the follow page does: one direct get for the
// department's summary and one core subscription to its updates.
import { connect } from '@nats-io/transport-node';
import { PUBLIC_SUBJECT } from '../js/hub/protocol.js';
import { USERS } from '../tests/support/nats.mjs';
import { lastSummarySubject } from '../www/js/follow/queue-feed.js';

const now = () => performance.timeOrigin + performance.now(); // comparable across processes
let live = []; // the phones connected now
const phones = []; // { department, arrivals: [[seq, ms], ...], connection }, every phone that ever joined

// A summary starts {"v":1,"department":"…","seq":N (follow-summary.js builds it in that order):
// the bench reads only its head, so that it measures the hub's delivery, not this one thread
// parsing a thousand phones' JSON (each phone parses its own).
const decoder = new TextDecoder();
const seqOf = (data) => Number(/"seq":(\d+)/.exec(decoder.decode(data.subarray(0, 120)))[1]);

async function join({ servers, departments, count, batch }) {
  const began = now();
  let failures = 0;
  for (let i = 0; i < count; i += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, count - i) }, async (_, j) => {
      const department = departments[(i + j) % departments.length];
      try {
        const connection = await connect({ servers, ...USERS.visitor, maxReconnectAttempts: 0 });
        const phone = { department, arrivals: [], connection, joined: now(), left: Infinity };
        connection.subscribe(`${PUBLIC_SUBJECT}.${department}`, {
          callback: (error, msg) => { if (!error) phone.arrivals.push([seqOf(msg.data), now()]); },
        });
        const first = await connection.request(lastSummarySubject(department), '', { timeout: 10_000 });
        if (first.headers?.code === 404) throw new Error('no summary');
        phones.push(phone);
        live.push(phone);
      } catch {
        failures += 1;
      }
    }));
  }
  return { ms: now() - began, failures };
}

/** For each call `{ department, seq, start }`, each phone of its department: when it first had a summary at `seq` or later. */
function latencies(calls) {
  const values = [];
  let missed = 0;
  for (const call of calls) {
    for (const phone of phones) {
      if (phone.department !== call.department || !(call.start >= phone.joined && call.start < phone.left)) continue;
      const arrival = phone.arrivals.find(([seq]) => seq >= call.seq);
      if (arrival === undefined) missed += 1;
      else values.push(arrival[1] - call.start);
    }
  }
  return { values: values.sort((a, b) => a - b), missed };
}

process.on('message', async (message) => {
  if (message.type === 'join') process.send({ type: 'joined', ...(await join(message)) });
  if (message.type === 'latencies') process.send({ type: 'latencies', ...latencies(message.calls) });
  // Every phone leaves (the bench measures the devices without them again); their arrivals stay.
  if (message.type === 'leave' || message.type === 'close') {
    const leaving = live;
    live = [];
    await Promise.all(leaving.map((phone) => { phone.left = now(); return phone.connection.close().catch(() => {}); }));
    process.send({ type: message.type === 'leave' ? 'left' : 'closed' });
    if (message.type === 'close') process.disconnect();
  }
});
