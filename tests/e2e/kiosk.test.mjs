// The kiosk page end to end, in Debian's headless Chromium driven by playwright-core, against
// www/ served by Python's static server exactly as `make serve` serves it.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { pageSuite } from '../support/page-suite.mjs';
import {
  shipped as baseConfig, shots, MIN, NINE, configWith, card, staffPanel, boardTile, take, takeIn, act, counterRows, chooseCounter,
} from '../support/kiosk-page.mjs';
import { axeSource, scan } from '../support/axe.mjs';
import { TEST_PIN, openConsole, tryPin } from '../support/staff.mjs';

const suite = pageSuite();
const { newContext, open } = suite;
let origin, context;
beforeEach(() => ({ origin, context } = suite));

/** Serves a changed config.json in this context instead of the shipped one. */
async function withConfig(ctx, change) {
  const config = structuredClone(baseConfig);
  change(config);
  await ctx.route('**/config.json', (route) => route.fulfill({ json: config }));
}

const ticket = async (page) => ({
  number: await page.textContent('#ticket-number'),
  department: await page.textContent('#ticket-department'),
  ahead: await page.textContent('#ticket-ahead'),
});

/** Opens the staff console, setting up the device's PIN first on a fresh browser context. */
const unlock = (page) => openConsole(page, origin);

async function waitingNumbers(page, name) {
  return staffPanel(page, name).locator('.waiting-list button.pick').allTextContents();
}

test('a customer takes tickets in two departments', async () => {
  const page = await open(context);
  await take(page, 'Reception');
  assert.deepEqual(await ticket(page), { number: '1', department: 'Reception', ahead: 'You are next.' });
  await page.waitForFunction(() => document.getElementById('announce-ticket').textContent.includes('Your number is 1'));
  await take(page, 'Reception');
  assert.deepEqual(await ticket(page), { number: '2', department: 'Reception', ahead: '1 person ahead of you.' });
  await take(page, 'Pharmacy');
  assert.deepEqual(await ticket(page), { number: '100', department: 'Pharmacy', ahead: 'You are next.' });
  await page.goto(`${origin}/#board`);
  assert.equal(await boardTile(page, 'Reception').locator('.board-waiting').textContent(), '2 people waiting');
  assert.equal(await boardTile(page, 'Pharmacy').locator('.board-waiting').textContent(), '1 person waiting');
});

test('staff unlock, serve next, serve a priority number from the list, and reset', async () => {
  const page = await open(context);
  for (let i = 0; i < 4; i++) await take(page, 'Reception');
  await unlock(page); // first-run setup of the device's PIN
  await page.getByRole('button', { name: 'Lock console' }).click();
  assert.equal(await page.isVisible('#console'), false, 'the console locks');
  await tryPin(page, '480164');
  assert.match(await page.textContent('#unlock-error'), /not right/);
  assert.equal(await page.isVisible('#console'), false, 'a wrong PIN does not unlock');
  await unlock(page);

  const panel = staffPanel(page, 'Reception');
  await panel.getByRole('button', { name: 'Serve next' }).click();
  await page.waitForFunction(() => document.getElementById('announce-serving').textContent.includes('number 1,'));
  assert.deepEqual(await waitingNumbers(page, 'Reception'), ['2', '3', '4']);
  await panel.getByRole('button', { name: 'Serve 3 now' }).click();
  await page.waitForFunction(() => document.getElementById('announce-serving').textContent.includes('number 3,'));
  assert.deepEqual(await waitingNumbers(page, 'Reception'), ['2', '4']);
  await page.goto(`${origin}/#board`);
  assert.equal(await boardTile(page, 'Reception').locator('.board-number').textContent(), '3');

  await page.goto(`${origin}/#staff`);
  await panel.getByRole('button', { name: 'Reset queue…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  assert.deepEqual(await waitingNumbers(page, 'Reception'), ['2', '4'], 'cancel keeps the queue');
  await panel.getByRole('button', { name: 'Reset queue…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Reset queue' }).click();
  await panel.locator('.waiting-list .empty').waitFor();
  assert.deepEqual(await waitingNumbers(page, 'Reception'), []);
  await page.goto(`${origin}/#customer`);
  await take(page, 'Reception');
  assert.equal((await ticket(page)).number, '1', 'numbering starts again after a reset');
});

test('the staff console locks itself after inactivity', async () => {
  await withConfig(context, (c) => { c.staff.lockAfterSeconds = 1; });
  const page = await open(context);
  await unlock(page);
  await page.waitForSelector('#console', { state: 'hidden', timeout: 10_000 });
  assert.equal(await page.isVisible('#unlock-form'), true);
});

test('a reset question left open when the console locks goes with it, and the lock takes a PIN', async () => {
  await withConfig(context, (c) => { c.staff.lockAfterSeconds = 1; });
  const page = await open(context);
  await unlock(page);
  await staffPanel(page, 'Pharmacy').getByRole('button', { name: 'Reset queue' }).click();
  await page.waitForSelector('#confirm-reset[open]');
  await page.waitForSelector('#console', { state: 'hidden', timeout: 10_000 });
  // A modal dialog inside the hidden console would be unseen and leave the page inert.
  assert.equal(await page.evaluate(() => document.getElementById('confirm-reset').open), false);
  await unlock(page); // the page still takes the PIN: nothing is left inert
});

test('a reload keeps the waiting tickets and the number being served', async () => {
  const page = await open(context);
  for (let i = 0; i < 3; i++) await take(page, 'Pharmacy');
  await unlock(page);
  await staffPanel(page, 'Pharmacy').getByRole('button', { name: 'Serve next' }).click();
  await page.waitForFunction(() => document.getElementById('announce-serving').textContent.includes('100'));
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await unlock(page);
  assert.deepEqual(await waitingNumbers(page, 'Pharmacy'), ['101', '102']);
  assert.match(await staffPanel(page, 'Pharmacy').locator('.staff-serving').textContent(), /Now serving: 100/);
  await page.goto(`${origin}/#customer`);
  await take(page, 'Pharmacy');
  assert.equal((await ticket(page)).number, '103');
});

test('a second window (the board on another screen) follows the first', async () => {
  const kiosk = await open(context);
  const board = await open(context, '#board');
  await take(kiosk, 'Reception');
  await take(kiosk, 'Reception');
  await board.waitForFunction(() => document.querySelector('.board-waiting')?.textContent === '2 people waiting');
  // Staff serve from the second window; the first one follows.
  await unlock(board);
  await staffPanel(board, 'Reception').getByRole('button', { name: 'Serve next' }).click();
  await kiosk.waitForFunction(() => document.getElementById('status-reception').textContent === '1 person waiting');
  await take(kiosk, 'Reception');
  assert.equal((await ticket(kiosk)).number, '3', 'numbering continues from the shared queue');
  await board.goto(`${origin}/#board`);
  await board.waitForFunction(() => document.querySelector('.board-number')?.textContent === '1');
});

test("an earlier version's saves are carried over; corrupt or foreign ones are survived and reported to staff", async () => {
  // Saves as the kiosk wrote them before the shared record, in a browser that has not run the
  // kiosk since: set from another page of the same origin.
  const setup = await context.newPage();
  await setup.goto(`${origin}/config.json`);
  await setup.evaluate(() => {
    localStorage.setItem('take-a-number-deluxe/v1/reception', '{not json');
    localStorage.setItem('take-a-number-deluxe/v1/pharmacy', JSON.stringify({ minNumber: 1, maxNumber: 5, queue: [1], nowServing: null }));
    localStorage.setItem('take-a-number-deluxe/v1/blood-tests', JSON.stringify({ minNumber: 200, maxNumber: 299, queue: [201, 201], nowServing: null }));
  });
  await setup.close();
  const page = await open(context);
  await take(page, 'Reception');
  assert.equal((await ticket(page)).number, '1');
  await take(page, 'Blood tests');
  assert.equal((await ticket(page)).number, '200');
  await unlock(page);
  const notices = await page.locator('#notices li').allTextContents();
  assert.equal(notices.length, 3, notices.join('\n'));
  assert.match(notices.join('\n'), /Reception: the saved data is not valid JSON/);
  assert.match(notices.join('\n'), /Pharmacy: the saved tickets belong to a different number range/);
  assert.match(notices.join('\n'), /Blood tests: the saved tickets could not be restored/);
  assert.deepEqual(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('take-a-number-deluxe/v1/'))), [],
    'the old saves are gone once the shared record holds the departments');

  // A good save is carried over with its tickets and its number being served.
  const other = await newContext({ width: 1280, height: 800 });
  try {
    const prepare = await other.newPage();
    await prepare.goto(`${origin}/config.json`);
    await prepare.evaluate(() => localStorage.setItem('take-a-number-deluxe/v1/pharmacy',
      JSON.stringify({ minNumber: 100, maxNumber: 199, queue: [104, 105], nowServing: 103 })));
    await prepare.close();
    const kiosk = await open(other);
    await take(kiosk, 'Pharmacy');
    assert.deepEqual(await ticket(kiosk), { number: '106', department: 'Pharmacy', ahead: '2 people ahead of you.' });
    await kiosk.goto(`${origin}/#board`);
    assert.equal(await boardTile(kiosk, 'Pharmacy').locator('.board-number').textContent(), '103');
  } finally {
    await other.close();
  }
});

test('a department that switched itself off says so, and a touch wakes it', async () => {
  await withConfig(context, (c) => { c.departments[0].autoShutdownTimeout = 300; });
  const page = await open(context);
  await take(page, 'Reception');
  await page.waitForFunction(() => document.getElementById('status-reception').textContent.includes('Switched off'),
    null, { timeout: 10_000 });
  await page.goto(`${origin}/#board`);
  assert.equal(await boardTile(page, 'Reception').locator('.board-number').textContent(), 'Closed');
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await boardTile(page, 'Reception').locator('.board-number').textContent(), 'Closed',
    'still switched off after a reload, its queue gone');
  assert.equal(await boardTile(page, 'Reception').locator('.board-waiting').textContent(), 'Switched off');
  await page.goto(`${origin}/#customer`);
  // A touch on the card wakes the machine without taking a ticket.
  await card(page, 'Reception').locator('h3').click();
  await page.waitForFunction(() => !document.getElementById('status-reception').textContent.includes('Switched off'));
  assert.equal(await page.isVisible('#ticket'), false, 'waking hands out no ticket');
  assert.equal(await page.textContent('#status-reception'), '0 people waiting');
  await page.waitForFunction(() => document.getElementById('status-reception').textContent.includes('Switched off'),
    null, { timeout: 10_000 });
  // So does taking a number, which also hands out the first ticket of the fresh machine.
  await take(page, 'Reception');
  assert.equal((await ticket(page)).number, '1', 'a fresh machine');
  assert.doesNotMatch(await page.textContent('#status-reception'), /Switched off/);
});

test('a full range shows a friendly message, not an error code', async () => {
  await withConfig(context, (c) => { c.departments[1].minNumber = 1; c.departments[1].maxNumber = 2; });
  const page = await open(context);
  await take(page, 'Pharmacy');
  await take(page, 'Pharmacy');
  await take(page, 'Pharmacy');
  const message = await page.textContent('#customer-message');
  assert.match(message, /All numbers for Pharmacy are taken at the moment/);
  assert.doesNotMatch(message, /all_possible/);
  assert.equal(await page.isVisible('#ticket'), false);
});

test('everything works from the keyboard alone', async () => {
  const page = await open(context);
  const focusOn = async (predicate, limit = 40) => {
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(predicate)) return;
    }
    assert.fail('never reached the element with Tab');
  };
  await focusOn(() => document.activeElement?.dataset.department === 'pharmacy');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'focus is visible');
  await page.keyboard.press('Enter');
  // Pharmacy asks which queue (config.json groups): focus is on the question; the first choice is next.
  await page.waitForFunction(() => document.activeElement?.id === 'group-picker-title');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.group), 'standard');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.getElementById('ticket-number').textContent === '100');
  // No "Staff" link for customers: staff use the documented key combination.
  await page.keyboard.press('Control+Alt+KeyS');
  await page.waitForSelector('#setup-form:not([hidden])');
  await focusOn(() => document.activeElement?.id === 'setup-pin');
  await page.keyboard.type(TEST_PIN);
  await page.keyboard.press('Tab');
  await page.keyboard.type(TEST_PIN);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#console:not([hidden])');
  await page.getByRole('button', { name: 'Lock console' }).press('Enter');
  await focusOn(() => document.activeElement?.id === 'pin');
  await page.keyboard.type(TEST_PIN);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#console:not([hidden])');
  await focusOn(() => document.activeElement?.textContent === 'Serve next'
    && document.activeElement.closest('.staff-panel')?.querySelector('h3')?.textContent === 'Pharmacy');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.getElementById('announce-serving').textContent.includes('100'));
});

test('no serious or critical accessibility violations (axe-core) in any view', async () => {
  const page = await open(context);
  await take(page, 'Reception');
  const scan = async (where) => {
    // Mid-animation (the ticket fades in) colours are not what a reader sees; let them finish.
    await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
    await page.evaluate(axeSource);
    const result = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad.map((v) => `${where}: ${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`), []);
  };
  await scan('customer');
  await page.goto(`${origin}/#board`);
  await scan('board');
  await page.goto(`${origin}/#staff`);
  await page.waitForSelector('#setup-form:not([hidden])');
  await scan('staff (first-run setup)');
  const setup = page.locator('#setup-form');
  await setup.getByLabel('New PIN', { exact: true }).fill('123456');
  await setup.getByLabel('New PIN again').fill('123456');
  await setup.getByRole('button', { name: 'Save PIN and open the console' }).click();
  await page.waitForFunction(() => document.getElementById('setup-error').textContent !== '');
  await scan('staff (setup, weak PIN refused)');
  await unlock(page);
  await scan('staff console');
  await page.getByRole('button', { name: 'Change PIN…' }).click();
  await page.waitForSelector('#change-pin-dialog[open]');
  await scan('staff (change PIN dialog)');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Lock console' }).click();
  await tryPin(page, '480164');
  await scan('staff (locked, one wrong PIN)');
  for (let i = 0; i < 4; i++) await tryPin(page, '480164');
  await page.waitForSelector('#unlock-countdown:not([hidden])');
  await scan('staff (waiting after wrong PINs)');
  await page.goto(`${origin}/#reset-staff-pin`);
  await page.waitForSelector('#reset-form:not([hidden])');
  await scan('staff (forgotten-PIN reset)');
});

test('screenshots of every view at kiosk and tablet sizes', async () => {
  for (const [label, viewport] of [['portrait-1080x1920', { width: 1080, height: 1920 }], ['tablet-1280x800', { width: 1280, height: 800 }]]) {
    const ctx = await newContext(viewport, { reducedMotion: 'reduce' });
    try {
      const page = await open(ctx);
      await take(page, 'Reception');
      await take(page, 'Reception');
      await take(page, 'Blood tests');
      await page.screenshot({ path: `${shots}customer-${label}.png`, fullPage: true });
      await unlock(page);
      await staffPanel(page, 'Reception').getByRole('button', { name: 'Serve next' }).click();
      await page.waitForFunction(() => document.getElementById('announce-serving').textContent !== '');
      await page.screenshot({ path: `${shots}staff-${label}.png`, fullPage: true });
      await page.goto(`${origin}/#board`);
      await page.screenshot({ path: `${shots}board-${label}.png`, fullPage: true });
    } finally {
      await ctx.close();
    }
  }
});

test('the new screens in English pass axe at both sizes; screenshots of the board, the console and the figures', async () => {
  for (const [label, viewport] of [['portrait-1080x1920', { width: 1080, height: 1920 }], ['tablet-1280x800', { width: 1280, height: 800 }]]) {
    const ctx = await newContext(viewport, { reducedMotion: 'reduce' }, configWith());
    try {
      await ctx.clock.setFixedTime(NINE - 120 * MIN); // 07:00
      const kiosk = await open(ctx);
      const staff = await open(ctx, '#staff');
      await openConsole(staff, origin);
      const board = await open(ctx, '#board');
      // A morning: tickets in three departments over three hours, calls at all three counters.
      const serve = async (id, counter) => {
        if (counter) await chooseCounter(staff, id, counter);
        await act(staff, id, 'serve');
      };
      const takeMany = async (batch) => {
        for (const [id, n] of batch) for (let i = 0; i < n; i++) await takeIn(kiosk, id);
      };
      let minute = -120;
      const at = (minutes) => { minute += minutes; return ctx.clock.setFixedTime(NINE + minute * MIN); };
      await takeMany([['blood-tests', 4], ['reception', 2], ['pharmacy', 1]]);
      await at(30); // 07:30
      await serve('reception');
      await serve('blood-tests', '1');
      await takeMany([['blood-tests', 3], ['reception', 3], ['pharmacy', 2]]);
      await at(40); // 08:10
      await serve('blood-tests', '2');
      await serve('pharmacy');
      await takeMany([['blood-tests', 6], ['reception', 4], ['pharmacy', 4]]);
      await at(45); // 08:55
      await serve('blood-tests', '3');
      await serve('reception');
      await at(30); // 09:25
      await serve('blood-tests', '1');
      await serve('pharmacy');
      await takeMany([['blood-tests', 3], ['reception', 2]]);
      await at(25); // 09:50
      await serve('blood-tests', '2');
      await act(staff, 'blood-tests', 'recall'); // Blood tests asks two calls before a no-show
      await act(staff, 'blood-tests', 'no-show');
      await serve('blood-tests', '2');
      await serve('reception');

      await board.bringToFront();
      await board.waitForFunction(() => document.querySelectorAll('.board-tile[data-department="blood-tests"] .board-calls li').length === 5);
      assert.deepEqual((await counterRows(board, 'blood-tests')).map(([c]) => c), ['Counter 1', 'Counter 2', 'Counter 3']);
      await scan(board, `${label} board with counters`);
      await board.screenshot({ path: `${shots}board-counters-${label}.png`, fullPage: true });
      await staff.bringToFront();
      await staff.goto(`${origin}/#staff`);
      await scan(staff, `${label} console with counters`);
      await staff.screenshot({ path: `${shots}console-${label}.png`, fullPage: true });
      await staff.getByRole('button', { name: "Today's figures" }).click();
      await staff.waitForSelector('.chart-svg');
      await scan(staff, `${label} figures`);
      await staff.screenshot({ path: `${shots}figures-${label}.png`, fullPage: true });
    } finally {
      await ctx.close();
    }
  }
});
