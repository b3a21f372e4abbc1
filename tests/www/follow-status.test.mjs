// Where a followed ticket stands (www/js/follow/ticket-status.js, summary.js): every status a
// public summary can give it, the estimate, and which summary a phone keeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ticketStatus, estimatedWait, waitMinutes, isEnding } from '../../www/js/follow/ticket-status.js';
import { readSummary, newer } from '../../www/js/follow/summary.js';
import { kioskRecord } from '../../www/js/model/ticket-record.js';
import { summaryOf } from '../../www/js/model/follow-summary.js';

const MIN = 60_000;
const dayStart = 1_000_000;
const summary = (fields = {}) => ({
  v: 1, department: 'blood-tests', seq: 10, at: dayStart + 100 * MIN, dayStart, asleep: false,
  nowServing: null, counters: {}, waiting: [], ended: [], cleared: { reset: null, closed: null }, pace: null, ...fields,
});
const mine = { department: 'blood-tests', number: 205, taken: dayStart + 50 * MIN };
const at = (n) => dayStart + n * MIN;

test('no summary yet: unknown', () => {
  assert.deepEqual(ticketStatus(null, mine, at(1)), { status: 'unknown', nowServing: null });
});

test('a summary older than the ticket says nothing of it yet', () => {
  const early = summary({ at: mine.taken - 1, nowServing: 7 });
  assert.deepEqual(ticketStatus(early, mine, at(100)), { status: 'unknown', nowServing: 7 });
  assert.equal(ticketStatus({ ...early, at: mine.taken }, mine, at(100)).status, 'gone');
});

test('waiting: how many are ahead, and the wait from the pace', () => {
  const s = summary({
    nowServing: 203, waiting: [[204, at(40)], [205, mine.taken], [206, at(51)]],
    pace: { interval: 4 * MIN, lastCall: at(99) },
  });
  // (1 + 1) x 4 min - 1 min since the last call.
  assert.deepEqual(ticketStatus(s, mine, at(100)), { status: 'waiting', ahead: 1, waitMs: 7 * MIN, nowServing: 203 });
  assert.equal(ticketStatus({ ...s, pace: null }, mine, at(100)).waitMs, null, 'no pace, no estimate');
  // The same number taken another time is someone else's ticket.
  assert.equal(ticketStatus(summary({ waiting: [[205, at(10)]] }), mine, at(100)).status, 'gone');
});

test('the estimate stays within one interval of the model whatever the phone clock says', () => {
  const pace = { interval: 3 * MIN, lastCall: at(100) };
  assert.equal(estimatedWait(pace, 0, at(100)), 3 * MIN);
  assert.equal(estimatedWait(pace, 0, at(90)), 3 * MIN, 'a clock behind the hub');
  assert.equal(estimatedWait(pace, 2, at(200)), 6 * MIN, 'a clock far ahead, or staff on a break');
  assert.equal(estimatedWait(null, 2, at(100)), null);
  assert.deepEqual([waitMinutes(7 * MIN), waitMinutes(20 * 1000), waitMinutes(23 * MIN), waitMinutes(null)], [7, 1, 25, null]);
});

test('called: while the number is still at its counter, then served', () => {
  const ended = [[205, mine.taken, 'served', '2', at(101)]];
  const calledThere = summary({ nowServing: 205, counters: { 1: 204, 2: 205 }, ended });
  assert.deepEqual(ticketStatus(calledThere, mine, at(102)), { status: 'called', counter: '2', nowServing: 205 });
  // Counter 1 calls the next one: 205 is still at counter 2.
  assert.equal(ticketStatus({ ...calledThere, nowServing: 206, counters: { 1: 206, 2: 205 } }, mine, at(103)).status, 'called');
  // Counter 2 calls the next one: 205 has been served.
  assert.deepEqual(ticketStatus({ ...calledThere, nowServing: 207, counters: { 1: 206, 2: 207 } }, mine, at(104)),
    { status: 'served', nowServing: 207 });
  // A department without counters: called while it is the number being served.
  const noCounters = summary({ nowServing: 205, ended: [[205, mine.taken, 'served', null, at(101)]] });
  assert.deepEqual(ticketStatus(noCounters, mine, at(102)), { status: 'called', counter: null, nowServing: 205 });
  assert.equal(ticketStatus({ ...noCounters, nowServing: 206 }, mine, at(103)).status, 'served');
});

test('a ticket this phone saw called is served once the summary\'s last calls no longer list it', () => {
  const later = summary({ nowServing: 260, counters: { 1: 260 }, ended: [[259, at(90), 'served', '1', at(150)]] });
  assert.equal(ticketStatus(later, mine, at(151)).status, 'gone', 'a phone that never saw the call cannot tell');
  assert.deepEqual(ticketStatus(later, mine, at(151), { seenCalled: true }), { status: 'served', nowServing: 260 });
});

test('the endings: missed, reset, closed, and no longer in the queue', () => {
  assert.equal(ticketStatus(summary({ ended: [[205, mine.taken, 'no-show', '1', at(101)]] }), mine, at(102)).status, 'missed');
  assert.equal(ticketStatus(summary({ cleared: { reset: at(60), closed: null } }), mine, at(102)).status, 'reset');
  assert.equal(ticketStatus(summary({ cleared: { reset: null, closed: mine.taken } }), mine, at(102)).status, 'closed');
  // A reset before the ticket was taken says nothing of it; a reset wins over an older closing.
  assert.equal(ticketStatus(summary({ cleared: { reset: at(49), closed: null } }), mine, at(102)).status, 'gone');
  assert.equal(ticketStatus(summary({ cleared: { reset: at(60), closed: at(55) } }), mine, at(102)).status, 'reset');
  assert.equal(ticketStatus(summary({ dayStart: at(60) }), mine, at(102)).status, 'gone', 'yesterday\'s ticket');
  assert.equal(ticketStatus(summary({ dayStart: at(60), cleared: { reset: at(70), closed: at(65) } }), mine, at(102)).status, 'gone',
    'today\'s reset says nothing of yesterday\'s ticket');
  assert.equal(ticketStatus(summary(), mine, at(102)).status, 'gone');
  assert.deepEqual(['waiting', 'called', 'unknown', 'served', 'missed', 'reset', 'opening', 'closed', 'gone'].map(isEnding),
    [false, false, false, true, true, true, true, true, true]);
});

test('cleared at the day\'s opening: a ticket taken within what it cleared, the day before too', () => {
  const opened = (first, last, fields = {}) => summary({ cleared: { reset: last, closed: null, opening: [first, last] }, ...fields });
  assert.equal(ticketStatus(opened(at(40), at(50)), mine, at(102)).status, 'opening');
  assert.equal(ticketStatus(opened(at(50), at(50), { dayStart: at(60) }), mine, at(102)).status, 'opening', 'yesterday\'s ticket');
  assert.equal(ticketStatus(opened(at(10), at(40), { cleared: { reset: at(60), closed: null, opening: [at(10), at(40)] } }), mine, at(102)).status,
    'reset', 'taken after the opening: a staff reset since');
  assert.equal(ticketStatus(opened(at(51), at(52), { dayStart: at(60) }), mine, at(102)).status, 'gone');
  assert.equal(readSummary(opened(at(40), at(50)), 'blood-tests').problem, null);
  assert.equal(readSummary(summary({ cleared: { reset: null, closed: null, opening: null } }), 'blood-tests').problem, null);
  for (const bad of [[at(50), at(40)], [at(40)], 'x', [-1, 2]]) {
    assert.match(readSummary(summary({ cleared: { reset: null, closed: null, opening: bad } }), 'blood-tests').problem, /"cleared.opening"/);
  }
});

test('a phone keeps the newest summary, whichever way round they arrive', () => {
  const [s5, s6] = [summary({ seq: 5 }), summary({ seq: 6 })];
  assert.equal(newer(null, s5), s5);
  assert.equal(newer(s5, s6), s6);
  assert.equal(newer(s6, s5), s6, 'an older one arriving late is ignored');
  assert.equal(newer(s6, summary({ seq: 6 })), s6);
  assert.equal(newer(s6, null), s6, 'no summary (404) does not forget one');
});

test('a summary is read only when it has the shape of the contract', () => {
  assert.equal(readSummary(summary(), 'blood-tests').problem, null);
  const wrong = (fields) => readSummary({ ...summary(), ...fields }, 'blood-tests').problem;
  assert.match(wrong({ v: 2 }), /version 2/);
  assert.match(wrong({ department: 'pharmacy' }), /of "pharmacy", not blood-tests/);
  assert.match(wrong({ seq: -1 }), /"seq"/);
  assert.match(wrong({ asleep: 'no' }), /"asleep"/);
  assert.match(wrong({ nowServing: '7' }), /"nowServing"/);
  assert.match(wrong({ counters: { 1: null } }), /"counters"/);
  assert.match(wrong({ waiting: [[1]] }), /"waiting"/);
  assert.match(wrong({ ended: [[1, 2, 'lost', null, 3]] }), /"ended"/);
  assert.match(wrong({ cleared: {} }), /"cleared"/);
  assert.match(wrong({ pace: { interval: 0, lastCall: 1 } }), /"pace"/);
  assert.match(readSummary('{}', 'blood-tests').problem, /JSON object/);
  assert.match(readSummary(null, 'blood-tests').problem, /JSON object/);
});

test('the summaries the devices write (model/follow-summary.js) read, and place each ticket', () => {
  const hooks = kioskRecord({ timeZone: 'UTC' });
  const nine = Date.UTC(2026, 10, 24, 9);
  let record = hooks.initial();
  let queue = [];
  const summaries = [];
  const events = [{ type: 'take', number: 1, at: nine }, { type: 'take', number: 2, at: nine + MIN },
    { type: 'take', number: 3, at: nine + 2 * MIN }, { type: 'serve', number: 1, priority: null, data: { counter: 'A' }, at: nine + 3 * MIN },
    { type: 'note', data: { kind: 'no-show', counter: 'A' }, at: nine + 4 * MIN }, { type: 'reset', at: nine + 5 * MIN }];
  for (const [i, event] of events.entries()) {
    record = hooks.apply(record, event);
    if (event.type === 'take') queue.push(event.number);
    if (event.type === 'serve') queue = queue.filter((n) => n !== event.number);
    if (event.type === 'reset') queue = [];
    const written = summaryOf({ seq: i + 1, at: event.at, asleep: false, queue, record, lastActivity: event.at, notices: [] }, 'x-ray');
    const { summary, problem } = readSummary(JSON.parse(JSON.stringify(written)), 'x-ray');
    assert.equal(problem, null);
    summaries.push(summary);
  }
  const of = (number, minutes) => (s) => ticketStatus(s, { number, taken: nine + minutes * MIN }, nine + 6 * MIN).status;
  assert.deepEqual(summaries.map(of(1, 0)), ['waiting', 'waiting', 'waiting', 'called', 'missed', 'missed']);
  assert.deepEqual(summaries.map(of(3, 2)), ['unknown', 'unknown', 'waiting', 'waiting', 'waiting', 'reset']);
  assert.equal(ticketStatus(summaries[3], { number: 3, taken: nine + 2 * MIN }, nine + 3 * MIN).ahead, 1);
  // The next morning's opening clears a ticket taken late the day before, which the phone says.
  const late = { number: 1, taken: nine + 10 * 60 * MIN };
  const day2 = Date.UTC(2026, 10, 25, 7, 30);
  record = hooks.apply(hooks.apply(record, { type: 'take', number: 1, at: late.taken }), { type: 'reset', reason: 'opening', at: day2 });
  const written = summaryOf({ seq: 9, at: day2, asleep: false, queue: [], record, lastActivity: late.taken, notices: [] }, 'x-ray');
  const { summary } = readSummary(JSON.parse(JSON.stringify(written)), 'x-ray');
  assert.deepEqual(summary.cleared.opening, [late.taken, late.taken]);
  assert.equal(ticketStatus(summary, late, day2 + MIN).status, 'opening');
  assert.equal(ticketStatus(summary, { number: 3, taken: nine + 2 * MIN }, day2 + MIN).status, 'gone', 'the day before\'s reset is the day before\'s');
});

test('a ticket the record has no take of (an earlier release\'s) does not spoil the summary', () => {
  const read = readSummary(summary({ waiting: [[5, null], [205, mine.taken]], ended: [[4, null, 'served', null, at(9)]] }), 'blood-tests');
  assert.equal(read.problem, null);
  assert.equal(ticketStatus(read.summary, mine, at(100)).ahead, 1);
});
