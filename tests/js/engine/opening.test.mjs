// When a department's daily opening falls (js/engine/opening.js): in the opening's own time zone,
// across the days the clocks change, for a time that does not exist or happens twice that day,
// and never twice on one date. Date's own local times are the oracle where one is needed: Node
// follows process.env.TZ, and resolves a wall time as Temporal's 'compatible' disambiguation
// does, which is what opening.js promises.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { openingAfter, instantOf, checkOpening, sameOpening, isTimeZone } from '../../../js/engine/opening.js';
import { checkConfig, readConfig, wireConfig, sameConfig, sameSettings } from '../../../js/engine/options.js';

const MADRID = 'Europe/Madrid';
const at = (iso) => Date.parse(iso);
const iso = (ms) => new Date(ms).toISOString();
const daily = (time, timeZone = MADRID, waiting = 'clear') => ({ time, timeZone, waiting });

/** `fn()` with Date's local time zone set to `timeZone`. */
function inZone(timeZone, fn) {
  const before = process.env.TZ;
  process.env.TZ = timeZone;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

test('an opening falls at its time on the wall clock of its zone: later the same day, else the next', () => {
  const opening = daily('07:30');
  // 10 March 2026: Madrid is UTC+1.
  assert.equal(iso(openingAfter(opening, at('2026-03-10T05:00:00Z'))), '2026-03-10T06:30:00.000Z');
  assert.equal(iso(openingAfter(opening, at('2026-03-10T06:29:59.999Z'))), '2026-03-10T06:30:00.000Z');
  assert.equal(iso(openingAfter(opening, at('2026-03-10T06:30:00Z'))), '2026-03-11T06:30:00.000Z', 'after, never at');
  // Just before midnight UTC it is already the next day in Madrid.
  assert.equal(iso(openingAfter(opening, at('2026-03-10T23:30:00Z'))), '2026-03-11T06:30:00.000Z');
  assert.equal(iso(openingAfter(daily('00:00'), at('2026-03-10T22:59:00Z'))), '2026-03-10T23:00:00.000Z');
  assert.equal(iso(openingAfter(daily('23:59', 'America/Los_Angeles'), at('2026-03-10T12:00:00Z'))), '2026-03-11T06:59:00.000Z');
  assert.equal(openingAfter(null, at('2026-03-10T05:00:00Z')), null, 'no opening, never');
  assert.equal(openingAfter(undefined, 0), null);
});

test('Madrid\'s clocks going forward (last Sunday of March) and back (of October): the opening keeps its wall time', () => {
  const opening = daily('07:30');
  // 29 March 2026, 02:00 CET -> 03:00 CEST: a day of 23 hours.
  const saturday = openingAfter(opening, at('2026-03-28T00:00:00Z'));
  const sunday = openingAfter(opening, saturday);
  assert.deepEqual([iso(saturday), iso(sunday)], ['2026-03-28T06:30:00.000Z', '2026-03-29T05:30:00.000Z']);
  assert.equal(sunday - saturday, 23 * 3600_000);
  // 25 October 2026, 03:00 CEST -> 02:00 CET: a day of 25 hours.
  const before = openingAfter(opening, at('2026-10-24T00:00:00Z'));
  const after = openingAfter(opening, before);
  assert.deepEqual([iso(before), iso(after)], ['2026-10-24T05:30:00.000Z', '2026-10-25T06:30:00.000Z']);
  assert.equal(after - before, 25 * 3600_000);
});

test('a time that does not exist that day falls later by the gap; one that happens twice, on the first', () => {
  const gap = daily('02:30');
  const days = [];
  let t = at('2026-03-27T12:00:00Z');
  for (let i = 0; i < 4; i++) days.push(iso(t = openingAfter(gap, t)));
  // 02:30 on 29 March does not exist in Madrid: 03:30 CEST, the instant Date gives it too.
  assert.deepEqual(days, ['2026-03-28T01:30:00.000Z', '2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z', '2026-03-31T00:30:00.000Z']);
  assert.equal(iso(inZone(MADRID, () => new Date(2026, 2, 29, 2, 30).getTime())), days[1]);
  // 02:30 on 25 October happens twice (CEST, then CET): the first, once.
  const twice = daily('02:30');
  const first = openingAfter(twice, at('2026-10-24T12:00:00Z'));
  assert.equal(iso(first), '2026-10-25T00:30:00.000Z');
  assert.equal(iso(openingAfter(twice, first)), '2026-10-26T01:30:00.000Z', 'not again an hour later');
  // New York, 8 March 2026, 02:00 -> 03:00; Lord Howe moves by half an hour.
  assert.equal(iso(openingAfter(daily('02:15', 'America/New_York'), at('2026-03-08T00:00:00Z'))), '2026-03-08T07:15:00.000Z');
  assert.equal(iso(instantOf(Date.UTC(2026, 3, 5, 1, 45), 'Australia/Lord_Howe')), '2026-04-04T14:45:00.000Z');
});

test('a date the zone skips altogether (Samoa, 30 December 2011) opens once, on the next date', () => {
  const opening = daily('07:30', 'Pacific/Apia');
  const days = [];
  let t = at('2011-12-28T12:00:00Z'); // 02:00 on the 28th in Apia (UTC-10), which went to UTC+14
  for (let i = 0; i < 4; i++) days.push(iso(t = openingAfter(opening, t)));
  // The 28th, the 29th, the 31st (the 30th's opening, later by the day skipped, is the 31st's), 1 January.
  assert.deepEqual(days, ['2011-12-28T17:30:00.000Z', '2011-12-29T17:30:00.000Z', '2011-12-30T17:30:00.000Z', '2011-12-31T17:30:00.000Z']);
});

test('an opening is never due twice on the same date: a time moved later that day waits for the next', () => {
  const last = openingAfter(daily('07:30'), at('2026-03-10T05:00:00Z'));
  // At 08:00 the manager moves the opening to 09:00: not again today.
  assert.equal(iso(openingAfter(daily('09:00'), at('2026-03-10T07:00:00Z'), last)), '2026-03-11T08:00:00.000Z');
  assert.equal(iso(openingAfter(daily('09:00'), at('2026-03-10T07:00:00Z'))), '2026-03-10T08:00:00.000Z', 'without a last one, today');
  // An opening of yesterday does not hold today's back.
  assert.equal(iso(openingAfter(daily('09:00'), at('2026-03-10T07:00:00Z'), last - 86_400_000)), '2026-03-10T08:00:00.000Z');
});

const ZONES = ['Europe/Madrid', 'America/New_York', 'America/Sao_Paulo', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC', 'America/St_Johns'];

test('for any zone, time and instant: the next opening is the first instant after it that Date gives that wall time', () => {
  fc.assert(fc.property(
    fc.constantFrom(...ZONES), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }),
    fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
    (timeZone, hours, minutes, from) => {
      const time = `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
      const next = openingAfter(daily(time, timeZone), from);
      assert.ok(next > from);
      assert.ok(next - from <= 26 * 3600_000, 'within a day and a change of the clocks');
      // Date's local time of each date around it: the next is the first of them after `from`.
      const expected = inZone(timeZone, () => {
        const day = new Date(from);
        const candidates = [-1, 0, 1, 2].map((i) => new Date(day.getFullYear(), day.getMonth(), day.getDate() + i, hours, minutes).getTime());
        return Math.min(...candidates.filter((t) => t > from));
      });
      assert.equal(iso(next), iso(expected), `${time} in ${timeZone} after ${iso(from)}`);
    },
  ), { numRuns: 2000 });
});

test('an opening is checked: a time of day, a zone this engine knows, clear or keep', () => {
  assert.deepEqual(checkOpening({ time: '07:30', timeZone: MADRID }), { opening: daily('07:30') }, 'clear unless said');
  assert.deepEqual(checkOpening({ time: '00:00', timeZone: 'UTC', waiting: 'keep' }), { opening: daily('00:00', 'UTC', 'keep') });
  for (const bad of [null, [], '07:30', { time: '7:30', timeZone: MADRID }, { time: '24:00', timeZone: MADRID },
    { time: '07:60', timeZone: MADRID }, { time: '07:30' }, { time: '07:30', timeZone: 'Mars/Olympus' },
    { time: '07:30', timeZone: MADRID, waiting: 'drop' }, { time: '07:30', timeZone: MADRID, waiting: null }]) {
    assert.match(checkOpening(bad).problem ?? '', /opening/, JSON.stringify(bad));
  }
  assert.equal(isTimeZone(''), false);
  assert.equal(isTimeZone(7), false);
});

test('a configuration carries its opening; without one it is what earlier builds wrote, and the opening never makes an operation mismatch', () => {
  const plain = { minNumber: 1, maxNumber: 99, autoShutdownTimeout: Infinity };
  const opening = daily('07:30');
  // No opening: the same object and the same JSON as before openings existed.
  assert.deepEqual(checkConfig(plain), plain);
  assert.deepEqual(checkConfig({ ...plain, opening: null }), plain);
  assert.equal(JSON.stringify(wireConfig(checkConfig(plain))), '{"minNumber":1,"maxNumber":99,"autoShutdownTimeout":null}');
  const withOpening = checkConfig({ ...plain, opening: { time: '07:30', timeZone: MADRID } });
  assert.deepEqual(withOpening, { ...plain, opening });
  assert.deepEqual(readConfig(JSON.parse(JSON.stringify(wireConfig(withOpening)))), withOpening, 'through JSON and back');
  assert.throws(() => checkConfig({ ...plain, opening: { time: '25:00', timeZone: MADRID } }), { code: 'invalid_configuration' });
  // An opening this reader cannot read is none, as for a build that knows no opening.
  assert.deepEqual(readConfig({ ...wireConfig(plain), opening: { time: 'noon', timeZone: MADRID } }), plain);
  // What an operation must declare: the range and the timeout, as every build compares them.
  assert.equal(sameConfig(withOpening, plain), true);
  assert.equal(sameSettings(withOpening, plain), false);
  assert.equal(sameSettings(withOpening, { ...plain, opening: { ...opening } }), true);
  assert.equal(sameSettings(plain, { ...plain, opening: null }), true);
  assert.equal(sameOpening(opening, { ...opening, waiting: 'keep' }), false);
});
