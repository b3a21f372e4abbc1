// The exactly-once check of tests/js/shared/windows.test.mjs, shared with the hub tests.
import assert from 'node:assert/strict';

/**
 * `taken` and `served` are the answers the devices got; `queue` is the final queue. No number
 * is handed out twice, none is served twice, and every ticket is either served or still waiting
 * (numbers never wrap in these runs: the queue never empties and the range is wide).
 * `unanswered`: calls that failed without an answer (a window closed, a hub unreachable); each
 * may or may not have been applied, so up to that many numbers may be served or wait that
 * nobody was told of. Nothing else may. `servedUnanswered`: numbers the record shows as served
 * (a console's "now serving", say) by such a call: served, not lost.
 */
export function assertExactlyOnce({ initial = [], taken, served, queue, unanswered = 0, servedUnanswered = [] }) {
  const tickets = [...initial, ...taken];
  assert.equal(new Set(taken).size, taken.length, `duplicate tickets: ${dupes(taken)}`);
  assert.equal(new Set(tickets).size, tickets.length, 'a ticket repeats a number already waiting');
  assert.equal(new Set(served).size, served.length, `numbers served twice: ${dupes(served)}`);
  assert.equal(new Set(queue).size, queue.length, 'a number waits twice');
  for (const n of served) assert.ok(!queue.includes(n), `${n} was served and is still waiting`);
  assert.ok(servedUnanswered.length <= unanswered, 'more numbers served unanswered than calls unanswered');
  for (const n of servedUnanswered) {
    assert.ok(!served.includes(n) && !queue.includes(n), `${n} is served unanswered and also served or waiting`);
  }
  const accounted = new Set([...served, ...queue, ...servedUnanswered]);
  const lost = tickets.filter((n) => !accounted.has(n));
  assert.deepEqual(lost, [], 'tickets lost');
  const known = new Set(tickets);
  const unknown = [...accounted].filter((n) => !known.has(n));
  assert.ok(unknown.length <= unanswered, `numbers served or waiting that nobody took: ${unknown}`);
  return { duplicates: 0, losses: 0, unknown: unknown.length };
}

const dupes = (list) => list.filter((n, i) => list.indexOf(n) !== i);
