// The kiosk's record (counters, calls, recall, no-show, the day's tickets and its midnight), the
// day's figures, chart and CSV, and the waiting-time estimate on a simulated day. Pure functions
// but the last test, a department's estimate from its record through the real package: no browser.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { kioskRecord, dayStart, dayAsOf, CALL_HISTORY, OUTCOME } from '../../www/js/model/ticket-record.js';
import { figures, percentile, ticketsCsv } from '../../www/js/model/day-figures.js';
import { hourlyChart, niceStep, busiestHour, MIN_HOURS } from '../../www/js/model/chart.js';
import { estimateWait, pace, roundedMinutes } from '../../www/js/model/estimate.js';
import { World } from '../support/windows.mjs';
import { bloodTests, closeDepartments, department } from '../support/departments.mjs';

const MIN = 60_000;
const DAY = Date.UTC(2026, 10, 24); // a UTC midnight
const at = (hours, minutes = 0) => DAY + (hours * 60 + minutes) * MIN;

/** Applies `events` to a fresh record, as the host does. */
function play(events, record = kioskRecord({ timeZone: 'UTC' })) {
  return events.reduce((r, e) => {
    const next = record.apply(r, e);
    assert.ok(record.check(next), `a record the check accepts after ${JSON.stringify(e)}`);
    return next;
  }, record.initial());
}

const take = (number, time) => ({ type: 'take', number, at: time });
const serve = (number, time, counter) => ({ type: 'serve', number, priority: null, data: counter ? { counter } : null, at: time });
const note = (kind, counter, time) => ({ type: 'note', data: { kind, counter }, at: time });

test('calls to counters: the number at each counter and the last calls, newest last', () => {
  const events = [];
  for (let n = 1; n <= 8; n++) events.push(take(n, at(9, n)));
  events.push(serve(1, at(9, 10), '1'), serve(2, at(9, 11), '2'), serve(3, at(9, 12), '1'));
  const record = play(events);
  assert.deepEqual(record.counters, { 1: { number: 3, at: at(9, 12) }, 2: { number: 2, at: at(9, 11) } });
  assert.equal(record.nowServing, 3);
  assert.deepEqual(record.calls.map((c) => [c.number, c.counter]), [[1, '1'], [2, '2'], [3, '1']]);
  const more = play([...events, ...[4, 5, 6, 7].map((n, i) => serve(n, at(9, 20 + i), '2'))]);
  assert.equal(more.calls.length, CALL_HISTORY);
  assert.deepEqual(more.calls.map((c) => c.number), [3, 4, 5, 6, 7]);
});

test('call again flashes the counter\'s current number; no-show closes it without putting it back', () => {
  const record = play([take(1, at(9)), take(2, at(9, 1)), serve(1, at(9, 2), 'A'), note('recall', 'A', at(9, 3)),
    note('no-show', 'A', at(9, 4)), note('recall', 'A', at(9, 5))]);
  assert.deepEqual(record.recall, { number: 1, counter: 'A', at: at(9, 3) }, 'a recall at an empty counter changes nothing');
  assert.deepEqual(record.counters, {});
  assert.deepEqual(record.day.tickets.map((t) => t[OUTCOME]), ['no-show', 'waiting']);
  assert.equal(record.day.noShows, 1);
  // Without counters: the number being served.
  const plain = play([take(5, at(9)), serve(5, at(9, 1)), note('recall', null, at(9, 2)), note('no-show', null, at(9, 3))]);
  assert.deepEqual(plain.recall, { number: 5, counter: null, at: at(9, 2) });
  assert.equal(plain.nowServing, null);
  assert.equal(plain.day.tickets[0][OUTCOME], 'no-show');
});

test('a reset and a shutdown close what is waiting; the day keeps its figures until midnight', () => {
  const record = play([take(1, at(8)), take(2, at(8, 1)), serve(1, at(8, 5), '1'), { type: 'reset', at: at(8, 6) },
    take(1, at(9)), { type: 'shutdown', at: at(11) }]);
  assert.deepEqual(record.day.tickets.map((t) => [t[0], t[OUTCOME]]), [[1, 'served'], [2, 'reset'], [1, 'closed']]);
  assert.equal(record.day.resets, 1);
  assert.equal(record.nowServing, null);
  const tomorrow = kioskRecord({ timeZone: 'UTC' }).apply(record, take(1, at(24 + 8)));
  assert.equal(tomorrow.day.start, DAY + 24 * 60 * MIN);
  assert.deepEqual(tomorrow.day.tickets.map((t) => t[0]), [1]);
  assert.equal(tomorrow.day.resets, 0);
});

test('the daily opening clears what is waiting and who is at the counters, as no staff reset; keep carries the tickets on', () => {
  const opening = { type: 'reset', reason: 'opening', at: at(24 + 7, 30) };
  const record = play([take(1, at(17)), take(2, at(17, 5)), serve(1, at(17, 10), '1'), take(3, at(18)),
    take(4, at(24 + 7)), opening, take(1, at(24 + 7, 31))]);
  assert.equal(record.day.start, DAY + 24 * 60 * MIN, 'a new day');
  assert.deepEqual(record.day.tickets.map((t) => [t[0], t[OUTCOME]]), [[2, 'reset'], [3, 'reset'], [4, 'reset'], [1, 'waiting']],
    'yesterday\'s tickets still waiting come along into the day, and end with the opening');
  assert.deepEqual(record.day.opening, { at: at(24 + 7, 30), first: at(17, 5), last: at(24 + 7) });
  assert.deepEqual([record.counters, record.nowServing], [{}, null]);
  const counted = figures([record.day]);
  assert.deepEqual([counted.resets, counted.waiting], [0, 1], 'no staff reset');
  // Keep: nothing ends, and the counters stay as they are.
  const kept = play([take(1, at(17)), serve(1, at(17, 10), '1'), take(2, at(18)), { type: 'opening', at: at(24 + 7, 30) }]);
  assert.deepEqual(kept.day.tickets.map((t) => [t[0], t[OUTCOME]]), [[2, 'waiting']]);
  assert.deepEqual(kept.day.opening, { at: at(24 + 7, 30), first: null, last: null });
  assert.equal(kept.counters['1'].number, 1);
  // An opening that finds nothing waiting says so.
  assert.deepEqual(play([{ ...opening, at: at(7, 30) }]).day.opening, { at: at(7, 30), first: null, last: null });
  // The next day starts without it.
  assert.equal('opening' in kioskRecord({ timeZone: 'UTC' }).apply(record, take(2, at(48 + 6))).day, false);
});

test('tickets still waiting at midnight come along into the new day', () => {
  const record = play([take(7, at(23, 50)), take(8, at(24, 10)), serve(7, at(24, 20), '1')]);
  assert.equal(record.day.start, DAY + 24 * 60 * MIN);
  assert.deepEqual(record.day.tickets.map((t) => [t[0], t[OUTCOME]]), [[7, 'served'], [8, 'waiting']]);
});

test('after midnight the day starts at 0 even before an event rolls the record over', () => {
  const record = kioskRecord({ timeZone: 'UTC' });
  const day0 = Date.UTC(2026, 10, 24);
  let r = record.initial();
  for (const [type, number, hours] of [['take', 1, 9], ['take', 2, 9.5], ['serve', 1, 10]]) {
    r = record.apply(r, { type, number, at: day0 + hours * 3600_000, data: { counter: '1' } });
  }
  const next = dayAsOf(r.day, day0 + 25 * 3600_000, 'UTC');
  assert.equal(next.start, day0 + 24 * 3600_000);
  assert.deepEqual(next.tickets.map((t) => t[0]), [2], 'the ticket still waiting comes along');
  assert.equal(dayAsOf(r.day, day0 + 12 * 3600_000, 'UTC'), r.day, 'the same day is the day itself');
});

test('the facility\'s midnight comes from its time zone, on ordinary days and when the clocks change', () => {
  assert.equal(dayStart(at(15), 'UTC'), DAY);
  // 24 Nov 2026 in Madrid is UTC+1: local midnight is 23:00 UTC the day before.
  assert.equal(dayStart(at(15), 'Europe/Madrid'), DAY - 60 * MIN);
  // 29 Mar 2026, Madrid: clocks go from 02:00 to 03:00; midnight is 23:00 UTC on the 28th.
  assert.equal(dayStart(Date.UTC(2026, 2, 29, 12), 'Europe/Madrid'), Date.UTC(2026, 2, 28, 23));
  // 25 Oct 2026, Madrid: clocks go back; midnight is 22:00 UTC on the 24th.
  assert.equal(dayStart(Date.UTC(2026, 9, 25, 20), 'Europe/Madrid'), Date.UTC(2026, 9, 24, 22));
  // Two devices applying the same events get the same record whatever their own zone.
  const events = [take(1, Date.UTC(2026, 10, 24, 23, 30)), take(2, Date.UTC(2026, 10, 25, 0, 30))];
  assert.deepEqual(play(events, kioskRecord({ timeZone: 'Asia/Tokyo' })), play(events, kioskRecord({ timeZone: 'Asia/Tokyo' })));
});

test('the check refuses records that are not of this shape', () => {
  const { check, initial } = kioskRecord();
  assert.equal(check(initial()), true);
  for (const bad of [null, {}, { ...initial(), counters: [] }, { ...initial(), calls: [{ number: '1' }] },
    { ...initial(), day: { ...initial().day, tickets: [[1, 0, null, null, 'lost']] } },
    { ...initial(), recall: { number: 1 } }, { ...initial(), nowServing: 1.5 },
    { ...initial(), day: { ...initial().day, opening: { at: 1 } } }, { ...initial(), day: { ...initial().day, opening: { at: -1, first: null, last: null } } }]) {
    assert.equal(check(bad), false, JSON.stringify(bad));
  }
});

test('the day\'s figures: issued, served, no-shows, resets, waits, service times, longest queue, per hour', () => {
  const record = play([
    take(1, at(9)), take(2, at(9, 2)), take(3, at(9, 4)),
    serve(1, at(9, 10), 'A'), serve(2, at(9, 12), 'B'), serve(3, at(9, 20), 'A'), note('no-show', 'A', at(9, 21)),
    take(4, at(10, 30)), serve(4, at(10, 40), 'A'), take(5, at(11)), { type: 'reset', at: at(11, 5) },
  ]);
  const f = figures([record.day]);
  assert.equal(f.issued, 5);
  assert.equal(f.served, 3);
  assert.equal(f.noShows, 1);
  assert.equal(f.resets, 1);
  assert.equal(f.longestQueue, 3);
  assert.equal(f.averageWait, ((10 + 10 + 16 + 10) * MIN) / 4);
  assert.equal(f.p90Wait, 16 * MIN);
  // Counter A called at 9:10, 9:20, 10:40: services of 10 and 80 minutes; B once: none.
  assert.equal(f.averageService, 45 * MIN);
  assert.deepEqual(f.perHour.slice(8, 12), [0, 3, 1, 1]);
  assert.equal(percentile([5, 1, 4, 2, 3], 0.5), 3);
  assert.equal(figures([]).averageWait, null);
});

test('the CSV has one row per ticket, facility-local times, and defused spreadsheet formulas', () => {
  const record = play([take(-3, at(9)), take(4, at(9, 1)), serve(-3, at(9, 5), '=2+2')]);
  const csv = ticketsCsv([{ name: 'Pharmacy, "east"', day: record.day }], 'Europe/Madrid');
  assert.equal(csv, 'number,department,taken,called,counter,outcome,group,parked,from,to\r\n'
    + '-3,"Pharmacy, ""east""",2026-11-24 10:00:00,2026-11-24 10:05:00,\'=2+2,served,,0,,\r\n'
    + '4,"Pharmacy, ""east""",2026-11-24 10:01:00,,,waiting,,0,,\r\n');
});

test('the chart shows the day from its first busy hour to now, stacked by department', () => {
  const hours = (entries) => Array.from({ length: 24 }, (_, h) => entries[h] ?? 0);
  const series = [
    { id: 'a', colour: '#111111', perHour: hours({ 9: 3, 10: 7, 13: 2 }) },
    { id: 'b', colour: '#222222', perHour: hours({ 10: 4, 11: 1 }) },
  ];
  const chart = hourlyChart(series, 16);
  assert.deepEqual(chart.hours, [9, 10, 11, 12, 13, 14, 15, 16]);
  assert.deepEqual(chart.bars[1], {
    hour: 10,
    total: 11,
    segments: [{ id: 'a', colour: '#111111', count: 7, from: 0, to: 7 }, { id: 'b', colour: '#222222', count: 4, from: 7, to: 11 }],
  });
  assert.deepEqual(chart.bars[3], { hour: 12, total: 0, segments: [] }, 'quiet hours are shown as such');
  assert.equal(chart.max, 15, 'the scale ends on a round mark above the busiest hour');
  assert.deepEqual(chart.ticks, [0, 5, 10, 15]);
  assert.deepEqual(busiestHour(series), { hour: 10, total: 11 });

  // One busy hour early in the day: at least MIN_HOURS bars, the hours to come first.
  const early = hourlyChart([{ id: 'a', colour: '#000000', perHour: hours({ 8: 1 }) }], 8);
  assert.equal(early.hours.length, MIN_HOURS);
  assert.deepEqual([early.hours[0], early.hours.at(-1)], [8, 15]);
  const late = hourlyChart([{ id: 'a', colour: '#000000', perHour: hours({ 21: 2 }) }], 22);
  assert.deepEqual([late.hours[0], late.hours.at(-1)], [16, 23], 'late in the day, the hours before');
  assert.equal(hourlyChart([{ id: 'a', colour: '#000000', perHour: hours({}) }], 12), null);
  assert.deepEqual([1, 5, 6, 11, 24, 99, 480].map(niceStep), [1, 1, 2, 5, 5, 20, 100]);
});

/** A small seeded random generator (mulberry32): the same day every run. */
function random(seed) {
  let state = seed;
  return () => {
    state = (state + 0x6D2B79F5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * An 8-hour day at two counters: people arrive at random (0.45 a minute), staff take
 * `service()` per person. Each ticket's estimate is taken when it is issued, from the record as
 * the page would have it; its true wait is known when it is called.
 */
function simulateDay(seed, service) {
  const next = random(seed);
  const record = kioskRecord({ timeZone: 'UTC' });
  let state = record.initial();
  const open = at(8);
  const free = { 1: open, 2: open };
  const arrivals = [];
  for (let t = open; t < at(16);) {
    t += (-Math.log(1 - next()) / 0.45) * MIN;
    arrivals.push(Math.round(t));
  }
  const queue = [];
  const tickets = [];
  let number = 1;
  while (arrivals.length > 0 || queue.length > 0) {
    const counter = free[1] <= free[2] ? '1' : '2';
    const callAt = queue.length > 0 ? Math.max(free[counter], queue[0].taken) : Infinity;
    if (arrivals.length > 0 && arrivals[0] <= callAt) {
      const now = arrivals.shift();
      const ticket = { number: number++, taken: now, ahead: queue.length, estimate: estimateWait(state.day.tickets, { ahead: queue.length, now }) };
      state = record.apply(state, take(ticket.number, now));
      queue.push(ticket);
      tickets.push(ticket);
    } else {
      const ticket = queue.shift();
      state = record.apply(state, serve(ticket.number, callAt, counter));
      ticket.wait = callAt - ticket.taken;
      free[counter] = callAt + service(next);
    }
  }
  return tickets;
}

test('the estimate lands within 25% of the true wait on simulated days with a known service rate', () => {
  // Warmed up: after the first hour, for people with at least two ahead of them (for the
  // next in line the page says "you are next" instead).
  const judged = (tickets) => tickets.filter((t) => t.taken >= at(9) && t.ahead >= 2 && t.estimate !== null);
  const error = (t) => Math.abs(t.estimate - t.wait) / t.wait;

  // Four minutes a person at each counter.
  const steady = judged(simulateDay(42, () => 4 * MIN));
  assert.ok(steady.length >= 100, `${steady.length} tickets judged`);
  const within = steady.filter((t) => error(t) <= 0.25).length / steady.length;
  assert.ok(within >= 0.9, `${(within * 100).toFixed(0)}% of estimates within 25%`);

  // Three to five minutes a person (4 on average), five different days.
  for (const seed of [1, 2, 3, 7, 42]) {
    const day = judged(simulateDay(seed, (next) => (3 + 2 * next()) * MIN));
    const mean = (values) => values.reduce((sum, v) => sum + v, 0) / values.length;
    const ratio = mean(day.map((t) => t.estimate)) / mean(day.map((t) => t.wait));
    assert.ok(ratio >= 0.75 && ratio <= 1.25, `day ${seed}: average estimate / average wait = ${ratio.toFixed(2)}`);
    const median = percentile(day.map(error), 0.5);
    assert.ok(median <= 0.25, `day ${seed}: median error ${(median * 100).toFixed(0)}%`);
  }
});

test('no estimate without enough recent calls, and none from calls made while nobody waited', () => {
  // A quiet morning: someone comes every five minutes and is called at once.
  const quiet = play([1, 2, 3, 4, 5, 6].flatMap((n) => [take(n, at(10, 5 * n)), serve(n, at(10, 5 * n + 1), '1')]));
  assert.equal(pace(quiet.day.tickets, at(10, 32)), null, 'every call was to an empty line');
  assert.equal(estimateWait(quiet.day.tickets, { ahead: 0, now: at(10, 32) }), null);
  const busy = play([take(1, at(9)), take(2, at(9)), take(3, at(9)), take(4, at(9)), take(5, at(9)),
    serve(1, at(9, 2), '1'), serve(2, at(9, 5), '1'), serve(3, at(9, 8), '1'), serve(4, at(9, 11), '1')]);
  assert.equal(pace(busy.day.tickets, at(9, 12)), 3 * MIN);
  assert.equal(estimateWait(busy.day.tickets, { ahead: 1, now: at(9, 12) }), 5 * MIN);
  assert.equal(pace(busy.day.tickets, at(10, 30)), null, 'calls older than the pace window say nothing');
  assert.deepEqual([0.2, 4.4, 9.6, 12, 13, 47].map((m) => roundedMinutes(m * MIN)), [1, 4, 10, 10, 15, 45]);
});

afterEach(closeDepartments);

test('the estimate of a department comes from its record', async () => {
  const d = department(new World(), bloodTests());
  await d.ready;
  assert.equal(d.estimate({ ahead: 3, now: Date.now() }), null, 'no calls yet: nothing to say');
  for (let i = 0; i < 8; i++) await d.take();
  for (let i = 0; i < 5; i++) await d.serve(undefined, '1');
  // Calls made a few ms apart: a pace, so an estimate (tiny, but there).
  assert.equal(typeof d.estimate({ ahead: 2, now: Date.now() }), 'number');
});
