// Which view the address shows, where it lives, and which sound switch counts there
// (www/js/model/route.js); what the banner says for the departments as a whole (page-status.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { routeOf, viewOf, RESET_HASH, SECTIONS, VIEWS } from '../../www/js/model/route.js';
import { pageStatus } from '../../www/js/model/page-status.js';

test('each view of the address is shown in its section, the figures in the staff view', () => {
  assert.deepEqual(routeOf('#board'), { view: 'board', section: 'board', sound: 'board' });
  assert.deepEqual(routeOf('#staff'), { view: 'staff', section: 'staff', sound: 'staff' });
  assert.deepEqual(routeOf('#figures'), { view: 'figures', section: 'staff', sound: 'staff' });
  assert.deepEqual(routeOf('#settings'), { view: 'settings', section: 'staff', sound: 'staff' });
  assert.deepEqual(routeOf('#customer'), { view: 'customer', section: 'customer', sound: null });
  assert.deepEqual(routeOf('#hub-setup'), { view: 'hub-setup', section: 'hub-setup', sound: null });
  assert.deepEqual(SECTIONS, ['customer', 'board', 'staff', 'hub-setup']);
  for (const view of VIEWS) assert.ok(SECTIONS.includes(routeOf(`#${view}`).section));
});

test('an unknown or empty address shows the customer view, and the PIN reset the staff view', () => {
  for (const hash of ['', '#', '#nothing', '#Board', '#customer/x']) assert.equal(viewOf(hash), 'customer');
  assert.deepEqual(routeOf(RESET_HASH), { view: 'staff', section: 'staff', sound: 'staff' });
});

test('the banner shows the most severe status of the departments, online when all are', () => {
  const of = (...statuses) => pageStatus(statuses.map((status) => ({ status })));
  assert.equal(of('online', 'online'), 'online');
  assert.equal(of('online', 'connecting'), 'connecting');
  assert.equal(of('connecting', 'needs-update', 'online'), 'needs-update');
  assert.equal(of('offline', 'needs-update'), 'offline');
  assert.equal(of('offline', 'refused', 'not-set-up'), 'refused');
  assert.equal(of('online', 'something-new'), 'something-new', 'a status the page does not know is not hidden');
  assert.equal(of(), 'online');
});
