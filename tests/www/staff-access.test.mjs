// Staff access without a browser: the PIN rules, the lockout around any credential check (with
// a made-up clock), and the device's PIN record through StaffAccess with real WebCrypto
// (Node's crypto.subtle, the same PBKDF2 as the page's). The records live in memory here; the
// page's IndexedDB store (records.js) is driven by the browser tests (tests/e2e/staff.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_POLICY, Lockout, LockoutError, waitAfter } from '../../www/js/staff/lockout.js';
import { HubStaffAccess } from '../../www/js/hub/hub-mode.js';
import {
  LOCKOUT_KEY, PIN_ITERATIONS, PIN_KEY, StaffAccess, StaffSession, checkPin, formatCountdown, formatDuration, hashPin, pinProblem,
} from '../../www/js/staff/staff-access.js';

/** The page's record store (records.js) in memory: structured clones in, structured clones out. */
class MemoryRecords {
  items = new Map();
  listeners = new Set();
  async get(key) { return structuredClone(this.items.get(key)); }
  async set(key, value) {
    this.items.set(key, structuredClone(value));
    for (const listener of this.listeners) listener(key);
  }
  subscribe(listener) { this.listeners.add(listener); return () => this.listeners.delete(listener); }
}
const storedPin = async (records) => checkPin(await records.get(PIN_KEY)).pin;

/** A clock the test moves by hand. */
function clock(start = Date.UTC(2026, 2, 2, 9)) {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

/**
 * A lock shared by every Lockout built with it, as Web Locks are shared by a browser's windows:
 * one holder at a time, the others queue.
 */
function sharedLock() {
  const tails = new Map();
  return (name, task) => {
    const run = (tails.get(name) ?? Promise.resolve()).then(task);
    tails.set(name, run.catch(() => {}));
    return run;
  };
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const wrong = async () => false;
const right = async () => true;

test('new PINs need 6 to 12 digits and must not be an obvious one', () => {
  for (const good of ['480163', '2749015', '902817364519', '019283']) assert.equal(pinProblem(good), null, good);
  const refused = {
    '': /at least 6/, 12345: /at least 6/, '1234567890123': /at most 12/, '48 163': /digits only/, '48016a': /digits only/,
    '١٢٣٤٥٦': /digits only/, // Arabic-Indic digits are not on a kiosk keypad
    111111: /repeats one digit/, '000000000': /repeats one digit/,
    123456: /counts up or down/, 654321: /counts up or down/, 890123: /counts up or down/, 3210987: /counts up or down/,
    121212: /short group/, 123123: /short group/, 100100: /short group/, 1212121: /short group/,
    112233: /most used/, 147258: /most used/, 123321: /most used/,
  };
  for (const [pin, why] of Object.entries(refused)) assert.match(pinProblem(String(pin)), why, pin);
  assert.match(pinProblem(123456), /digits only/, 'a number is not a PIN string');
});

test('the wait is none for 5 wrong answers, then 30 s doubling up to 15 minutes', () => {
  const waits = Array.from({ length: 12 }, (_, i) => waitAfter(i + 1));
  assert.deepEqual(waits, [0, 0, 0, 0, 30 * SECOND, MINUTE, 2 * MINUTE, 4 * MINUTE, 8 * MINUTE, 15 * MINUTE, 15 * MINUTE, 15 * MINUTE]);
  assert.equal(waitAfter(10_000), 15 * MINUTE, 'no overflow after very many');
  assert.deepEqual(DEFAULT_POLICY, { freeAttempts: 5, firstWaitMs: 30 * SECOND, maxWaitMs: 15 * MINUTE, historyLength: 20 });
});

test('after 5 wrong answers the check is not even run until the wait is over, and the wait grows', async () => {
  const store = new MemoryRecords();
  const time = clock();
  const lockout = new Lockout({ store, key: 'k', now: time.now });
  let checks = 0;
  const counted = async () => { checks++; return false; };
  for (let i = 1; i <= 4; i++) {
    assert.deepEqual(await lockout.attempt(counted), { ok: false, wrong: true, remainingMs: 0, attemptsBeforeWait: 5 - i });
  }
  assert.deepEqual(await lockout.attempt(counted), { ok: false, wrong: true, remainingMs: 30 * SECOND, attemptsBeforeWait: 0 });
  assert.equal(checks, 5);

  time.advance(29 * SECOND);
  assert.deepEqual(await lockout.attempt(right), { ok: false, wrong: false, remainingMs: SECOND, attemptsBeforeWait: 0 },
    'even the right answer waits');
  assert.equal((await lockout.status()).remainingMs, SECOND);

  time.advance(SECOND);
  assert.equal((await lockout.status()).remainingMs, 0);
  assert.equal((await lockout.attempt(counted)).remainingMs, MINUTE, 'one more wrong answer: twice the wait');
  assert.equal(checks, 6);
  time.advance(MINUTE);
  assert.equal((await lockout.attempt(counted)).remainingMs, 2 * MINUTE);
  time.advance(2 * MINUTE);

  assert.deepEqual(await lockout.attempt(async () => 'a session'), { ok: true, value: 'a session' });
  assert.deepEqual((await lockout.status()), {
    remainingMs: 0,
    attemptsBeforeWait: 5,
    damaged: false,
    lockouts: [
      { at: Date.UTC(2026, 2, 2, 9), waitMs: 30 * SECOND, failures: 5 },
      { at: Date.UTC(2026, 2, 2, 9) + 30 * SECOND, waitMs: MINUTE, failures: 6 },
      { at: Date.UTC(2026, 2, 2, 9) + 90 * SECOND, waitMs: 2 * MINUTE, failures: 7 },
    ],
  }, 'a success starts the count again and keeps the list of lockouts');
});

test('the wait is capped at 15 minutes', async () => {
  const time = clock();
  const lockout = new Lockout({ store: new MemoryRecords(), key: 'k', now: time.now });
  let last;
  for (let i = 0; i < 14; i++) {
    last = await lockout.attempt(wrong);
    time.advance(last.remainingMs);
  }
  assert.equal(last.remainingMs, 15 * MINUTE);
  assert.equal((await lockout.status()).lockouts.length, 10);
});

test('the count is shared through storage: a reload or another window sees the same wait', async () => {
  const store = new MemoryRecords();
  const time = clock();
  const withLock = sharedLock();
  const first = new Lockout({ store, key: 'k', now: time.now, withLock });
  for (let i = 0; i < 5; i++) await first.attempt(wrong);
  const second = new Lockout({ store, key: 'k', now: time.now, withLock }); // a reload, or a second window
  assert.equal((await second.status()).remainingMs, 30 * SECOND);
  let ran = false;
  assert.equal((await second.attempt(async () => { ran = true; return true; })).ok, false);
  assert.equal(ran, false);
});

test('two windows guessing at once get 5 free answers between them, not 5 each', async () => {
  const store = new MemoryRecords();
  const time = clock();
  const withLock = sharedLock();
  const windows = [new Lockout({ store, key: 'k', now: time.now, withLock }), new Lockout({ store, key: 'k', now: time.now, withLock })];
  let checks = 0;
  const slowWrong = async () => { checks++; await new Promise((resolve) => setTimeout(resolve, 5)); return false; };
  const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => windows[i % 2].attempt(slowWrong)));
  assert.equal(checks, 5, 'the lock lets one check run at a time, each seeing the count before it');
  assert.equal(outcomes.filter((o) => o.remainingMs > 0).length, 6);
});

test('a check that fails with an error is not a wrong answer', async () => {
  const store = new MemoryRecords();
  const lockout = new Lockout({ store, key: 'k', now: clock().now });
  await lockout.attempt(wrong);
  await assert.rejects(lockout.attempt(async () => { throw new Error('hub unreachable'); }), /hub unreachable/);
  assert.equal((await lockout.status()).attemptsBeforeWait, 4);
});

test('an attempt counts before its check finishes, so closing the window mid-check does not make it free', async () => {
  const store = new MemoryRecords();
  const lockout = new Lockout({ store, key: 'k', now: clock().now });
  let seen;
  await lockout.attempt(async () => { seen = (await lockout.status()).attemptsBeforeWait; return true; });
  assert.equal(seen, 4);
});

test('without storage to count in, no check runs', async () => {
  const full = new MemoryRecords();
  full.set = async () => { throw new DOMException('full', 'QuotaExceededError'); };
  const blocked = new MemoryRecords();
  blocked.get = async () => { throw new DOMException('denied', 'SecurityError'); };
  for (const [store, name] of [[full, 'QuotaExceededError'], [blocked, 'SecurityError']]) {
    const lockout = new Lockout({ store, key: 'k', now: clock().now });
    let ran = false;
    await assert.rejects(lockout.attempt(async () => { ran = true; return true; }),
      (error) => error instanceof LockoutError && error.code === 'storage_unavailable' && error.message.includes(name));
    assert.equal(ran, false, name);
  }
});

test('a damaged count buys no free guesses, and a clock set back does not stretch the wait', async () => {
  const store = new MemoryRecords();
  const time = clock();
  const lockout = new Lockout({ store, key: 'k', now: time.now });
  for (const saved of ['{', [], null, { failures: -1, lockedUntil: 0, waitMs: 0, lockouts: [] }, { failures: 0 },
    { failures: 0, lockedUntil: 0, waitMs: 0, lockouts: [{ at: 1 }] }]) {
    await store.set('k', saved);
    assert.deepEqual(await lockout.status(), { remainingMs: 0, attemptsBeforeWait: 1, damaged: true, lockouts: [] }, JSON.stringify(saved));
  }
  assert.equal((await lockout.attempt(wrong)).remainingMs, 30 * SECOND);

  time.advance(-3 * 60 * MINUTE); // the device clock goes back three hours
  assert.equal((await lockout.status()).remainingMs, 30 * SECOND);
});

test('clear() ends the wait and the count but keeps the list of lockouts', async () => {
  const lockout = new Lockout({ store: new MemoryRecords(), key: 'k', now: clock().now });
  for (let i = 0; i < 5; i++) await lockout.attempt(wrong);
  await lockout.clear();
  const status = (await lockout.status());
  assert.equal(status.remainingMs, 0);
  assert.equal(status.attemptsBeforeWait, 5);
  assert.equal(status.lockouts.length, 1);
});

test('first-run setup stores a salted slow hash, never the PIN, and refuses weak PINs and a second setup', async () => {
  const records = new MemoryRecords();
  const access = new StaffAccess({ records, now: clock().now });
  assert.equal(await access.state(), 'unset');
  assert.deepEqual(await access.setUp('123456', '123456'),
    { ok: false, problem: 'That PIN counts up or down: choose one that is harder to guess.', code: 'counts', params: {} });
  assert.deepEqual(await access.setUp('480163', '480136'), { ok: false, problem: 'The two PINs are not the same.', code: 'not-same', params: {} });
  assert.equal(records.items.size, 0, 'a refused PIN stores nothing');

  assert.deepEqual(await access.setUp('480163', '480163'), { ok: true });
  assert.equal(await access.state(), 'set');
  assert.doesNotMatch(JSON.stringify([...records.items]), /480163/);
  const pin = await storedPin(records);
  assert.deepEqual(Object.keys(pin).sort(), ['algorithm', 'hash', 'how', 'iterations', 'salt', 'setAt']);
  assert.equal(pin.iterations, PIN_ITERATIONS);
  assert.equal(pin.iterations, 600_000);
  assert.equal(pin.hash, await hashPin('480163', pin.salt, PIN_ITERATIONS));
  assert.equal(pin.how, 'setup');

  const again = new StaffAccess({ records, now: clock().now });
  const second = await again.setUp('902817', '902817');
  assert.match(second.problem, /already been set up/);
  assert.equal(second.code, 'already-set');
  assert.equal((await storedPin(records)).hash, pin.hash, 'the first PIN stays');

  const other = new MemoryRecords();
  await new StaffAccess({ records: other }).setUp('480163', '480163');
  assert.notEqual((await storedPin(other)).salt, pin.salt, 'every device gets its own salt');
  assert.notEqual((await storedPin(other)).hash, pin.hash);
});

test('unlocking checks the PIN through the lockout', async () => {
  const records = new MemoryRecords();
  const time = clock();
  const access = new StaffAccess({ records, now: time.now });
  await access.setUp('480163', '480163');
  assert.deepEqual(await access.unlock('480163'), { ok: true });
  for (let i = 0; i < 4; i++) assert.equal((await access.unlock('480164')).ok, false);
  const fifth = await access.unlock('480164');
  assert.deepEqual(fifth, { ok: false, wrong: true, remainingMs: 30 * SECOND, attemptsBeforeWait: 0 });
  assert.deepEqual(await access.unlock('480163'), { ok: false, wrong: false, remainingMs: 30 * SECOND, attemptsBeforeWait: 0 });
  assert.equal((await records.get(LOCKOUT_KEY)).failures, 5);
  time.advance(30 * SECOND);
  assert.deepEqual(await access.unlock('480163'), { ok: true });
  assert.deepEqual((await access.notices()).map((n) => n.text), ['Staff PIN: 5 wrong attempts in a row; PIN entry paused for 30 s.']);
  assert.deepEqual((await access.notices()).map((n) => [n.code, n.params]), [['pin-lockout', { count: 5, waitMs: 30 * SECOND }]],
    'the page translates the notice from its code');
});

test('changing the PIN needs the current one, counted by the same lockout', async () => {
  const records = new MemoryRecords();
  const access = new StaffAccess({ records, now: clock().now });
  await access.setUp('480163', '480163');
  assert.deepEqual(await access.change('480163', '111111', '111111'),
    { ok: false, problem: 'That PIN repeats one digit: choose one that is harder to guess.', code: 'repeats-digit', params: {} });
  assert.equal((await access.lockoutStatus()).attemptsBeforeWait, 5, 'a weak new PIN is refused before the current one is checked');
  assert.equal((await access.change('000001', '902817', '902817')).wrong, true);
  assert.equal((await access.lockoutStatus()).attemptsBeforeWait, 4);
  assert.deepEqual(await access.change('480163', '902817', '902817'), { ok: true });
  assert.equal((await access.unlock('480163')).ok, false);
  assert.equal((await access.unlock('902817')).ok, true);
  assert.equal((await storedPin(records)).how, 'change');
  assert.deepEqual((await access.notices()).map((n) => [n.text, n.code]), [['The staff PIN of this device was changed.', 'pin-changed']]);
});

test('the forgotten-PIN reset replaces the PIN and ends the wait', async () => {
  // (It cannot touch the tickets: they are in localStorage, the staff records elsewhere; the
  // browser test checks the tickets survive a reset.)
  const records = new MemoryRecords();
  const time = clock();
  const access = new StaffAccess({ records, now: time.now });
  await access.setUp('480163', '480163');
  for (let i = 0; i < 5; i++) await access.unlock('000001');
  assert.equal((await access.lockoutStatus()).remainingMs, 30 * SECOND);

  assert.match((await access.reset('123456', '123456')).problem, /counts up/);
  time.advance(SECOND);
  assert.deepEqual(await access.reset('902817', '902817'), { ok: true });
  assert.equal((await access.lockoutStatus()).remainingMs, 0);
  assert.deepEqual(await access.unlock('902817'), { ok: true });
  assert.equal((await access.unlock('480163')).ok, false);
  assert.deepEqual((await access.notices()).map((n) => n.text), [
    'Staff PIN: 5 wrong attempts in a row; PIN entry paused for 30 s.',
    'The staff PIN of this device was reset.',
  ]);
});

test('a damaged PIN record is not "no PIN": no setup, only the reset', async () => {
  const records = new MemoryRecords();
  const access = new StaffAccess({ records });
  for (const saved of ['{', null, { algorithm: 'PBKDF2-SHA256' },
    { algorithm: 'PBKDF2-SHA256', salt: '00'.repeat(16), iterations: 1000, hash: '00'.repeat(32), setAt: 1, how: 'setup' }]) {
    await records.set(PIN_KEY, saved);
    assert.equal(await access.state(), 'damaged', JSON.stringify(saved));
    assert.match((await access.setUp('480163', '480163')).problem, /already been set up/);
    assert.equal((await access.unlock('480163')).ok, false);
  }
  assert.deepEqual(await access.reset('480163', '480163'), { ok: true });
  assert.equal(await access.state(), 'set');
});

test('waits read as durations and countdowns', () => {
  assert.equal(formatDuration(30 * SECOND), '30 s');
  assert.equal(formatDuration(2 * MINUTE), '2 min');
  assert.equal(formatDuration(15 * MINUTE), '15 min');
  assert.equal(formatDuration(90 * SECOND), '1 min 30 s');
  assert.equal(formatCountdown(30 * SECOND), '0:30');
  assert.equal(formatCountdown(100), '0:01', 'never 0:00 while still waiting');
  assert.equal(formatCountdown(15 * MINUTE), '15:00');
  assert.equal(formatCountdown(-5), '0:00');
});

test('the console session locks itself again when idle', async () => {
  let changes = 0;
  const session = new StaffSession({ lockAfterMs: 50, onChange: () => { changes++; } });
  assert.equal(session.unlocked, false);
  session.open();
  assert.equal(session.unlocked, true);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(session.unlocked, false);
  assert.equal(changes, 2);
});

test('hub mode: a sign-in the hub took but this browser could not count closes its connection again', async () => {
  const records = new MemoryRecords();
  const set = records.set.bind(records);
  let writes = 0;
  // The attempt is counted first (a write), then the success is saved: that second write fails.
  records.set = async (key, value) => {
    writes += 1;
    if (writes === 2) throw new DOMException('the disk is full', 'QuotaExceededError');
    return set(key, value);
  };
  const hubs = [];
  const signIn = async () => {
    const hub = { closed: false, close() { this.closed = true; } };
    hubs.push(hub);
    return hub;
  };
  const access = new HubStaffAccess({ records, signIn });
  await assert.rejects(access.unlock({ user: 'staff', pass: 'staff-demo' }), (error) => error instanceof LockoutError && error.code === 'storage_unavailable');
  assert.equal(hubs.length, 1);
  assert.equal(hubs[0].closed, true, 'nobody holds it: it must not stay open');
  // With storage back, a sign-in opens the console with a hub that stays open.
  const outcome = await access.unlock({ user: 'staff', pass: 'staff-demo' });
  assert.equal(outcome.ok, true);
  assert.equal(outcome.hub, hubs[1]);
  assert.equal(hubs[1].closed, false);
});
