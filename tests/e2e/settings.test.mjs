// The Settings page of the staff console end to end, in one browser (no hub), in Debian's
// headless Chromium against www/ as `make serve` serves it: every kind of bad input shown at its
// field and refused, a department added in one window reaching the kiosk and board of others at
// once (no reload, the ticket on screen kept), removing a department with people waiting, restoring a version from the history,
// export and import of config.json, and the page in English and Spanish (screenshots, axe).
//
// What is stored is read from the browser's IndexedDB itself (the settings record's versions),
// not from the view, so that a view that says "saved" without saving, or saves what it refused,
// is caught.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { pageSuite } from '../support/page-suite.mjs';
import { www, shots, shipped, configWith, card, take, takeIn } from '../support/kiosk-page.mjs';
import { axeSource } from '../support/axe.mjs';
import { TEST_PIN, openConsole } from '../support/staff.mjs';
import { sleep, until } from '../support/wait.mjs';
import { Translator } from '../../www/js/language/messages.js';

const english = JSON.parse(await readFile(new URL('i18n/en.json', `file://${www}`), 'utf8'));
const en = new Translator({ language: 'en', messages: english, fallback: english });
/** A problem's English text, as the page words it. */
const problem = (key, params = {}) => en.t(key, params);

const suite = pageSuite();
const { newContext, open } = suite;
let origin, context;
beforeEach(() => ({ origin, context } = suite));

/** Unlocks the console in `page` with the device's PIN and opens its Settings page. */
async function openSettings(page) {
  await openConsole(page, origin);
  await page.locator('[data-console-page="settings"]').click();
  await page.waitForSelector('#settings:not([hidden])');
  await page.waitForSelector('#settings-history li'); // the history has been read once
}

/**
 * Every version of the facility's settings stored in this browser, oldest first: `{ version,
 * config }`, read from IndexedDB directly (every database of the settings record).
 */
const storedVersions = (page) => page.evaluate(async () => {
  const request = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  const found = [];
  for (const { name } of await indexedDB.databases()) {
    if (!name.startsWith('take-a-number-deluxe/settings/')) continue;
    const database = await request(indexedDB.open(name));
    if (database.objectStoreNames.contains('versions')) {
      const rows = await request(database.transaction('versions', 'readonly').objectStore('versions').getAll());
      found.push(...rows.map((row) => ({ version: row.version, config: row.body.config })));
    }
    database.close();
  }
  return found.sort((a, b) => a.version - b.version);
});

const settingsOf = (page) => page.locator('#settings');
/** Department `i`'s box in the form (by place: its legend follows the name typed). */
const departmentBox = (page, i) => settingsOf(page).locator('fieldset.settings-department').nth(i);
const field = (scope, label) => scope.getByLabel(label, { exact: true });
const button = (scope, name) => scope.getByRole('button', { name, exact: true });

/**
 * Presses Save and waits for the view's answer: saved or not saved on the status line, the
 * refusal's summary, the confirmation asked first, or a version saved meanwhile elsewhere.
 */
async function save(page) {
  await page.bringToFront();
  await button(settingsOf(page), 'Save').click();
  await page.waitForFunction(() => {
    const status = document.getElementById('settings-status').textContent;
    return /^(Saved|Not saved)/.test(status)
      || document.getElementById('settings-summary').childElementCount > 0
      || document.querySelector('#settings-confirm[open]') !== null
      || (!document.getElementById('settings-newer').hidden && status !== 'Saving…');
  });
}

/**
 * Watches, from now on, whether the notice of a version saved elsewhere ever comes on screen
 * (`window.__newerShown`), or the status says another version is now shown.
 */
const watchNotices = (page) => page.evaluate(() => {
  window.__newerShown = [];
  window.__newerWatch?.disconnect();
  const box = document.getElementById('settings-newer');
  const status = document.getElementById('settings-status');
  window.__newerWatch = new MutationObserver(() => {
    if (!box.hidden) window.__newerShown.push(box.textContent);
    if (/^Version \d+ is shown/.test(status.textContent)) window.__newerShown.push(status.textContent);
  });
  window.__newerWatch.observe(box, { attributes: true, childList: true, subtree: true });
  window.__newerWatch.observe(status, { childList: true, characterData: true, subtree: true });
});

/**
 * Saves and expects version `n` to be saved; the manager's own save is never announced to them
 * as a version saved elsewhere, not even for a moment.
 */
async function saveAs(page, n, press = save) {
  await watchNotices(page);
  await press(page);
  await page.waitForFunction((saved) => {
    const status = document.getElementById('settings-status').textContent;
    return status === saved || /^Not saved/.test(status) || document.getElementById('settings-summary').childElementCount > 0
      || (!document.getElementById('settings-newer').hidden && status !== 'Saving…');
  }, en.t('settings.saved', { version: n }));
  assert.equal(await page.textContent('#settings-status'), en.t('settings.saved', { version: n }));
  assert.deepEqual(await page.evaluate(() => window.__newerShown), [], 'no notice of a version saved elsewhere');
}

/**
 * What the form says about `node` (an input, a select or a fieldset): aria-invalid, and each
 * element its aria-describedby names, with whether it is shown and whether it sits next to the
 * field (in the field's own box, or in the fieldset itself).
 */
const describedBy = (node) => node.evaluate((n) => {
  const box = n.matches('fieldset') ? n : n.closest('.settings-field');
  const ids = (n.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  return {
    invalid: n.getAttribute('aria-invalid'),
    described: ids.map((id) => document.getElementById(id)).filter(Boolean).map((d) => ({
      text: d.textContent,
      shown: !d.hidden && d.getClientRects().length > 0,
      next: box !== null && box.contains(d),
    })),
  };
});

/** Chooses `file` (name and JSON text) in the Import button's file chooser. */
async function importFile(page, name, text) {
  await page.bringToFront();
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), button(settingsOf(page), 'Import a file…').click()]);
  await chooser.setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
  await page.waitForFunction((file) => document.getElementById('settings-status').textContent.startsWith(file), name);
}

/** What the customer view of `page` offers: the departments' names, in order. */
const customerDepartments = (page) => page.locator('#view-customer .department-card h3').allTextContents();

// Each bad input as a manager types it: `enter(page)` types it and returns the element whose
// problem it is; `expect` is the problem's text; `fix(page)`, where given, puts it right in the form.
const blood = (page) => departmentBox(page, 2);
const newDepartment = async (page, name, id) => {
  await button(settingsOf(page), 'Add a department').click();
  const box = departmentBox(page, 3);
  await field(box, 'Name (English)').fill(name);
  if (id !== undefined) await field(box, 'Id').fill(id);
  return box;
};
const BAD_INPUTS = [
  {
    what: 'an empty facility name',
    enter: async (page) => { const f = field(settingsOf(page), 'Facility name (English)'); await f.fill(''); return f; },
    expect: problem('config.problem.text-empty-in', { field: 'facility', language: 'en' }),
  },
  {
    what: 'an empty department name',
    enter: async (page) => { const f = field(departmentBox(page, 0), 'Name (English)'); await f.fill('   '); return f; },
    expect: problem('config.problem.text-empty-in', { field: 'name', language: 'en' }),
  },
  {
    what: 'a new department without a name',
    enter: async (page) => field(await newDepartment(page, '', 'radiology'), 'Name (English)'),
    expect: problem('config.problem.text-empty-in', { field: 'name', language: 'en' }),
  },
  {
    what: 'a bad id for a new department',
    enter: async (page) => field(await newDepartment(page, 'Radiology', 'Radiology!'), 'Id'),
    expect: problem('config.problem.id'),
  },
  {
    what: 'an empty id for a new department',
    enter: async (page) => field(await newDepartment(page, 'Radiology', ''), 'Id'),
    expect: problem('config.problem.id'),
  },
  {
    what: 'a new department with the id of another',
    enter: async (page) => field(await newDepartment(page, 'Radiology', 'pharmacy'), 'Id'),
    expect: problem('config.problem.id-twice', { id: 'pharmacy' }),
  },
  {
    what: 'a first number equal to the last',
    enter: async (page) => { const f = field(departmentBox(page, 0), 'First number'); await f.fill('99'); return f; },
    expect: problem('config.problem.range-order', { min: 99, max: 99 }),
  },
  {
    what: 'a first number above the last',
    enter: async (page) => {
      await field(departmentBox(page, 1), 'Last number').fill('150');
      const f = field(departmentBox(page, 1), 'First number');
      await f.fill('151');
      return f;
    },
    expect: problem('config.problem.range-order', { min: 151, max: 150 }),
  },
  {
    what: 'a first number that is not a number',
    enter: async (page) => { const f = field(departmentBox(page, 1), 'First number'); await f.fill('ten'); return f; },
    expect: problem('config.problem.whole-number', { field: 'minNumber' }),
  },
  {
    what: 'a last number with a fraction',
    enter: async (page) => { const f = field(blood(page), 'Last number'); await f.fill('299.5'); return f; },
    expect: problem('config.problem.whole-number', { field: 'maxNumber' }),
  },
  {
    what: 'a last number too large to count to',
    enter: async (page) => { const f = field(blood(page), 'Last number'); await f.fill('99999999999999999999'); return f; },
    expect: problem('config.problem.number-too-large', { field: 'maxNumber', max: Number.MAX_SAFE_INTEGER }),
  },
  {
    what: 'negative idle minutes',
    enter: async (page) => { const f = field(departmentBox(page, 1), 'Switches off after idle (minutes)'); await f.fill('-5'); return f; },
    expect: problem('settings.problem.auto-shutdown'),
  },
  {
    what: 'idle minutes that are not a number',
    enter: async (page) => { const f = field(departmentBox(page, 0), 'Switches off after idle (minutes)'); await f.fill('soon'); return f; },
    expect: problem('settings.problem.auto-shutdown'),
  },
  {
    what: 'a colour by name',
    enter: async (page) => { const f = field(departmentBox(page, 0), 'Colour'); await f.fill('red'); return f; },
    expect: problem('config.problem.colour'),
  },
  {
    what: 'a colour with a letter that is not hexadecimal',
    enter: async (page) => { const f = field(blood(page), 'Colour'); await f.fill('#9d020g'); return f; },
    expect: problem('config.problem.colour'),
  },
  {
    what: 'a counter name that is too long',
    enter: async (page) => { const f = field(blood(page), 'Counter 3'); await f.fill('Window number 3'); return f; },
    expect: problem('config.problem.counter', { counter: 'Window number 3' }),
  },
  {
    what: 'an empty counter name',
    enter: async (page) => {
      await button(blood(page), 'Add a counter').click();
      const f = field(blood(page), 'Counter 4');
      await f.fill('');
      return f;
    },
    expect: problem('config.problem.counter', { counter: '' }),
  },
  {
    what: 'a counter listed twice',
    enter: async (page) => { const f = field(blood(page), 'Counter 2'); await f.fill('1'); return f; },
    expect: problem('config.problem.counter-twice', { counter: '1' }),
  },
  {
    what: 'a ticket shown for 4 seconds',
    enter: async (page) => { const f = field(settingsOf(page), 'Ticket shown for (seconds)'); await f.fill('4'); return f; },
    expect: problem('config.problem.ticket-seconds', { min: 5, max: 600 }),
  },
  {
    what: 'a ticket shown for 601 seconds',
    enter: async (page) => { const f = field(settingsOf(page), 'Ticket shown for (seconds)'); await f.fill('601'); return f; },
    expect: problem('config.problem.ticket-seconds', { min: 5, max: 600 }),
  },
  {
    what: 'a ticket time in words',
    enter: async (page) => { const f = field(settingsOf(page), 'Ticket shown for (seconds)'); await f.fill('twenty'); return f; },
    expect: problem('config.problem.ticket-seconds', { min: 5, max: 600 }),
  },
  {
    what: 'a console that locks after 0 seconds',
    enter: async (page) => { const f = field(settingsOf(page), 'Console locks after (seconds)'); await f.fill('0'); return f; },
    expect: problem('config.problem.lock-after'),
  },
  {
    what: 'a console that locks after 1.5 seconds',
    enter: async (page) => { const f = field(settingsOf(page), 'Console locks after (seconds)'); await f.fill('1.5'); return f; },
    expect: problem('config.problem.lock-after'),
  },
  {
    what: 'a time zone that does not exist',
    enter: async (page) => { const f = field(settingsOf(page), 'Time zone'); await f.fill('Mars/Olympus_Mons'); return f; },
    expect: problem('config.problem.time-zone'),
  },
  {
    what: 'a default language without the facility\'s name in it',
    enter: async (page) => {
      await field(settingsOf(page), 'Facility name (Spanish)').fill('');
      await field(settingsOf(page), 'Default language').selectOption('es');
      return field(settingsOf(page), 'Facility name (Spanish)');
    },
    expect: problem('config.problem.no-default-text', { field: 'facility', language: 'es' }),
  },
  {
    what: 'no department at all',
    enter: async (page) => {
      for (let i = 0; i < 3; i++) await settingsOf(page).getByRole('button', { name: /^Remove department: / }).first().click();
      return settingsOf(page).getByRole('group', { name: 'Departments', exact: true });
    },
    expect: problem('config.problem.departments'),
  },
  {
    // The form offers no way to this one (the default language's box cannot be unticked): a
    // file can hold it, and the form shows it as it shows the others.
    what: 'a default language not offered (an imported file)',
    enter: async (page) => {
      await importFile(page, 'config.json', JSON.stringify({ ...shipped, languages: ['es'] }));
      return settingsOf(page).getByRole('group', { name: 'Languages offered', exact: true });
    },
    expect: problem('config.problem.default-not-offered', { language: 'en' }),
    // The form shows English as the default language, and lets it be ticked.
    fix: async (page) => {
      const settings = settingsOf(page);
      assert.equal(await field(settings, 'Default language').evaluate((select) => select.selectedOptions[0]?.textContent), 'English');
      await field(settings.getByRole('group', { name: 'Languages offered', exact: true }), 'English').check();
    },
  },
];

test('every field\'s bad input is shown at the field, and Save refuses it and stores nothing', async () => {
  assert.ok(BAD_INPUTS.length >= 20);
  const other = await open(context); // a customer window of the same browser
  const departmentsBefore = await customerDepartments(other);
  assert.deepEqual(departmentsBefore, ['Reception', 'Pharmacy', 'Blood tests']);
  await other.evaluate(() => { window.__sameWindow = true; });
  let otherLoads = 0;
  other.on('framenavigated', (frame) => { if (frame === other.mainFrame()) otherLoads += 1; });

  const page = await open(context, '#staff');
  await openSettings(page);
  const settings = settingsOf(page);
  assert.equal(await page.textContent('#settings-history'), en.t('settings.history-empty'));
  assert.equal(await settings.locator('[aria-invalid="true"]').count(), 0, 'the served settings have nothing to fix');

  for (const { what, enter, expect, fix } of BAD_INPUTS) {
    const node = await enter(page);
    const { invalid, described } = await describedBy(node);
    assert.equal(invalid, 'true', `${what}: aria-invalid`);
    assert.deepEqual(described.filter((d) => d.text === expect), [{ text: expect, shown: true, next: true }],
      `${what}: "${expect}" is shown next to the field and read with it (${JSON.stringify(described)})`);
    assert.equal(await settings.locator('[aria-invalid="true"]').count(), 1, `${what}: one field is marked`);

    await save(page);
    assert.doesNotMatch(await page.textContent('#settings-status'), /Saving|Saved/, `${what}: not saved`);
    assert.deepEqual(await storedVersions(page), [], `${what}: nothing stored`);
    const summary = page.locator('#settings-summary');
    assert.deepEqual(await summary.locator('p').allTextContents(), [en.t('settings.refused-problems', { count: 1 })], what);
    const items = await summary.locator('li').allTextContents();
    assert.equal(items.length, 1, what);
    assert.ok(items[0].endsWith(`: ${expect}`), `${what}: the summary names the problem (${items[0]})`);
    // The summary's item takes the focus to the field.
    await summary.locator('li button').click();
    assert.equal(await node.evaluate((n) => n === document.activeElement), true, `${what}: the summary leads to the field`);

    if (fix) {
      await fix(page);
      assert.equal(await settings.locator('[aria-invalid="true"]').count(), 0, `${what}: fixed in the form`);
    }
    await button(settings, 'Discard changes').click();
    assert.equal(await settings.locator('[aria-invalid="true"]').count(), 0, `${what}: discarded`);
    assert.equal(await summary.textContent(), '', `${what}: the summary goes with the problem`);
  }

  assert.equal(await page.textContent('#settings-history'), en.t('settings.history-empty'));
  assert.deepEqual(await storedVersions(page), []);
  // The other window would reload within about 2 s of a version saved: it has not, and shows
  // what it showed.
  await sleep(3_000);
  assert.equal(otherLoads, 0, 'the other window did not reload');
  assert.equal(await other.evaluate(() => window.__sameWindow), true);
  assert.deepEqual(await customerDepartments(other), departmentsBefore);
});

test('a department added in one window reaches the kiosk and board of others at once, without a reload and without taking the ticket on screen away', async () => {
  const customer = await open(context);
  const board = await open(context, '#board');
  const loads = [];
  for (const other of [customer, board]) other.on('framenavigated', (frame) => { if (frame === other.mainFrame()) loads.push(other.url()); });
  const page = await open(context, '#staff');
  await openSettings(page);
  const managerLoads = [];
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) managerLoads.push(Date.now()); });
  const box = await newDepartment(page, 'Radiology', 'radiology');
  await field(box, 'Name (Spanish)').fill('Radiología');
  await field(box, 'First number').fill('500');
  await field(box, 'Last number').fill('509');
  await field(departmentBox(page, 0), 'Name (English)').fill('Front desk');

  // A customer's ticket is on screen in the other window when the manager saves.
  await customer.bringToFront();
  await takeIn(customer, 'reception');
  const ticket = await customer.textContent('#ticket-number');
  await saveAs(page, 1);
  const saved = Date.now();
  assert.deepEqual((await storedVersions(page)).map((v) => v.config.departments.map((d) => d.id)),
    [['reception', 'pharmacy', 'blood-tests', 'radiology']]);

  // The kiosk and the board show it at once; the ticket stays, with its number.
  await customer.waitForSelector('[data-card="radiology"]');
  await board.waitForSelector('.board-tile[data-department="radiology"]');
  console.log(`# figures: ${JSON.stringify({ settingsAppliedInOtherWindowsMs: Date.now() - saved })}`);
  assert.deepEqual(await customerDepartments(customer), ['Front desk', 'Pharmacy', 'Blood tests', 'Radiology']);
  assert.equal(await customer.isVisible('#ticket'), true, 'the ticket is still on screen');
  assert.equal(await customer.textContent('#ticket-number'), ticket);
  assert.match(await board.textContent('.board-tile[data-department="reception"] h3'), /^Front desk$/);
  assert.deepEqual(loads, [], 'neither window reloaded');

  // Its tickets, in its own range (the tap outside the ticket ends it, as always).
  const numbers = [];
  for (let i = 0; i < 3; i++) {
    await take(customer, 'Radiology');
    assert.equal(await customer.textContent('#ticket-department'), 'Radiology');
    numbers.push(Number(await customer.textContent('#ticket-number')));
  }
  assert.deepEqual(numbers, [500, 501, 502]);
  await until(async () => (await board.textContent('.board-tile[data-department="radiology"] .board-waiting')) === '3 people waiting', 'the board to count them');

  // The manager's window runs it too, console still open: a panel to call its numbers.
  assert.deepEqual(managerLoads, [], 'the saving window did not reload');
  await page.bringToFront();
  await page.locator('[data-console-page="staff"]').click();
  const panel = page.locator('#staff-departments [data-department="radiology"]');
  await panel.getByRole('button', { name: 'Serve next' }).click();
  await until(async () => /500/.test(await panel.locator('.staff-serving').textContent()), 'number 500 to be served');
  assert.deepEqual(loads, [], 'still no reload anywhere');
});

test('the languages change at once too: the start screen turns to the new default, and a language no longer offered leaves the header', async () => {
  const customer = await open(context);
  const page = await open(context, '#staff');
  await openSettings(page);
  assert.deepEqual(await customer.locator('#language-switch button').allTextContents(), ['English', 'Español']);
  await customer.evaluate(() => { window.beforeTheSaves = true; });
  await settingsOf(page).getByLabel('Default language', { exact: true }).selectOption('es');
  await field(settingsOf(page), 'Facility name (Spanish)').fill('Centro de Salud Ribera');
  await saveAs(page, 1);
  await customer.waitForSelector('html[lang="es"]');
  assert.equal(await customer.textContent('#facility'), 'Centro de Salud Ribera');
  assert.equal(await customer.locator('.take').first().textContent(), 'Sacar número');

  // English only: the Spanish screen goes back to English, and the switch goes.
  await page.bringToFront();
  await settingsOf(page).getByLabel('Default language', { exact: true }).selectOption('en');
  await settingsOf(page).getByRole('group', { name: 'Languages offered', exact: true }).getByRole('checkbox', { name: 'Spanish' }).uncheck();
  await saveAs(page, 2);
  await customer.waitForSelector('html[lang="en"]');
  assert.equal(await customer.isHidden('#language-switch'), true);
  assert.equal(await customer.textContent('#facility'), 'Riverside Health Centre');
  assert.equal(await customer.evaluate(() => window.beforeTheSaves), true, 'never reloaded');
});

test('removing a department with people waiting asks first and says how many; cancel keeps it, confirm removes it', async () => {
  const customer = await open(context);
  await take(customer, 'Pharmacy');
  await take(customer, 'Pharmacy');
  await customer.click('#customer-title'); // the ticket goes: this window may reload later
  const page = await open(context, '#staff');
  await openSettings(page);
  await button(settingsOf(page), 'Remove department: Pharmacy').click();
  assert.deepEqual(await settingsOf(page).locator('fieldset.settings-department > legend').allTextContents(), ['Reception', 'Blood tests']);

  await save(page);
  const dialog = page.locator('#settings-confirm');
  assert.equal(await dialog.isVisible(), true, 'Save asks first');
  assert.equal(await dialog.locator('h2').textContent(), en.t('settings.remove-title'));
  assert.deepEqual(await dialog.locator('li').allTextContents(), [en.t('settings.remove-item', { department: 'Pharmacy', count: 2 })]);
  await button(dialog, 'Cancel').click();
  assert.equal(await dialog.isVisible(), false);
  assert.deepEqual(await storedVersions(page), [], 'cancel saves nothing');
  assert.equal(await page.textContent('#settings-history'), en.t('settings.history-empty'));
  await sleep(3_000); // a save would have reached the customer window by now
  assert.deepEqual(await customerDepartments(customer), ['Reception', 'Pharmacy', 'Blood tests'], 'cancel keeps it');

  await save(page);
  assert.equal(await dialog.isVisible(), true, 'asked again');
  await saveAs(page, 1, () => button(dialog, 'Remove and save').click());
  assert.deepEqual((await storedVersions(page)).map((v) => v.config.departments.map((d) => d.id)), [['reception', 'blood-tests']]);
  assert.deepEqual(await settingsOf(page).locator('fieldset.settings-department > legend').allTextContents(), ['Reception', 'Blood tests']);
  await until(async () => (await customerDepartments(customer).catch(() => [])).join() === 'Reception,Blood tests',
    'the customer window to drop Pharmacy', 30_000);
});

test('restoring an earlier version from the history gives its configuration back, as a new version', async () => {
  const page = await open(context, '#staff');
  await openSettings(page);
  const settings = settingsOf(page);
  await field(settings, 'Facility name (English)').fill('Riverside Clinic');
  await field(departmentBox(page, 1), 'Last number').fill('149');
  await saveAs(page, 1);
  await field(settings, 'Ticket shown for (seconds)').fill('45');
  await field(departmentBox(page, 1), 'Last number').fill('179');
  await button(departmentBox(page, 2), 'Add a counter').click();
  await saveAs(page, 2);
  const [v1, v2] = await storedVersions(page);
  assert.notDeepEqual(v1.config, v2.config);

  const history = page.locator('#settings-history');
  await history.locator('li[data-version="1"]').getByRole('button', { name: 'Restore this version' }).click();
  const dialog = page.locator('#settings-confirm');
  assert.equal(await dialog.locator('h2').textContent(), en.t('settings.restore-title', { version: 1 }));
  await saveAs(page, 3, () => button(dialog, 'Restore').click());

  const versions = await storedVersions(page);
  assert.deepEqual(versions.map((v) => v.version), [1, 2, 3], 'a new version; the earlier ones stay');
  assert.deepEqual(versions[2].config, v1.config, 'version 3 is version 1 again');
  assert.deepEqual(versions[1].config, v2.config);
  // The form shows it.
  assert.equal(await field(settings, 'Facility name (English)').inputValue(), 'Riverside Clinic');
  assert.equal(await field(settings, 'Ticket shown for (seconds)').inputValue(), '20');
  assert.equal(await field(departmentBox(page, 1), 'Last number').inputValue(), '149');
  assert.equal(await departmentBox(page, 2).locator('.settings-counters li').count(), 3);
  assert.match(await page.textContent('#settings-version'), /^Version 3, saved /);
  await page.waitForSelector('#settings-history li[data-version="3"]');
  assert.match(await history.locator('li[data-version="3"] p').first().textContent(), /^Version 3 \(in use\)/);
  // From version 1 to the version in use: nothing; from version 2: its changes undone.
  await history.locator('li[data-version="1"]').getByRole('button', { name: 'What changed since then' }).click();
  await page.waitForSelector('#settings-changes-1 li');
  assert.deepEqual(await page.locator('#settings-changes-1 li').allTextContents(), [en.t('settings.change.none')]);
  await history.locator('li[data-version="2"]').getByRole('button', { name: 'What changed since then' }).click();
  await page.waitForSelector('#settings-changes-2 li');
  assert.deepEqual((await page.locator('#settings-changes-2 li').allTextContents()).sort(), [
    'Blood tests: Counters: 4 removed',
    'Pharmacy: Last number: 179 → 149',
    'Ticket shown for (seconds): 45 → 20',
  ]);
});

test('export then import gives the same configuration: nothing to fix, and saving it changes nothing', async () => {
  const page = await open(context, '#staff');
  await openSettings(page);
  const settings = settingsOf(page);
  // A configuration with more in it than the served one: a new department with counters, a time zone.
  const box = await newDepartment(page, 'X-ray', 'x-ray');
  await field(box, 'Name (Spanish)').fill('Rayos X');
  await field(box, 'Colour').fill('#5a189a');
  await button(box, 'Add a counter').click();
  await button(box, 'Add a counter').click();
  await field(box, 'Counter 2').fill('B');
  await field(settings, 'Time zone').fill('Europe/Madrid');
  await field(settings, 'Console locks after (seconds)').fill('300');
  await saveAs(page, 1);
  const [v1] = await storedVersions(page);

  const [download] = await Promise.all([page.waitForEvent('download'), button(settings, 'Export config.json').click()]);
  assert.equal(download.suggestedFilename(), 'config.json');
  const text = await readFile(await download.path(), 'utf8');
  assert.deepEqual(JSON.parse(text), v1.config, 'the file holds the version in use');

  // Edits not saved, then the file: the form shows the file's configuration again.
  await field(settings, 'Facility name (English)').fill('Somewhere else');
  await field(departmentBox(page, 3), 'Counter 2').fill('C');
  await importFile(page, 'config.json', text);
  assert.equal(await page.textContent('#settings-status'), en.t('settings.imported', { file: 'config.json', count: 0 }));
  assert.equal(await settings.locator('[aria-invalid="true"]').count(), 0, 'nothing to fix');
  assert.equal(await page.locator('#settings-summary').textContent(), '');
  assert.equal(await button(settings, 'Discard changes').isDisabled(), true, 'the form equals the version in use');
  assert.equal(await field(settings, 'Facility name (English)').inputValue(), 'Riverside Health Centre');
  assert.equal(await field(departmentBox(page, 3), 'Counter 2').inputValue(), 'B');
  assert.equal(await field(settings, 'Time zone').inputValue(), 'Europe/Madrid');

  await saveAs(page, 2);
  const versions = await storedVersions(page);
  assert.deepEqual(versions[1].config, v1.config, 'saving the imported file changed nothing');
  await page.locator('#settings-history li[data-version="1"]').getByRole('button', { name: 'What changed since then' }).click();
  await page.waitForSelector('#settings-changes-1 li');
  assert.deepEqual(await page.locator('#settings-changes-1 li').allTextContents(), [en.t('settings.change.none')]);
});

/** axe on the whole page as it is now: no violation of any impact. */
async function noViolations(page, where) {
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => { a.finish(); return a.finished; })));
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  assert.deepEqual(result.violations.map((v) => `${where}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target).join(', ')}`), []);
}

/**
 * The whole page at 1280x800. Scrolled to the end first: the Save bar sticks to the bottom of
 * the window, and drawn from the top it would cover the middle of the form in a full-page shot.
 */
async function screenshot(page, name) {
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.screenshot({ path: `${shots}${name}`, fullPage: true });
}

test('the Settings page in English and Spanish at 1280x800: screenshots, and no axe violations', async () => {
  const page = await open(context, '#staff');
  await openSettings(page);
  await screenshot(page, 'settings-en-1280x800.png');
  await noViolations(page, 'English');
  // With a refused save's problems, and with the restore dialog open.
  await field(departmentBox(page, 0), 'Colour').fill('red');
  await field(settingsOf(page), 'Ticket shown for (seconds)').fill('4');
  await save(page);
  await noViolations(page, 'English, a refused save');
  await button(settingsOf(page), 'Discard changes').click();
  await saveAs(page, 1);
  await page.waitForSelector('#settings-history li[data-version="1"]');
  await field(settingsOf(page), 'Ticket shown for (seconds)').fill('30');
  await saveAs(page, 2);
  await page.locator('#settings-history li[data-version="1"]').getByRole('button', { name: 'Restore this version' }).click();
  await noViolations(page, 'English, the restore dialog');

  await context.close();
  const spanish = await newContext({ width: 1280, height: 800 }, {}, configWith((c) => { c.language = 'es'; c.languages = ['es', 'en']; }));
  const es = await open(spanish, '#staff');
  const setup = es.locator('#setup-form');
  await setup.getByLabel('PIN nuevo', { exact: true }).fill(TEST_PIN);
  await setup.getByLabel('Repita el PIN nuevo').fill(TEST_PIN);
  await setup.getByRole('button', { name: 'Guardar el PIN y abrir la consola' }).click();
  await es.waitForSelector('#console:not([hidden])');
  await es.locator('[data-console-page="settings"]').click();
  await es.waitForSelector('#settings:not([hidden])');
  await es.waitForSelector('#settings-history li');
  assert.equal(await es.getAttribute('html', 'lang'), 'es');
  assert.equal(await es.textContent('#settings-title'), JSON.parse(await readFile(new URL('i18n/es.json', `file://${www}`), 'utf8'))['settings.title']);
  await screenshot(es, 'settings-es-1280x800.png');
  await noViolations(es, 'Spanish');
});
