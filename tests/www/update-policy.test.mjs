// When the kiosk applies a new build or config.json (www/js/boot/update-policy.js), with made-up times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UpdatePolicy, QUIET_AFTER_MS, BUSY_RECHECK_MS } from '../../www/js/boot/update-policy.js';

const START = 1_000_000;

test('with nothing new there is nothing to do, however quiet the page is', () => {
  const policy = new UpdatePolicy({ now: START });
  assert.deepEqual(policy.decide(START + 10 * QUIET_AFTER_MS, false), { action: 'none' });
  assert.equal(policy.pending, false);
});

test('a waiting build waits until nobody has touched the screen for the quiet period', () => {
  const policy = new UpdatePolicy({ now: START });
  policy.activity(START + 5_000); // a customer takes a ticket
  policy.updateWaiting();
  assert.deepEqual(policy.decide(START + 6_000, false), { action: 'wait', ms: QUIET_AFTER_MS - 1_000 });
  policy.activity(START + 30_000); // and another
  assert.deepEqual(policy.decide(START + 5_000 + QUIET_AFTER_MS, false), { action: 'wait', ms: 25_000 });
  assert.deepEqual(policy.decide(START + 30_000 + QUIET_AFTER_MS, false), { action: 'activate' });
});

test('the page start counts as activity: a page just shown is not reloaded at once', () => {
  const policy = new UpdatePolicy({ now: START });
  policy.configChanged();
  assert.deepEqual(policy.decide(START + 1, false), { action: 'wait', ms: QUIET_AFTER_MS - 1 });
  assert.deepEqual(policy.decide(START + QUIET_AFTER_MS, false), { action: 'reload' });
});

test('a busy page (staff console unlocked) is never interrupted, however long it has been quiet', () => {
  const policy = new UpdatePolicy({ now: START });
  policy.updateWaiting();
  for (const later of [QUIET_AFTER_MS, 10 * QUIET_AFTER_MS, 1000 * QUIET_AFTER_MS]) {
    assert.deepEqual(policy.decide(START + later, true), { action: 'wait', ms: BUSY_RECHECK_MS });
  }
  assert.deepEqual(policy.decide(START + 1000 * QUIET_AFTER_MS, false), { action: 'activate' });
});

test('the build is asked to take over once; the reload follows its arrival', () => {
  const policy = new UpdatePolicy({ now: START });
  policy.updateWaiting();
  const quiet = START + QUIET_AFTER_MS;
  assert.deepEqual(policy.decide(quiet, false), { action: 'activate' });
  assert.deepEqual(policy.decide(quiet + 1, false), { action: 'none' }, 'not asked twice');
  policy.controllerChanged();
  assert.deepEqual(policy.decide(quiet + 2, false), { action: 'reload' });
});

test('a newer build that installs before the asked one took over is asked in its turn', () => {
  const policy = new UpdatePolicy({ now: START });
  policy.updateWaiting();
  const quiet = START + QUIET_AFTER_MS;
  assert.deepEqual(policy.decide(quiet, false), { action: 'activate' });
  policy.updateWaiting(); // the asked one was replaced by a newer build before it took over
  assert.deepEqual(policy.decide(quiet + 1, false), { action: 'activate' });
});

test('a build that another window activated reloads this one only when this one is quiet', () => {
  const policy = new UpdatePolicy({ now: START });
  policy.activity(START + 50_000);
  policy.controllerChanged();
  assert.deepEqual(policy.decide(START + 60_000, true), { action: 'wait', ms: BUSY_RECHECK_MS });
  assert.deepEqual(policy.decide(START + 60_000, false), { action: 'wait', ms: 50_000 });
  assert.deepEqual(policy.decide(START + 50_000 + QUIET_AFTER_MS, false), { action: 'reload' });
});

test('a new build and a new config.json together: the build takes over, one reload brings both', () => {
  const policy = new UpdatePolicy({ now: START });
  policy.configChanged();
  policy.updateWaiting();
  assert.deepEqual(policy.decide(START + QUIET_AFTER_MS, false), { action: 'activate' });
  policy.controllerChanged();
  assert.deepEqual(policy.decide(START + QUIET_AFTER_MS, false), { action: 'reload' });
});

test('time going backwards (a clock set back) does not make the page count as quiet', () => {
  const policy = new UpdatePolicy({ now: START });
  policy.updateWaiting();
  policy.activity(START - 100_000); // an older timestamp never moves the last activity back
  assert.deepEqual(policy.decide(START + 1_000, false), { action: 'wait', ms: QUIET_AFTER_MS - 1_000 });
});
