// The staff's notices without a browser: this window's ring (www/js/model/notices.js) and the one
// list the console shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WindowNotices, WINDOW_NOTICES, staffNotices } from '../../www/js/model/notices.js';

/** A PageLanguage stand-in that shows which key and params were asked for. */
const i18n = {
  t: (key, params = {}) => `${key}${Object.keys(params).length ? ` ${JSON.stringify(params)}` : ''}`,
  text: (names) => names.en,
};

test('a window keeps its newest 20 notices, oldest first, and tells its listeners of each', () => {
  let clock = 0;
  const notices = new WindowNotices({ now: () => ++clock });
  let told = 0;
  notices.subscribe(() => { told += 1; });
  for (let i = 1; i <= WINDOW_NOTICES + 5; i++) notices.add('notice.take-failed', { n: i });
  assert.equal(WINDOW_NOTICES, 20);
  assert.equal(told, 25);
  const kept = notices.list();
  assert.equal(kept.length, 20);
  assert.deepEqual(kept.map((n) => n.params.n), Array.from({ length: 20 }, (_, i) => i + 6));
  assert.deepEqual(kept[0], { at: 6, key: 'notice.take-failed', params: { n: 6 } });
});

test('a listener that unsubscribes hears no more notices', () => {
  const notices = new WindowNotices();
  let told = 0;
  const stop = notices.subscribe(() => { told += 1; });
  notices.add('notice.wake-failed');
  stop();
  notices.add('notice.wake-failed');
  assert.equal(told, 1);
  assert.deepEqual(notices.list().map((n) => n.params), [{}, {}]);
});

test("the console's list merges the window's, the device's and the departments' notices by time, in the window's language", () => {
  const own = [{ at: 30, key: 'notice.take-failed', params: { department: 'Pharmacy' } }];
  const device = [
    { at: new Date(10), text: 'Staff PIN: 5 wrong PINs in a row', code: 'pin-lockout', params: { count: 5, waitMs: 30_000 } },
    { at: new Date(40), text: 'an English text without a code' },
  ];
  const departments = [{ config: { names: { en: 'Reception' } }, view: () => ({ notices: [{ at: 20, text: 'switched off' }], refusals: [] }) }];
  const formatDuration = (ms) => `${ms / 1000} s`;
  assert.deepEqual(staffNotices({ own, device, departments, i18n, formatDuration }), [
    { at: 10, text: 'notice.pin-lockout {"count":5,"waitMs":30000,"wait":"30 s"}' },
    { at: 20, text: 'Reception: switched off' },
    { at: 30, text: 'notice.take-failed {"department":"Pharmacy"}' },
    { at: 40, text: 'an English text without a code' },
  ]);
});

test("operations a department's record refused are listed for staff, with what they declared and who could send them", () => {
  const refusals = [
    { at: 50, kind: 'take', rules: '999.0.0', config: { minNumber: 1, maxNumber: 2, autoShutdownTimeout: null }, code: 'needs_update' },
    { at: 45, kind: 'reset', rules: '1.0.0', config: { minNumber: 1, maxNumber: 2, autoShutdownTimeout: null }, code: 'configuration_mismatch' },
  ];
  const departments = [{ config: { names: { en: 'Pharmacy' } }, view: () => ({ notices: [], refusals }) }];
  assert.deepEqual(staffNotices({ own: [], device: [], departments, i18n, formatDuration: String }), [
    { at: 45, text: 'notice.refused.configuration {"department":"Pharmacy","kind":"reset","rules":"1.0.0","range":"1–2","who":"notice.refused.by-staff"}' },
    { at: 50, text: 'notice.refused.rules {"department":"Pharmacy","kind":"take","rules":"999.0.0","range":"1–2","who":"notice.refused.by-kiosk"}' },
  ]);
});
