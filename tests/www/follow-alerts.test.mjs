// When the follow page alerts (www/js/follow/alerts.js): once near the front, once when called,
// never again after a reload, and never for what the customer saw on opening.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NO_ALERTS, alertsFor, alertState } from '../../www/js/follow/alerts.js';

const waiting = (ahead) => ({ status: 'waiting', ahead, waitMs: null });
const called = (counter) => ({ status: 'called', counter });

/** The alerts a sequence of statuses gives, from no alert given. */
function run(statuses, alertAhead = 3, state = NO_ALERTS) {
  const given = [];
  for (const status of statuses) {
    const next = alertsFor(state, status, alertAhead);
    state = next.state;
    given.push(...next.alerts);
  }
  return { given, state };
}

test('near once, on the way in, then the call with its counter', () => {
  const { given } = run([waiting(6), waiting(5), waiting(4), waiting(3), waiting(2), waiting(1), waiting(0), called('2'), called('2')]);
  assert.deepEqual(given, [{ kind: 'near', ahead: 3 }, { kind: 'called', counter: '2' }]);
});

test('a jump past the threshold still alerts, once', () => {
  assert.deepEqual(run([waiting(9), waiting(1), waiting(0)]).given, [{ kind: 'near', ahead: 1 }]);
  assert.deepEqual(run([waiting(9), waiting(1), waiting(0)], 0).given, [{ kind: 'near', ahead: 0 }]);
});

test('a ticket opened already near the front is not alerted for what the screen shows', () => {
  assert.deepEqual(run([waiting(2), waiting(1), waiting(0)]).given, []);
  assert.deepEqual(run([waiting(2), called(null)]).given, [{ kind: 'called', counter: null }]);
});

test('a call skips a near alert that had not fired, and endings alert nothing', () => {
  assert.deepEqual(run([waiting(8), called('1'), waiting(0)]).given, [{ kind: 'called', counter: '1' }]);
  for (const status of ['served', 'missed', 'reset', 'closed', 'gone', 'unknown']) {
    assert.deepEqual(run([waiting(8), { status }]).given, []);
  }
});

test('a reloaded page with its stored state alerts nothing twice', () => {
  const before = run([waiting(6), waiting(3)]);
  const stored = JSON.parse(JSON.stringify(before.state));
  assert.deepEqual(run([waiting(2), waiting(1), called('3')], 3, alertState(stored)).given, [{ kind: 'called', counter: '3' }]);
  const after = run([called('3')], 3, alertState(JSON.parse(JSON.stringify(run([called('3')]).state))));
  assert.deepEqual(after.given, []);
});

test('a stored state that is not one counts as no alert given', () => {
  for (const value of [null, 'x', 42, [], { near: 'yes' }]) {
    const state = alertState(value);
    assert.equal(state.near, false);
    assert.equal(state.called, false);
  }
});
