// The board's calls one at a time (www/js/model/call-queue.js), on a clock that moves only when
// told to: calls that come together wait their turn, none lost; each stays its minimum time
// and until its call-out ends, but no longer than the cap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallQueue } from '../../www/js/model/call-queue.js';

/** setTimeout on a fake clock; `advance(ms)` runs what falls due, letting promises settle. */
function fakeClock() {
  let now = 0;
  let next = 1;
  const due = new Map();
  const flush = () => new Promise((resolve) => setImmediate(resolve));
  return {
    setTimeout: (fn, ms) => { due.set(next, { fn, at: now + ms }); return next++; },
    clearTimeout: (id) => { due.delete(id); },
    async advance(ms) {
      const end = now + ms;
      await flush();
      for (;;) {
        const first = [...due].filter(([, t]) => t.at <= end).sort(([, a], [, b]) => a.at - b.at)[0];
        if (!first) break;
        due.delete(first[0]);
        now = first[1].at;
        first[1].fn();
        await flush();
      }
      now = end;
    },
  };
}

const news = (number, counter = null, again = false) => ({ dept: { config: { id: 'blood-tests' } }, call: { number, counter, at: 0 }, again });
const numberOf = (current) => current?.call.number ?? null;

test('three calls in the same second are shown one after another, each its minimum time, none lost', async () => {
  const clock = fakeClock();
  const said = [];
  const queue = new CallQueue({ timers: clock, showMs: 4000, longestMs: 15_000, say: (n) => { said.push(n.call.number); return Promise.resolve(); } });
  const shown = [];
  queue.subscribe((current) => shown.push(numberOf(current)));
  queue.push(news(104, '2'));
  queue.push(news(105, '1'));
  queue.push(news(104, '2', true));
  assert.equal(numberOf(queue.current), 104);
  assert.equal(queue.waiting, 2);
  await clock.advance(3999);
  assert.equal(numberOf(queue.current), 104, 'not before its minimum time');
  await clock.advance(1);
  assert.equal(numberOf(queue.current), 105);
  await clock.advance(4000);
  assert.deepEqual([numberOf(queue.current), queue.current.again], [104, true], 'the recall, in its turn');
  await clock.advance(4000);
  assert.equal(queue.current, null, 'the board again');
  assert.deepEqual(said, [104, 105, 104], 'each said as it comes on screen, in order');
  assert.deepEqual(shown.filter((n, i) => n !== shown[i - 1]), [104, 105, 104, null]);
});

test('a call stays until its call-out has ended, and no longer than the cap when it never does', async () => {
  const clock = fakeClock();
  const ends = new Map();
  const queue = new CallQueue({
    timers: clock, showMs: 4000, longestMs: 15_000,
    say: (n) => new Promise((resolve) => { ends.set(n.call.number, resolve); }),
  });
  queue.push(news(1));
  queue.push(news(2));
  await clock.advance(6000);
  assert.equal(numberOf(queue.current), 1, 'still being said');
  ends.get(1)();
  await clock.advance(0);
  assert.equal(numberOf(queue.current), 2, 'the next once it was said');
  await clock.advance(14_999);
  assert.equal(numberOf(queue.current), 2);
  await clock.advance(1);
  assert.equal(queue.current, null, 'a voice that never ends holds the board 15 s at most');
  queue.push(news(3));
  assert.equal(numberOf(queue.current), 3, 'an empty queue shows a new call at once');
});

test('a call-out that fails does not stop the queue', async () => {
  const clock = fakeClock();
  const queue = new CallQueue({ timers: clock, showMs: 1000, say: () => { throw new Error('no voice'); } });
  queue.push(news(1));
  queue.push(news(2));
  await clock.advance(1000);
  assert.equal(numberOf(queue.current), 2);
  await clock.advance(1000);
  assert.equal(queue.current, null);
});

test('a listener that throws neither stops the queue nor the others; a crowd of calls is shown half as long each', async () => {
  const clock = fakeClock();
  const queue = new CallQueue({ timers: clock, showMs: 4000 });
  let failures = 0;
  const shown = [];
  const reportError = globalThis.reportError;
  globalThis.reportError = () => {};
  try {
    queue.subscribe(() => { failures += 1; throw new Error('a broken view'); });
    queue.subscribe((current) => shown.push(numberOf(current)));
    for (let n = 1; n <= 6; n++) queue.push(news(n));
    assert.equal(numberOf(queue.current), 1, 'shown at once, in spite of the broken listener');
    await clock.advance(4000);
    assert.equal(numberOf(queue.current), 2);
    await clock.advance(2000);
    assert.equal(numberOf(queue.current), 3, 'four waiting behind 2: half the time');
    await clock.advance(2000);
    assert.equal(numberOf(queue.current), 3, 'three waiting behind 3: the whole time');
    await clock.advance(2000 + 4000 + 4000 + 4000);
    assert.equal(queue.current, null);
    assert.deepEqual(shown.filter((n, i) => n !== shown[i - 1]), [1, 2, 3, 4, 5, 6, null], 'none lost');
    assert.ok(failures > 0);
  } finally {
    globalThis.reportError = reportError;
  }
});
