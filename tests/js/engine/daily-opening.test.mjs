// A department's daily opening in the engine (js/engine/department.js with opening.js), without a
// log: the same operations fed to several readers, as the windows of one browser or the devices
// of a hub feed them, with the real Machine. Every reader starts the day once, as of the opening's
// time, whichever operation comes first after it (a tick too), and a reader restored from a
// snapshot goes on as the one that wrote it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Machine } from '../../../pkg/node.js';
import { Department } from '../../../js/engine/department.js';
import { check, toSnapshot } from '../../../js/hub/snapshot.js';
import { parseOperation, encodeOperation, subject } from '../../../js/hub/protocol.js';
import { readConfig } from '../../../js/engine/options.js';

const logRecord = {
  initial: () => ({ events: [] }),
  apply: (record, event) => ({ events: [...record.events, event] }),
  check: (record) => Array.isArray(record?.events),
};

const MADRID = 'Europe/Madrid';
const RULES = '1.0.0';
const t = (iso) => Date.parse(iso);
// 10 March 2026: Madrid is UTC+1, so 07:30 there is 06:30 UTC.
const OPENING = t('2026-03-10T06:30:00Z');
const DAY = 24 * 3600_000;
const config = (opening, more = {}) => ({ minNumber: 1, maxNumber: 99, autoShutdownTimeout: Infinity, opening, ...more });
const clear = { time: '07:30', timeZone: MADRID, waiting: 'clear' };
const keep = { ...clear, waiting: 'keep' };

const reader = (rules = RULES, declared = config(clear)) => new Department({ own: { rules, config: declared }, Machine, record: logRecord });

/** A log of operations, as the hub's stream delivers them: `op(ts, kind)` is the next one. */
function log(declared) {
  let seq = 0;
  return (ts, kind, { rules = RULES, as = declared, arg } = {}) => ({
    seq: ++seq, ts, operation: parseOperation(subject('dept', kind), encodeOperation({ id: `op-${seq}`, rules, config: as, arg })),
  });
}

/** Feeds `ops` to every reader, in order; returns each reader's outcomes. */
async function feed(readers, ops) {
  const outcomes = readers.map(() => []);
  for (const message of ops) {
    for (const [i, r] of readers.entries()) {
      outcomes[i].push(await r.apply(message));
      await r.refresh();
    }
  }
  return outcomes;
}

const events = (r) => r.view([]).record.events.map(({ type, reason, number, at }) => [type, reason ?? number ?? null, new Date(at).toISOString()]);
/** What every reader follows, current or not. */
const shadow = (view) => ({ rules: view.rules, epoch: view.epoch, asleep: view.asleep, lastActivity: view.lastActivity, nextOpening: view.nextOpening, lastOpening: view.lastOpening });

test('readers of the same operations clear the queue once, as of the opening: an operation just before it is kept, one just after follows the reset', async () => {
  const op = log(config(clear));
  const first = reader();
  const second = reader();
  const newer = reader('2.0.0'); // follows the record, not current
  const ops = [
    op(OPENING - 2 * 3600_000, 'configure'),
    op(OPENING - 60_000, 'take'),
    op(OPENING - 1, 'take'), // 07:29:59.999
    op(OPENING, 'take'), // 07:30:00.000: the opening comes first
    op(OPENING + 1, 'take'),
    op(OPENING + 2 * 3600_000, 'serve'),
  ];
  const outcomes = await feed([first, second, newer], ops);
  assert.deepEqual(outcomes[0].map((o) => o?.value), [{ applied: true, waiting: 0 }, 1, 2, 1, 2, 1]);
  assert.deepEqual(outcomes[1], outcomes[0]);
  assert.deepEqual(events(first), [
    ['take', 1, '2026-03-10T06:29:00.000Z'],
    ['take', 2, '2026-03-10T06:29:59.999Z'],
    ['reset', 'opening', '2026-03-10T06:30:00.000Z'],
    ['take', 1, '2026-03-10T06:30:00.000Z'],
    ['take', 2, '2026-03-10T06:30:00.001Z'],
    ['serve', 1, '2026-03-10T08:30:00.000Z'],
  ]);
  assert.deepEqual(first.view([]), second.view([]));
  assert.deepEqual(first.view([]).queue, [2]);
  // Every reader knows when the next one falls, and that the reset switched nothing.
  assert.deepEqual(shadow(newer.view([])), shadow(first.view([])));
  assert.deepEqual(shadow(first.view([])), {
    rules: RULES, epoch: 1, asleep: false, lastActivity: OPENING + 2 * 3600_000, nextOpening: OPENING + DAY, lastOpening: OPENING,
  });
  assert.equal(first.deadline, OPENING + DAY, 'a tick asks about the next opening');
});

test('keep carries the waiting tickets into the new day; the record still hears of the opening', async () => {
  const op = log(config(keep));
  const r = reader(RULES, config(keep));
  await feed([r], [op(OPENING - 3600_000, 'configure'), op(OPENING - 1, 'take'), op(OPENING - 1, 'take'), op(OPENING + 5, 'take')]);
  assert.deepEqual(r.view([]).queue, [1, 2, 3]);
  assert.deepEqual(events(r).map(([type, what]) => [type, what]), [['take', 1], ['take', 2], ['opening', null], ['take', 3]]);
  assert.equal(r.view([]).lastOpening, OPENING);
});

test('clear frees the counters and the parked tickets too; keep leaves them where they are', async () => {
  // 1 is called to counter B and parked, 2 called to counter A, 3 waits.
  for (const [opening, after] of [[clear, { waiting: [], serving: [], parked: [] }], [keep, { waiting: [3], serving: [2], parked: [1] }]]) {
    const op = log(config(opening));
    const r = reader(RULES, config(opening));
    await feed([r], [op(OPENING - 3600_000, 'configure'), op(OPENING - 50, 'take'), op(OPENING - 40, 'take'), op(OPENING - 30, 'take'),
      op(OPENING - 20, 'call', { arg: { counter: 'B' } }), op(OPENING - 15, 'park', { arg: { counter: 'B' } }),
      op(OPENING - 10, 'call', { arg: { counter: 'A' } })]);
    assert.deepEqual(r.view([]).desk.serving.map((t) => t.number), [2], 'before the opening, 2 is at counter A');
    await feed([r], [op(OPENING + 1, 'tick')]);
    const { waiting, serving, parked } = r.view([]).desk;
    const numbers = (tickets) => tickets.map((t) => t.number);
    assert.deepEqual({ waiting: numbers(waiting), serving: numbers(serving), parked: numbers(parked) }, after, opening.waiting);
  }
});

test('a tick alone starts the day of a department nobody touches; an early tick changes nothing, and a tick is no activity', async () => {
  const op = log(config(clear));
  const r = reader();
  await feed([r], [op(OPENING - 3600_000, 'configure'), op(OPENING - 600_000, 'take'), op(OPENING - 1, 'tick', { rules: 'anyone' })]);
  assert.deepEqual(r.view([]).queue, [1], 'too early');
  await feed([r], [op(OPENING + 150, 'tick', { rules: 'anyone' }), op(OPENING + 300, 'tick')]);
  assert.deepEqual(r.view([]).queue, []);
  assert.deepEqual(events(r), [['take', 1, '2026-03-10T06:20:00.000Z'], ['reset', 'opening', '2026-03-10T06:30:00.000Z']],
    'once, at the opening\'s time, not the tick\'s');
  assert.equal(r.view([]).lastActivity, OPENING - 600_000);
});

test('nobody on for days: each opening while on clears once, an idle shutdown due before one comes first, and openings pass while off', async () => {
  // Switched off 20 hours after the last take: the first opening comes before, the second after.
  const op = log(config(clear, { autoShutdownTimeout: 20 * 3600_000 }));
  const r = reader(RULES, config(clear, { autoShutdownTimeout: 20 * 3600_000 }));
  const lastTake = OPENING - 3600_000;
  await feed([r], [op(OPENING - 2 * 3600_000, 'configure'), op(lastTake, 'take'), op(OPENING + 3 * DAY + 60_000, 'take')]);
  assert.deepEqual(events(r), [
    ['take', 1, '2026-03-10T05:30:00.000Z'],
    ['reset', 'opening', '2026-03-10T06:30:00.000Z'],
    ['shutdown', null, '2026-03-11T01:30:00.000Z'],
    ['wake', null, '2026-03-13T06:31:00.000Z'],
    ['take', 1, '2026-03-13T06:31:00.000Z'],
  ]);
  assert.equal(r.view([]).lastOpening, OPENING + 3 * DAY);
  assert.equal(r.view([]).nextOpening, OPENING + 4 * DAY);
  // Never switched off: one reset a day, each at its opening.
  const op2 = log(config(clear));
  const always = reader();
  await feed([always], [op2(OPENING - 3600_000, 'configure'), op2(OPENING - 1, 'take'), op2(OPENING + 2 * DAY + 1, 'take')]);
  assert.deepEqual(events(always).filter(([type]) => type === 'reset').map(([, , at]) => at),
    ['2026-03-10T06:30:00.000Z', '2026-03-11T06:30:00.000Z', '2026-03-12T06:30:00.000Z']);
});

test('a configuration of another range that waits for the queue to empty settles at a clearing opening, on every reader', async () => {
  const op = log(config(clear));
  const current = reader();
  const other = reader('2.0.0');
  const moved = config(clear, { minNumber: 100, maxNumber: 199 });
  await feed([current, other], [op(OPENING - 3600_000, 'configure'), op(OPENING - 1000, 'take'), op(OPENING - 500, 'configure', { as: moved })]);
  assert.equal(current.view([]).pending.minNumber, 100, 'ticket 1 does not fit: the new range waits');
  // Declaring the old range is still served until the opening; after it, only the new one.
  const [[late]] = await feed([current, other], [op(OPENING + 10, 'take')]);
  assert.equal(late.code, 'configuration_mismatch');
  const [[taken]] = await feed([current, other], [op(OPENING + 20, 'take', { as: moved })]);
  assert.deepEqual(taken, { ok: true, value: 100 });
  assert.equal(current.view([]).pending, null);
  assert.deepEqual(shadow(other.view([])), shadow(current.view([])));
  assert.deepEqual(other.view([]).refusals, current.view([]).refusals);
});

test('a configure schedules the opening from its own time: added, moved, never twice on one day, and removed', async () => {
  const op = log(config(clear));
  const r = reader();
  await feed([r], [op(OPENING + 3600_000, 'configure')]);
  assert.equal(r.view([]).nextOpening, OPENING + DAY, 'configured after 07:30: tomorrow');
  await feed([r], [op(OPENING + DAY + 1, 'tick')]);
  assert.equal(r.view([]).lastOpening, OPENING + DAY);
  // Moved to 09:00 at 08:00: not again that day.
  await feed([r], [op(OPENING + DAY + 1800_000, 'configure', { as: config({ ...clear, time: '09:00' }) })]);
  assert.equal(r.view([]).nextOpening, OPENING + 2 * DAY + 5400_000, '09:00 the day after');
  await feed([r], [op(OPENING + 2 * DAY, 'configure', { as: config(null) })]);
  assert.equal(r.view([]).nextOpening, null);
  assert.equal(r.deadline, null, 'nothing to tick for');
});

test('a reader restored from a snapshot taken before the opening starts the day as the one that wrote it, and a snapshot of an earlier release is scheduled from its time', async () => {
  const op = log(config(clear));
  const writer = reader();
  const ops = [op(OPENING - 3600_000, 'configure'), op(OPENING - 10, 'take'), op(OPENING - 5, 'take'), op(OPENING + 7, 'take'), op(OPENING + 9, 'tick')];
  await feed([writer], ops.slice(0, 3));
  const stored = JSON.parse(JSON.stringify(toSnapshot('dept', writer.stored())));
  const checked = check(stored, 'dept', readConfig, logRecord.check);
  assert.ok(checked.snapshot, checked.problem);
  const restored = reader();
  restored.restore(checked.snapshot);
  const old = { ...stored };
  delete old.nextOpening;
  delete old.lastOpening;
  const fromOld = reader();
  fromOld.restore(check(old, 'dept', readConfig, logRecord.check).snapshot);
  const outcomes = await feed([writer, restored, fromOld], ops.slice(3));
  assert.deepEqual(outcomes[1], outcomes[0]);
  assert.deepEqual(outcomes[2], outcomes[0]);
  assert.deepEqual(restored.view([]), writer.view([]));
  assert.deepEqual(fromOld.view([]), writer.view([]));
  assert.deepEqual(events(writer).map(([type]) => type), ['take', 'take', 'reset', 'take']);
  for (const bad of [-1, 1.5, 'soon']) {
    assert.match(check({ ...stored, nextOpening: bad }, 'dept', readConfig, logRecord.check).problem, /opening/);
  }
});

test('an opening neither switches the record\'s rules nor wakes it, and an old build\'s operations are admitted alike', async () => {
  // A record at rules 1.0.0 with a clearing opening; an operation of newer rules is refused as
  // before, and the opening between changes neither the rules nor the generation.
  const op = log(config(clear));
  const r = reader();
  const newer = reader('2.0.0');
  await feed([r, newer], [op(OPENING - 3600_000, 'configure'), op(OPENING - 60_000, 'take')]);
  const before = shadow(r.view([]));
  const [[refused]] = await feed([r, newer], [op(OPENING + 1, 'take', { rules: '2.0.0' })]);
  assert.equal(refused.code, 'needs_update');
  assert.deepEqual({ ...shadow(r.view([])), nextOpening: undefined, lastOpening: undefined }, { ...before, nextOpening: undefined, lastOpening: undefined });
  assert.equal(r.view([]).lastOpening, OPENING, 'the opening passed all the same');
  // An operation that declares no opening (an older build's) is admitted: the opening is the record's.
  const [[taken]] = await feed([r, newer], [op(OPENING + 2, 'take', { as: config(undefined) })]);
  assert.deepEqual(taken, { ok: true, value: 1 });
  assert.deepEqual(shadow(newer.view([])), shadow(r.view([])));
});
