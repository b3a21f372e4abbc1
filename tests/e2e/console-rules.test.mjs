// The counters' operations at the staff console, end to end in Debian's headless Chromium, across
// windows of one browser (one browser context is one record): park at one counter's window and
// call the ticket back from another, finish, no-show, transfer to another department (where the
// ticket then waits), with a board in a third window; and all of it from the keyboard, with an axe scan.
// Across two devices on a real nats-server: console-rules-hub.test.mjs.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { pageSuite } from '../support/page-suite.mjs';
import { take, panel, act, press, counterRows, chooseCounter } from '../support/kiosk-page.mjs';
import { openConsole } from '../support/staff.mjs';
import { scan } from '../support/axe.mjs';

const suite = pageSuite();
const { open } = suite;
let origin, context;
beforeEach(() => ({ origin, context } = suite));

/** The numbers a panel lists under `list` ('waiting-list' or 'parked-list'). */
const listed = (page, id, list) => panel(page, id).locator(`.${list} li:not(.empty)`).evaluateAll((items) => items.map((li) => Number(li.textContent)));

test('park at one counter, call it back from another window, finish, no-show and transfer; the board follows', async () => {
  const kiosk = await open(context);
  const board = await open(context, '#board');
  const desk1 = await open(context, '#staff');
  await openConsole(desk1, origin);
  const desk2 = await open(context, '#staff');
  await openConsole(desk2, origin);
  for (let i = 0; i < 4; i++) await take(kiosk, 'Blood tests');
  await chooseCounter(desk1, 'blood-tests', '1');
  await chooseCounter(desk2, 'blood-tests', '2');

  // Nothing at the counter yet: nothing to finish, park, mark or transfer.
  for (const action of ['finish', 'park', 'no-show', 'recall', 'transfer']) {
    assert.equal(await panel(desk1, 'blood-tests').locator(`[data-action="${action}"]`).isDisabled(), true, action);
  }
  assert.equal(await act(desk1, 'blood-tests', 'serve'), 'Serving 200 at counter 1.');
  assert.equal(await act(desk1, 'blood-tests', 'park'), '200 is parked: call it back from the parked list.');
  assert.match(await panel(desk1, 'blood-tests').locator('.staff-serving').textContent(), /^Counter 1: nobody yet · 3 people waiting$/);
  await desk2.bringToFront();
  await desk2.waitForFunction(() => document.querySelectorAll('[data-department="blood-tests"] .parked-list li:not(.empty)').length === 1);
  assert.deepEqual(await listed(desk2, 'blood-tests', 'parked-list'), [200]);
  assert.deepEqual(await listed(desk2, 'blood-tests', 'waiting-list'), [201, 202, 203], 'a parked ticket does not queue again');

  // Counter 1 goes on; then window 2 calls the parked ticket back to counter 1.
  assert.equal(await act(desk1, 'blood-tests', 'serve'), 'Serving 201 at counter 1.');
  assert.equal(await press(desk2, 'blood-tests', 'Call 200 back to counter 1'), 'Called 200 back to counter 1.');
  await desk1.bringToFront();
  await desk1.waitForFunction(() => /^Counter 1: 200 /.test(document.querySelector('[data-department="blood-tests"] .staff-serving').textContent));
  assert.deepEqual(await listed(desk1, 'blood-tests', 'parked-list'), []);
  assert.equal(await panel(desk1, 'blood-tests').locator('.parked-list .empty').textContent(), 'No parked numbers.');
  await board.bringToFront();
  await board.waitForFunction(() => document.querySelector('.board-tile[data-department="blood-tests"] .board-counter[data-counter="1"] .board-counter-number')?.textContent === '200');
  assert.deepEqual(await counterRows(board, 'blood-tests'), [['Counter 1', '200', true]]);

  // Finish frees the counter; the board no longer shows a number there.
  assert.equal(await act(desk1, 'blood-tests', 'finish'), '200 is done.');
  await board.bringToFront();
  await board.waitForFunction(() => document.querySelectorAll('.board-tile[data-department="blood-tests"] .board-counter').length === 0);

  // Counter 2: a no-show, which Blood tests allows after two calls (config.json), then a transfer.
  assert.equal(await act(desk2, 'blood-tests', 'serve'), 'Serving 202 at counter 2.');
  const calls = panel(desk2, 'blood-tests').locator('.staff-calls');
  assert.equal(await calls.textContent(), 'Called 1 of 2 times before a no-show');
  assert.equal(await panel(desk2, 'blood-tests').locator('[data-action="no-show"]').isDisabled(), true, 'not after one call');
  await act(desk2, 'blood-tests', 'recall');
  await desk2.waitForFunction(() => document.querySelector('[data-department="blood-tests"] .staff-calls').hidden
    || /Called 2 of 2/.test(document.querySelector('[data-department="blood-tests"] .staff-calls').textContent));
  assert.equal(await panel(desk2, 'blood-tests').locator('[data-action="no-show"]').isDisabled(), false, 'after the second call');
  assert.equal(await act(desk2, 'blood-tests', 'no-show'), '202 did not come: marked as a no-show.');
  assert.equal(await act(desk2, 'blood-tests', 'serve'), 'Serving 203 at counter 2.');
  const transferTo = panel(desk2, 'blood-tests').getByLabel('Transfer to');
  assert.deepEqual(await transferTo.locator('option').allTextContents(), ['Choose a department…', 'Reception', 'Pharmacy'],
    'the facility\'s other departments');
  assert.equal(await act(desk2, 'blood-tests', 'transfer'), 'Choose the department to transfer to first.');
  await transferTo.selectOption('pharmacy');
  assert.equal(await act(desk2, 'blood-tests', 'transfer'), '203 was sent to Pharmacy, with the same number.');
  assert.match(await panel(desk2, 'blood-tests').locator('.staff-serving').textContent(), /^Counter 2: nobody yet · 0 people waiting$/);
  await scan(desk2, 'console with the counters\' operations');
});

test('the counters\' operations from the keyboard alone', async () => {
  const kiosk = await open(context);
  for (let i = 0; i < 2; i++) await take(kiosk, 'Reception');
  const desk = await open(context, '#staff');
  await openConsole(desk, origin);
  const reception = panel(desk, 'reception');
  const press = async (name) => {
    const before = await desk.evaluate(() => window.__served);
    await reception.getByRole('button', { name, exact: true }).focus();
    await desk.keyboard.press('Enter');
    await desk.waitForFunction((count) => window.__served > count, before);
    return reception.locator('.staff-result').textContent();
  };
  assert.equal(await press('Serve next'), 'Serving 1.');
  assert.equal(await press('Park'), '1 is parked: call it back from the parked list.');
  await reception.getByRole('button', { name: 'Call 1 back' }).focus();
  await desk.keyboard.press('Space');
  await desk.waitForFunction(() => document.querySelector('[data-department="reception"] .staff-result').textContent === 'Called 1 back.');
  // The transfer: the department chosen with the arrow keys, then Tab to the button.
  await reception.getByLabel('Transfer to').focus();
  await desk.keyboard.press('ArrowDown');
  assert.equal(await reception.getByLabel('Transfer to').inputValue(), 'pharmacy');
  await desk.keyboard.press('Tab');
  assert.equal(await desk.evaluate(() => document.activeElement.dataset.action), 'transfer');
  const before = await desk.evaluate(() => window.__served);
  await desk.keyboard.press('Enter');
  await desk.waitForFunction((count) => window.__served > count, before);
  assert.equal(await reception.locator('.staff-result').textContent(), '1 was sent to Pharmacy, with the same number.');
  assert.equal(await reception.getByRole('button', { name: 'Finish', exact: true }).isDisabled(), true, 'nobody is at the desk now');
  assert.equal(await press('Serve next'), 'Serving 2.');
  assert.equal(await press('Finish'), '2 is done.');
});

// The other half of a transfer (js/engine/transfers.js: every window carries the transfers
// between the departments it sees): the ticket reaches the other department with its number.
test('a transferred ticket waits in the other department, with its number', async () => {
  const kiosk = await open(context);
  await take(kiosk, 'Reception');
  const desk = await open(context, '#staff');
  await openConsole(desk, origin);
  await act(desk, 'reception', 'serve');
  await panel(desk, 'reception').getByLabel('Transfer to').selectOption('pharmacy');
  assert.equal(await act(desk, 'reception', 'transfer'), '1 was sent to Pharmacy, with the same number.');
  await desk.waitForFunction(() => document.querySelectorAll('[data-department="pharmacy"] .waiting-list li:not(.empty)').length === 1, null, { timeout: 5000 });
  assert.deepEqual(await listed(desk, 'pharmacy', 'waiting-list'), [1]);
});
