// What the device remembers (www/js/model/device-settings.js): the counter each window and the
// device chose, and whether a view speaks; with storage in memory, and storage that refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeviceSettings } from '../../www/js/model/device-settings.js';

class MemoryStorage {
  items = new Map();
  getItem(key) { return this.items.has(key) ? this.items.get(key) : null; }
  setItem(key, value) { this.items.set(key, String(value)); }
  removeItem(key) { this.items.delete(key); }
}

test('the counter choice is remembered by the window and the device, and only while configured', () => {
  const local = new MemoryStorage();
  const bloodTests = { id: 'blood-tests', counters: ['1', '2', '3'] };
  const first = new DeviceSettings({ local, session: new MemoryStorage() });
  assert.equal(first.counter(bloodTests), null, 'nothing chosen yet: the console asks');
  first.chooseCounter(bloodTests, '2');
  assert.equal(first.counter(bloodTests), '2');

  // A second window of the same browser starts from the device's choice, then keeps its own.
  const second = new DeviceSettings({ local, session: new MemoryStorage() });
  assert.equal(second.counter(bloodTests), '2');
  second.chooseCounter(bloodTests, '3');
  assert.equal(first.counter(bloodTests), '2', 'the first window keeps its counter (its session)');
  assert.equal(new DeviceSettings({ local, session: new MemoryStorage() }).counter(bloodTests), '3', 'the device remembers the last choice');

  // Counter 3 removed from config.json: forgotten, the console asks again.
  assert.equal(second.counter({ ...bloodTests, counters: ['1', '2'] }), null);
  assert.throws(() => second.chooseCounter(bloodTests, '4'), RangeError);
  second.chooseCounter(bloodTests, null);
  assert.equal(new DeviceSettings({ local, session: new MemoryStorage() }).counter(bloodTests), null);
});

test('sound is per view and per device, off until switched on, and storage that refuses is survived', () => {
  const local = new MemoryStorage();
  const settings = new DeviceSettings({ local });
  assert.equal(settings.sound('board'), false);
  settings.setSound('board', true);
  assert.equal(new DeviceSettings({ local }).sound('board'), true);
  assert.equal(settings.sound('staff'), false, 'the console does not speak because the board does');
  assert.equal(settings.sound('customer'), false);
  assert.throws(() => settings.setSound('customer', true), RangeError);
  const refusing = { getItem() { throw new Error('SecurityError'); }, setItem() { throw new Error('QuotaExceededError'); }, removeItem() {} };
  const blocked = new DeviceSettings({ local: refusing, session: refusing });
  blocked.setSound('board', true);
  blocked.chooseCounter({ id: 'x', counters: ['1'] }, '1');
  assert.equal(blocked.sound('board'), false);
  assert.equal(blocked.counter({ id: 'x', counters: ['1'] }), null);
});
