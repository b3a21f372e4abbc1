// A department's public summary (www/js/model/follow-summary.js), what a phone following a ticket
// reads: from the kiosk's record as the devices apply it, with the queue as the Machine keeps it.
// Pure functions, no browser, no hub; the hub's writing of it is tests/js/hub/public.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kioskRecord, OUTCOME } from '../../www/js/model/ticket-record.js';
import { summaryOf, ENDED, SUMMARY_VERSION } from '../../www/js/model/follow-summary.js';
import { estimateWait } from '../../www/js/model/estimate.js';

const MIN = 60_000;
const DAY = Date.UTC(2026, 10, 24); // a UTC midnight
const at = (hours, minutes = 0, seconds = 0) => DAY + ((hours * 60 + minutes) * 60 + seconds) * 1000;
const hooks = kioskRecord({ timeZone: 'UTC' });

const take = (number, time) => ({ type: 'take', number, at: time });
const serve = (number, time, counter) => ({ type: 'serve', number, priority: null, data: counter ? { counter } : null, at: time });
const note = (kind, counter, time) => ({ type: 'note', data: { kind, counter }, at: time });

/**
 * A department's state after `events`, as a device has it: the record from the hooks, the queue
 * as the rules keep it (takes at the back, a serve takes its number out wherever it is), `seq`
 * counting the events and `at` the last one's time.
 */
function stateAfter(events) {
  let record = hooks.initial();
  let queue = [];
  let asleep = false;
  for (const event of events) {
    record = hooks.apply(record, event);
    if (event.type === 'take') queue.push(event.number);
    if (event.type === 'serve') queue = queue.filter((n) => n !== event.number);
    if (event.type === 'reset' || event.type === 'shutdown') queue = [];
    asleep = event.type === 'shutdown' ? true : event.type === 'wake' || event.type === 'take' ? false : asleep;
  }
  return { seq: events.length, at: events.at(-1)?.at ?? 0, asleep, queue, record, lastActivity: 0, notices: [] };
}

test('the kiosk\'s record hooks carry the summary, with nothing in it but numbers and times', () => {
  const state = stateAfter([take(101, at(9)), take(102, at(9, 1)), serve(101, at(9, 2), 'A')]);
  const summary = hooks.summary(state, 'pharmacy');
  assert.deepEqual(summary, {
    v: SUMMARY_VERSION, department: 'pharmacy', seq: 3, at: at(9, 2), dayStart: DAY, asleep: false, nowServing: 101,
    counters: { A: 101 }, waiting: [[102, at(9, 1)]], ended: [[101, at(9), 'served', 'A', at(9, 2)]],
    cleared: { reset: null, closed: null }, pace: null,
  });
  // JSON and back is the same: plain data only.
  assert.deepEqual(JSON.parse(JSON.stringify(summary)), summary);
});

test('waiting is in queue order, a priority serve taken out of the middle; ended in call order', () => {
  const events = [take(1, at(9)), take(2, at(9, 1)), take(3, at(9, 2)), take(4, at(9, 3)),
    serve(3, at(9, 5), 'B'), serve(1, at(9, 6), 'A')];
  const summary = summaryOf(stateAfter(events), 'x-ray');
  assert.deepEqual(summary.waiting, [[2, at(9, 1)], [4, at(9, 3)]]);
  assert.deepEqual(summary.ended.map(([n]) => n), [3, 1], 'called order, not take order');
  assert.deepEqual(summary.counters, { A: 1, B: 3 });
  assert.equal(summary.nowServing, 1);
});

test('a no-show ends its ticket and frees its counter; a number taken again is a ticket of its own', () => {
  const events = [take(7, at(9)), serve(7, at(9, 1), 'A'), note('no-show', 'A', at(9, 2)),
    { type: 'reset', at: at(9, 3) }, take(7, at(9, 4))];
  const summary = summaryOf(stateAfter(events), 'x-ray');
  assert.deepEqual(summary.ended, [[7, at(9), 'no-show', 'A', at(9, 1)]]);
  assert.deepEqual(summary.counters, {});
  assert.deepEqual(summary.waiting, [[7, at(9, 4)]], 'the same number, told apart by its taken time');
});

test('a reset and an idle shutdown say up to which taken time they cleared the queue', () => {
  const reset = summaryOf(stateAfter([take(1, at(9)), take(2, at(9, 1)), serve(1, at(9, 2)), { type: 'reset', at: at(9, 5) }]), 'd');
  assert.deepEqual(reset.cleared, { reset: at(9, 1), closed: null });
  assert.deepEqual(reset.waiting, []);
  assert.deepEqual(reset.ended, [[1, at(9), 'served', null, at(9, 2)]], 'a served ticket stays served');
  const closed = stateAfter([take(1, at(9)), take(2, at(9, 1)), { type: 'reset', at: at(9, 2) }, take(3, at(10)), { type: 'shutdown', at: at(11) }]);
  const summary = summaryOf(closed, 'd');
  assert.deepEqual(summary.cleared, { reset: at(9, 1), closed: at(10) });
  assert.equal(summary.asleep, true);
});

test('ended holds the day\'s last ENDED (30) called tickets, oldest first', () => {
  const events = [];
  for (let n = 1; n <= 130; n++) events.push(take(n, at(8, 0, n)));
  for (let n = 1; n <= 130; n++) events.push(serve(n, at(9, 0, n), n % 2 ? 'A' : 'B'));
  const { ended } = summaryOf(stateAfter(events), 'd');
  assert.equal(ENDED, 30);
  assert.equal(ended.length, ENDED);
  assert.deepEqual(ended[0], [101, at(8, 0, 101), 'served', 'A', at(9, 0, 101)]);
  assert.deepEqual(ended.at(-1), [130, at(8, 0, 130), 'served', 'B', at(9, 0, 130)]);
});

test('the pace lets a phone estimate a wait as the kiosk does', () => {
  const events = [];
  for (let n = 1; n <= 10; n++) events.push(take(n, at(9, 0, n)));
  for (let n = 1; n <= 5; n++) events.push(serve(n, at(9, 3 * n), 'A'));
  const state = stateAfter(events);
  const { pace, at: when } = summaryOf(state, 'd');
  assert.deepEqual(pace, { interval: 3 * MIN, lastCall: at(9, 15) });
  const phone = (ahead, now) => (ahead + 1) * pace.interval - Math.min(Math.max(now - pace.lastCall, 0), pace.interval);
  for (const [ahead, later] of [[0, 0], [3, MIN], [4, 5 * MIN]]) {
    assert.equal(phone(ahead, when + later), estimateWait(state.record.day.tickets, { ahead, now: when + later }), `${ahead} ahead, ${later} ms on`);
  }
  assert.equal(summaryOf(stateAfter(events.slice(0, 12)), 'd').pace, null, 'too few calls: no estimate');
});

test('the same state gives the same bytes, whatever order the counters were first used in', () => {
  const events = [take(1, at(9)), take(2, at(9, 1)), serve(1, at(9, 2), 'B'), serve(2, at(9, 3), 'A')];
  const one = JSON.stringify(summaryOf(stateAfter(events), 'd'));
  // Another device's copy: the record through a snapshot (JSON), counters in another order.
  const state = stateAfter(events);
  const copy = { ...JSON.parse(JSON.stringify(state)), record: { ...state.record, counters: { A: state.record.counters.A, B: state.record.counters.B } } };
  assert.equal(JSON.stringify(summaryOf(copy, 'd')), one);
  assert.notEqual(JSON.stringify(summaryOf(stateAfter(events.slice(0, 3)), 'd')), one);
});

test('a summary of a 999-long queue stays small enough to send to every phone at each change', () => {
  const events = [];
  for (let n = 1; n <= 1099; n++) events.push(take(n, at(8) + n * 1000));
  for (let n = 1; n <= 100; n++) events.push(serve(n, at(9) + n * 1000, String(1 + (n % 9))));
  const state = stateAfter(events);
  assert.equal(state.queue.length, 999);
  const bytes = Buffer.byteLength(JSON.stringify(summaryOf(state, 'pharmacy')));
  assert.ok(bytes < 32 * 1024, `${bytes} bytes`);
  assert.ok(state.record.day.tickets.every((t) => t[OUTCOME] === 'waiting' || t[OUTCOME] === 'served'));
});
