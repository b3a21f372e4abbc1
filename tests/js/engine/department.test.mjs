// The department engine (js/engine/department.js) without a log: random streams of operations, with
// several rules versions, three configurations (a manager's configure among the operations),
// idle gaps, clocks that step back, daily openings (a few seconds into a stream) and malformed
// messages, fed to devices of different rules and configurations. Every device must take the
// same decisions that it can take, and a device restored from a snapshot must go on exactly as
// the one that wrote it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Machine } from '../../../pkg/node.js';
import { Department, newer } from '../../../js/engine/department.js';
import { check, toSnapshot } from '../../../js/hub/snapshot.js';
import { parseOperation, encodeOperation, subject } from '../../../js/hub/protocol.js';
import { readConfig } from '../../../js/engine/options.js';
import { OPS } from '../../../js/engine/operations.js';

const logRecord = {
  initial: () => ({ events: [] }),
  apply: (record, event) => ({ events: [...record.events, event] }),
  check: (record) => Array.isArray(record?.events),
};

// Streams start at 1,000,000 ms (00:16:40 UTC on 1 January 1970, 01:16:40 in Madrid): the
// openings fall 3 and 6 seconds in, which most streams reach.
const CONFIGS = [
  { minNumber: 1, maxNumber: 5, autoShutdownTimeout: 1000, opening: { time: '01:16:43', timeZone: 'Europe/Madrid', waiting: 'clear' } },
  { minNumber: 1, maxNumber: 5, autoShutdownTimeout: Infinity },
  { minNumber: 4, maxNumber: 9, autoShutdownTimeout: 1000, opening: { time: '00:16:46', timeZone: 'UTC', waiting: 'keep' } },
  { minNumber: 1, maxNumber: 5, autoShutdownTimeout: 1000, groups: ['a', 'b'], order: 'ratio', weights: [2, 1], placement: 'taken', callsBeforeNoShow: 2,
    opening: { time: '01:16:44', timeZone: 'Europe/Madrid', waiting: 'clear' } },
  // Config 0 as a release before the queue rules and the opening would configure it.
  { minNumber: 1, maxNumber: 5, autoShutdownTimeout: 1000 },
];
const RULES = ['1.0.0', '1.1.0', '0.9.0', '2.0.0', 'not-a-version'];
const KINDS = ['take', 'take', 'take', 'serve', 'serve', 'priority', 'reset', 'wake', 'send', 'note', 'tick', 'configure', 'reclaim',
  'take', 'call', 'call', 'recall', 'finish', 'no-show', 'park', 'unpark', 'transfer', 'arrive'];

/** An argument of `kind` from the integer `n`: sometimes one the rules refuse (a group or counter it lacks). */
function argOf(kind, n) {
  const counter = `desk ${n % 3}`;
  switch (kind) {
    case 'priority': return n;
    case 'take': return n % 3 === 0 ? undefined : { group: n % 3 === 1 ? 'a' : 'b' };
    case 'call': return n % 4 === 0 ? { counter, number: n } : n % 4 === 1 ? { counter, group: 'b' } : { counter };
    case 'recall': case 'finish': case 'no-show': case 'park': return { counter };
    case 'unpark': return { number: n };
    case 'transfer': return { number: n, to: 'elsewhere' };
    case 'arrive': return { number: 100 + n, taken: 1_000_000 + n * 50, group: 'b', from: 'elsewhere', key: `k${n}` };
    default: return undefined;
  }
}

/** One message as the stream would deliver it: a subject and a payload, or junk. */
const messageArb = fc.record({
  kind: fc.constantFrom(...KINDS),
  rules: fc.constantFrom(...RULES),
  config: fc.constantFrom(0, 0, 0, 1, 2, 3),
  arg: fc.integer({ min: 0, max: 7 }),
  gap: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 900, max: 3000 }), fc.integer({ min: -50, max: 0 })),
  junk: fc.constantFrom(false, false, false, false, false, false, false, false, false, true),
});

/** The stream of `specs`, most often after a manager's first configure (else the department refuses all). */
function toStream(specs, configuredFirst = true) {
  let ts = 1_000_000;
  const first = { kind: 'configure', rules: '1.0.0', config: 0, arg: 0, gap: 0, junk: false };
  return (configuredFirst ? [first, ...specs] : specs).map((spec, i) => {
    ts += spec.gap;
    const text = spec.junk ? '{"v":1}'
      : encodeOperation({ id: `op-${i}`, rules: spec.rules, config: CONFIGS[spec.config], arg: argOf(spec.kind, spec.arg) });
    return { seq: i + 1, ts, operation: parseOperation(subject('dept', spec.kind), text) };
  });
}

const department = (rules, config) => new Department({ own: { rules, config: CONFIGS[config] }, Machine, record: logRecord });

/** What every device follows, whatever its rules: the record's rules, starts, sleep, activity and openings. */
const shadow = (view) => ({
  seq: view.seq, epoch: view.epoch, asleep: view.asleep, lastActivity: view.lastActivity, rules: view.rules,
  nextOpening: view.nextOpening, lastOpening: view.lastOpening,
});

test('every device takes the same decisions from the same stream; devices of the same rules agree on everything', async () => {
  await fc.assert(fc.asyncProperty(fc.array(messageArb, { minLength: 1, maxLength: 120 }), fc.boolean(), async (specs, configuredFirst) => {
    const stream = toStream(specs, configuredFirst);
    // Two devices per (rules, configuration) pair that matters, so twins can be compared.
    const devices = [['1.0.0', 0], ['1.0.0', 0], ['1.1.0', 0], ['2.0.0', 0], ['1.0.0', 1], ['0.9.0', 0]].map(([r, c]) => department(r, c));
    for (const message of stream) {
      const outcomes = [];
      for (const device of devices) {
        const wasCurrent = device.current;
        const outcome = await device.apply(message);
        await device.refresh();
        outcomes.push(outcome);
        if (device.current) assert.notEqual(outcome, null, 'a current device knows every outcome');
        if (!wasCurrent && !device.current) assert.ok(outcome === null || outcome.ok === false || message.operation.kind === 'tick');
      }
      const views = devices.map((d) => d.view([]));
      for (const view of views.slice(1)) assert.deepEqual(shadow(view), shadow(views[0]), 'every device follows the same record');
      assert.deepEqual(views[1], views[0], 'twins agree on the queue and the record');
      assert.deepEqual(outcomes[1], outcomes[0], 'twins agree on every answer');
      // A refusal needs no rules: every device that gives an outcome gives the same refusal.
      const refusals = outcomes.filter((o) => o && !o.ok && ['needs_update', 'not_configured', 'configuration_mismatch', 'invalid_argument'].includes(o.code));
      if (refusals.length > 0) {
        for (const o of outcomes) if (o !== null) assert.deepEqual(o, refusals[0]);
      }
      for (const view of views) {
        assert.equal(new Set(view.queue).size, view.queue.length, 'no number waits twice');
        if (view.asleep) assert.deepEqual(view.queue, []);
        const openings = view.record.events.filter((e) => e.reason === 'opening' || e.type === 'opening').map((e) => e.at);
        assert.equal(new Set(openings).size, openings.length, 'each opening once');
      }
    }
  }), { numRuns: 150 });
});

/**
 * `message` as a release before the queue rules and the opening reads it: a kind it does not know,
 * or an argument it does not know on a kind it does (a take in a group), is no operation to it
 * (its parser's problem); a configuration carries the range and the timeout only.
 */
function asAnEarlierRelease(message) {
  const { operation } = message;
  if (operation.problem) return message;
  const { kind, arg, config } = operation;
  const known = OPS[kind].since === undefined && (kind === 'priority' || arg === undefined);
  if (!known) return { ...message, operation: { problem: `unknown operation ${kind}` } };
  const { minNumber, maxNumber, autoShutdownTimeout } = config;
  return { ...message, operation: { ...operation, config: { minNumber, maxNumber, autoShutdownTimeout } } };
}

test('a release that predates the queue rules follows the same record: the same rules, and the same activity while they are its own', async () => {
  // What only the new release sends (its kinds, a take in a group, a configuration with queue
  // rules or an opening) declares the new release's rules, 2.0.0; the rest any rules.
  const NEW = '2.0.0';
  const newShaped = ({ kind, config, arg }) => OPS[kind].since !== undefined || (kind === 'take' && argOf(kind, arg) !== undefined)
    || (kind === 'configure' && (CONFIGS[config].groups || CONFIGS[config].opening));
  const realistic = (spec) => (newShaped(spec) ? { ...spec, rules: NEW } : spec);
  const first = { kind: 'configure', rules: '1.0.0', config: 4, arg: 0, gap: 0, junk: false };
  await fc.assert(fc.asyncProperty(fc.array(messageArb, { minLength: 1, maxLength: 120 }), async (specs) => {
    const stream = toStream([first, ...specs.map(realistic)], false);
    // A device of the new release and one of the earlier, each reading the stream its own way.
    const pairs = [[department(NEW, 4), department('1.0.0', 4)]];
    for (const message of stream) {
      for (const [now, earlier] of pairs) {
        await now.apply(message);
        await earlier.apply(asAnEarlierRelease(message));
        const [a, b] = [now.view([]), earlier.view([])];
        // Both always agree on the record's rules and how often it started over. While it runs
        // the earlier release's rules they also agree on what decides a switch to newer ones:
        // asleep or not, and the last activity (an idle record is switched by a waking staff
        // operation). Once it runs the new rules, the earlier release, which then only says it
        // needs the update, does not see the new kinds' activity: it can switch the record back
        // only by a reclaim, which needs no such decision.
        const kind = message.operation.kind ?? 'junk';
        assert.deepEqual([b.rules, b.epoch], [a.rules, a.epoch], `the record's rules after ${kind}`);
        if (a.rules === '1.0.0') assert.deepEqual([b.asleep, b.lastActivity], [a.asleep, a.lastActivity], `activity after ${kind}`);
      }
    }
  }), { numRuns: 150 });
});

test('a device restored from a snapshot goes on exactly as the device that wrote it', async () => {
  await fc.assert(fc.asyncProperty(fc.array(messageArb, { minLength: 2, maxLength: 100 }), fc.nat(), async (specs, at) => {
    const stream = toStream(specs);
    const cut = 1 + (at % (stream.length - 1));
    const writer = department('1.0.0', 0);
    for (const message of stream.slice(0, cut)) await writer.apply(message);
    await writer.refresh();
    const state = writer.stored();
    if (state === null) return; // the writer does not follow the record: it writes none
    const stored = JSON.parse(JSON.stringify(toSnapshot('dept', state)));
    const checked = check(stored, 'dept', readConfig, logRecord.check);
    assert.ok(checked.snapshot, checked.problem);
    const reader = department('1.0.0', 0);
    reader.restore(checked.snapshot);
    const other = department('2.0.0', 0); // restored into a device of other rules: it follows the shadow
    other.restore(checked.snapshot);
    await reader.refresh();
    assert.deepEqual(reader.view([]), writer.view([]));
    for (const message of stream.slice(cut)) {
      assert.deepEqual(await reader.apply(message), await writer.apply(message));
      await other.apply(message);
      await reader.refresh();
      await writer.refresh();
      await other.refresh();
      assert.deepEqual(reader.view([]), writer.view([]));
      assert.deepEqual(shadow(other.view([])), shadow(writer.view([])));
    }
  }), { numRuns: 150 });
});

test('idle shutdown happens at last activity plus the timeout, by the stream\'s clock, and a tick alone decides it', async () => {
  const r = department('1.0.0', 0);
  const config = CONFIGS[0];
  const op = (seq, ts, kind, rules = '1.0.0') => ({ seq, ts, operation: parseOperation(subject('dept', kind), encodeOperation({ id: `${seq}`, rules, config })) });
  assert.deepEqual(await r.apply(op(0, 4000, 'configure')), { ok: true, value: { applied: true, waiting: 0 } });
  assert.deepEqual(await r.apply(op(1, 5000, 'take')), { ok: true, value: 1 });
  assert.deepEqual(await r.apply(op(2, 6000, 'tick')), { ok: true, value: undefined });
  assert.equal(r.view([]).asleep, false, 'exactly the timeout is not more than it');
  assert.deepEqual(await r.apply(op(3, 6001, 'tick', 'from-anyone')), { ok: true, value: undefined });
  await r.refresh();
  const view = r.view([]);
  assert.equal(view.asleep, true);
  assert.deepEqual(view.queue, []);
  assert.deepEqual(view.record.events.map((e) => [e.type, e.at]), [['take', 5000], ['shutdown', 6000]]);
  // A clock that steps back (another cluster leader) never moves the record's time back.
  assert.deepEqual(await r.apply(op(4, 5500, 'take')), { ok: true, value: 1 });
  await r.refresh();
  assert.deepEqual(r.view([]).record.events.map((e) => [e.type, e.at]), [['take', 5000], ['shutdown', 6000], ['wake', 6001], ['take', 6001]]);
});

test('who decides: a kiosk never switches a department, a refused operation changes nothing, staff move rules only forward, reclaim goes back', async () => {
  const config = CONFIGS[0];
  const other = { minNumber: 1, maxNumber: 2, autoShutdownTimeout: 1000 };
  let seq = 0;
  const op = (ts, kind, rules, declared = config) => ({ seq: ++seq, ts, operation: parseOperation(subject('dept', kind), encodeOperation({ id: `${seq}`, rules, config: declared })) });
  const d = department('1.0.0', 0);
  // Where the log is (seq, and its time `at`) moves with every message, refused or not.
  const snapshot = () => ({ ...d.view([]), refusals: undefined, seq: undefined, at: undefined });
  assert.equal((await d.apply(op(1000, 'take', '1.0.0'))).code, 'not_configured', 'nothing before a configure');
  await d.apply(op(1000, 'configure', '1.0.0'));
  assert.deepEqual(await d.apply(op(1001, 'take', '1.0.0')), { ok: true, value: 1 });
  for (const [ts, kind, rules, declared, code] of [
    [1002, 'take', '999.0.0', other, 'needs_update'], [5000, 'wake', '999.0.0', other, 'needs_update'], // idle by then
    [5001, 'take', '1.0.0', other, 'configuration_mismatch'], [5002, 'reset', '2.0.0', other, 'configuration_mismatch'],
    [5003, 'reset', '0.9.0', config, 'needs_update'],
  ]) {
    await d.refresh();
    const before = snapshot();
    assert.equal((await d.apply(op(ts, kind, rules, declared))).code, code, `${kind} ${rules}`);
    await d.refresh();
    assert.deepEqual(snapshot(), before, `a refused ${kind} ${rules} changes nothing`);
  }
  assert.equal(d.view([]).refusals.length, 6, 'every refusal is listed, the first (not configured) too');
  // Operations of kinds an earlier release does not know never switch the record, even a
  // waking one while it is idle: that release would skip them and stay on the old rules.
  const newKind = (ts, kind, arg) => ({ seq: ++seq, ts, operation: parseOperation(subject('dept', kind), encodeOperation({ id: `${seq}`, rules: '2.0.0', config, arg })) });
  assert.equal((await d.apply(newKind(9000, 'call', { counter: '1' }))).code, 'needs_update');
  assert.equal((await d.apply(newKind(9001, 'unpark', { number: 1 }))).code, 'needs_update');
  assert.equal(d.view([]).rules, '1.0.0');
  // A staff reset of newer rules (with the record's configuration) moves the record forward.
  await d.apply(op(9004, 'reset', '2.0.0'));
  assert.equal(d.view([]).rules, '2.0.0');
  assert.equal(d.current, false);
  // A reclaim of the older rules brings it back.
  await d.apply(op(9005, 'reclaim', '1.0.0'));
  assert.equal(d.view([]).rules, '1.0.0');
  assert.deepEqual(await d.apply(op(9006, 'take', '1.0.0')), { ok: true, value: 1 });
});

test('rules versions compare as numbers, and what is not a version is never newer', () => {
  assert.equal(newer('1.10.0', '1.9.9'), true);
  assert.equal(newer('2.0.0', '10.0.0'), false);
  assert.equal(newer('1.0.0', '1.0.0'), false);
  assert.equal(newer('1.0.1-beta', '1.0.0'), true);
  assert.equal(newer('junk', '1.0.0'), false);
  assert.equal(newer('1.0.0', null), false);
});
