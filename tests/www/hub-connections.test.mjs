// Hub mode's connections without a browser or a hub (www/js/hub/connections.js): which machine
// each department uses, what the stand-ins say while there is none, and the device's patient
// reconnection. Time is a fake clock; the hubs are stand-ins that record what they were asked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HubConnections, PATIENCE_MS, retryDelay } from '../../www/js/hub/connections.js';

/** setTimeout/clearTimeout on a clock that moves only when told to. */
class FakeTimers {
  now = 0;
  #timers = new Map();
  #next = 1;
  setTimeout = (fn, ms) => { const id = this.#next++; this.#timers.set(id, { fn, at: this.now + ms }); return id; };
  clearTimeout = (id) => { this.#timers.delete(id); };
  get pending() { return [...this.#timers.values()].map((t) => t.at - this.now).sort((a, b) => a - b); }
  /** Moves the clock by `ms`, running each timer due on the way. */
  async advance(ms) {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.#timers].filter(([, t]) => t.at <= end).sort(([, a], [, b]) => a.at - b.at)[0];
      if (!due) break;
      this.#timers.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
      await flush();
    }
    this.now = end;
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

/** A Hub stand-in: `machine()` gives `{ hub, name }`; `drop(error)` closes its connection. */
function fakeHub(label) {
  let drop;
  const closed = new Promise((resolve) => { drop = resolve; });
  const hub = {
    label, isClosed: false,
    machine: ({ name, minNumber }) => ({ hub: label, name, minNumber, closed: false, close() { this.closed = true; } }),
    connectionClosed: () => closed,
    close() { hub.isClosed = true; },
    drop,
  };
  return hub;
}

const configs = [{ id: 'reception', minNumber: 1, maxNumber: 99 }, { id: 'pharmacy', minNumber: 100, maxNumber: 199 }];
/** Department stand-ins that remember the machine they use. */
const departmentsOf = (connections) => configs.map((config) => ({ config, machine: connections.standIn(config.id), use(machine) { this.machine = machine; } }));
const using = (departments) => departments.map((d) => (d.machine.hub ? `${d.machine.hub}:${d.machine.name}` : d.machine.status));
// What the page's hub bundle (js/hub/browser.js) rejects with when the hub refuses the account.
const refused = () => Object.assign(new Error('the hub refused these credentials'), { name: 'MachineError', code: 'refused' });

function setUp({ login = { user: 'kiosk', pass: 'secret' }, connect }) {
  const timers = new FakeTimers();
  const tries = [];
  const connections = new HubConnections({
    configs, record: {}, login: { get: () => login }, timers,
    connect: (device) => { tries.push(timers.now); return connect(device, tries.length); },
  });
  const departments = departmentsOf(connections);
  return { timers, tries, connections, departments };
}

test('the retries after failures wait 5 s, doubling, and never more than 5 minutes', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 20].map(retryDelay), [5000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
});

test('a device without a hub account says so and does not connect', async () => {
  const { connections, departments, tries, timers } = setUp({ login: null, connect: () => assert.fail('no connection without an account') });
  connections.start(departments);
  await flush();
  assert.deepEqual(using(departments), ['not-set-up', 'not-set-up']);
  assert.deepEqual(tries, []);
  assert.deepEqual(timers.pending, []);
});

test('a hub that does not answer is out of reach after 3 s, and the departments move onto it once it answers', async () => {
  let answer;
  const hub = fakeHub('device');
  const { connections, departments, timers } = setUp({ connect: () => new Promise((resolve) => { answer = () => resolve(hub); }) });
  connections.start(departments);
  assert.deepEqual(using(departments), ['connecting', 'connecting']);
  await timers.advance(PATIENCE_MS - 1);
  assert.deepEqual(using(departments), ['connecting', 'connecting']);
  await timers.advance(1);
  assert.deepEqual(using(departments), ['offline', 'offline']);
  answer();
  await flush();
  assert.deepEqual(using(departments), ['device:reception', 'device:pharmacy']);
  assert.deepEqual(timers.pending, [], 'nothing left to run once connected');
});

test('a refused device tries again less often each time, and from 5 s again after it got in', async () => {
  const hubs = [];
  let refuse = true;
  const { connections, departments, timers, tries } = setUp({
    connect: async () => {
      if (refuse) throw refused();
      hubs.push(fakeHub(`device${hubs.length}`));
      return hubs.at(-1);
    },
  });
  connections.start(departments);
  await flush();
  assert.deepEqual(using(departments), ['refused', 'refused']);
  await timers.advance(5000 + 10_000 + 20_000);
  assert.deepEqual(tries, [0, 5000, 15_000, 35_000]);
  refuse = false;
  await timers.advance(40_000);
  assert.deepEqual(using(departments), ['device0:reception', 'device0:pharmacy']);
  // The hub drops the connection for good (it refused the account twice): start over, at 5 s.
  refuse = true;
  hubs[0].drop(refused());
  await flush();
  assert.equal(hubs[0].isClosed, true);
  assert.deepEqual(using(departments), ['refused', 'refused']);
  assert.deepEqual(timers.pending, [5000]);
  refuse = false;
  await timers.advance(5000);
  assert.deepEqual(using(departments), ['device1:reception', 'device1:pharmacy']);
});

test('a lost connection that is not a refusal is out of reach until the device is back', async () => {
  const hubs = [];
  const { connections, departments, timers } = setUp({ connect: async () => { hubs.push(fakeHub(`device${hubs.length}`)); return hubs.at(-1); } });
  connections.start(departments);
  await flush();
  hubs[0].drop(new Error('connection closed'));
  await flush();
  assert.deepEqual(using(departments), ['offline', 'offline']);
  await timers.advance(5000);
  assert.deepEqual(using(departments), ['device1:reception', 'device1:pharmacy']);
});

test('while staff are signed in the departments use their connection, and the device\'s again once the console locks', async () => {
  const device = fakeHub('device');
  const { connections, departments } = setUp({ connect: async () => device });
  connections.useStaff(null); // locking a console that was never open changes nothing
  connections.start(departments);
  await flush();
  const staff = fakeHub('staff');
  connections.useStaff(staff);
  assert.deepEqual(using(departments), ['staff:reception', 'staff:pharmacy']);
  // The device's connection drops meanwhile: the staff's stays in use.
  device.drop(new Error('connection closed'));
  await flush();
  assert.deepEqual(using(departments), ['staff:reception', 'staff:pharmacy']);
  connections.useStaff(null);
  assert.equal(staff.isClosed, true, 'the staff connection is closed when the console locks');
  assert.deepEqual(using(departments), ['offline', 'offline']);
});

test('new settings while connected: a new department gets a machine on the connection in use, a removed one\'s is closed, a kept one keeps its own', async () => {
  const device = fakeHub('device');
  const { connections, departments } = setUp({ connect: async () => device });
  connections.update(departments); // before the start: stand-ins only
  assert.deepEqual(using(departments), ['connecting', 'connecting']);
  connections.start(departments);
  await flush();
  const [reception, pharmacy] = departments;
  const receptionMachine = reception.machine;
  const pharmacyMachine = pharmacy.machine;
  const xRay = { config: { id: 'x-ray', minNumber: 300, maxNumber: 399 }, machine: connections.standIn('x-ray'), use(machine) { this.machine = machine; } };
  assert.equal(xRay.machine.status, 'connecting', 'a new stand-in says what the others said');
  connections.update([xRay, reception]);
  assert.deepEqual(using([xRay, reception]), ['device:x-ray', 'device:reception']);
  assert.equal(xRay.machine.minNumber, 300, 'made with its own range');
  assert.equal(reception.machine, receptionMachine, 'a kept department is not moved');
  assert.equal(pharmacyMachine.closed, true, 'the removed department\'s machine is closed');
  assert.equal(receptionMachine.closed, false);
  // While staff are signed in, a new department goes out on their connection, and the device's
  // machine waits for the console to lock.
  const staff = fakeHub('staff');
  connections.useStaff(staff);
  const lab = { config: { id: 'lab', minNumber: 200, maxNumber: 299 }, machine: connections.standIn('lab'), use(machine) { this.machine = machine; } };
  connections.update([xRay, reception, lab]);
  assert.deepEqual(using([xRay, reception, lab]), ['staff:x-ray', 'staff:reception', 'staff:lab']);
  connections.useStaff(null);
  assert.deepEqual(using([xRay, reception, lab]), ['device:x-ray', 'device:reception', 'device:lab']);
});
