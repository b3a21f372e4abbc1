// Counters end to end, in Debian's headless Chromium: two staff windows at two counters of one
// department and a board in a third window (one browser context is one record), the board's
// history, call again (a flash, or a steady mark under reduced motion) and no-show, the spoken
// call-out and which window speaks, each window's counter across a reload, and all of it from
// the keyboard.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { pageSuite } from '../support/page-suite.mjs';
import { watchProblems, boardTile, take, panel, act, counterRows, chooseCounter, spoken, wallControls } from '../support/kiosk-page.mjs';
import { openConsole } from '../support/staff.mjs';

const suite = pageSuite();
const { open } = suite;
let origin, context, problems;
beforeEach(() => ({ origin, context, problems } = suite));

const history = (page, id) => page.locator(`.board-tile[data-department="${id}"] .board-calls li`).evaluateAll(
  (items) => items.map((li) => `${li.textContent}${li.classList.contains('newest') ? ' (newest)' : ''}`),
);

test('two staff windows call to two counters of one department; a board in a third window shows and says each call', async () => {
  const kiosk = await open(context);
  let board = await open(context, '#board');
  const desk1 = await open(context, '#staff');
  await openConsole(desk1, origin); // sets up the device's PIN
  const desk2 = await open(context, '#staff');
  await openConsole(desk2, origin);
  for (let i = 0; i < 6; i++) await take(kiosk, 'Blood tests');

  // Only the board has its sound on (a per-device, per-view switch: the click allows sound).
  await board.bringToFront();
  await wallControls(board);
  await board.getByLabel('Chime and call out numbers on this screen').check();
  assert.equal(await desk1.isChecked('#sound-toggle'), false, 'the console\'s own switch stays off');

  // No counter chosen yet: the console asks rather than calling to counter 1 by default.
  assert.equal(await panel(desk1, 'blood-tests').locator('[data-action="serve"]').isDisabled(), true);
  assert.match(await desk1.textContent('#counter-hint-blood-tests'), /Choose the counter you call numbers to/);
  await chooseCounter(desk1, 'blood-tests', '1');
  await chooseCounter(desk2, 'blood-tests', '2');
  assert.equal(await act(desk1, 'blood-tests', 'serve'), 'Serving 200 at counter 1.');
  assert.equal(await act(desk2, 'blood-tests', 'serve'), 'Serving 201 at counter 2.');
  assert.equal(await act(desk1, 'blood-tests', 'serve'), 'Serving 202 at counter 1.');

  await board.bringToFront();
  await board.waitForFunction(() => document.querySelectorAll('.board-tile[data-department="blood-tests"] .board-calls li').length === 3);
  assert.deepEqual(await counterRows(board, 'blood-tests'), [['Counter 1', '202', true], ['Counter 2', '201', false]]);
  assert.deepEqual(await history(board, 'blood-tests'), ['202Counter 1 (newest)', '201Counter 2', '200Counter 1']);
  assert.equal(await boardTile(board, 'Blood tests').locator('.board-waiting').textContent(), '3 people waiting');
  await board.waitForFunction(() => window.__spoken.length === 3);
  assert.deepEqual(await spoken(board), ['en: Number 200, counter 1', 'en: Number 201, counter 2', 'en: Number 202, counter 1']);
  assert.ok(await board.evaluate(() => window.__notes) >= 6, 'a chime (two notes) before each call-out');
  for (const page of [kiosk, desk1, desk2]) assert.deepEqual(await spoken(page), [], 'windows whose sound is off stay quiet');
  assert.match(await desk2.textContent('#announce-serving'), /Now serving number 202, Blood tests, at counter 1\./,
    'every window\'s live region hears every call');
  assert.match(await panel(desk2, 'blood-tests').locator('.staff-serving').textContent(), /^Counter 2: 201 · 3 people waiting$/);

  // Call again: the board flashes counter 2's number and says it again.
  assert.equal(await act(desk2, 'blood-tests', 'recall'), 'Called 201 again.');
  await board.bringToFront();
  const recalled = board.locator('.board-tile[data-department="blood-tests"] .board-counter.recalled');
  await recalled.waitFor();
  assert.equal(await recalled.getAttribute('data-counter'), '2');
  assert.match(await recalled.textContent(), /Called again/);
  assert.ok(await recalled.evaluate((row) => row.getAnimations().length) > 0, 'it flashes');
  await board.waitForFunction(() => window.__spoken.length === 4);
  assert.equal((await spoken(board))[3], 'en: Number 201, counter 2');

  // Under prefers-reduced-motion a new recall is a steady highlight, not a flash.
  await board.emulateMedia({ reducedMotion: 'reduce' });
  await act(desk1, 'blood-tests', 'recall');
  await board.bringToFront();
  const calm = board.locator('.board-counter.recalled[data-counter="1"]');
  await calm.waitFor();
  assert.equal(await calm.evaluate((row) => row.getAnimations().length), 0, 'no animation');
  assert.equal(await calm.evaluate((row) => getComputedStyle(row).outlineStyle), 'solid', 'still marked');

  // A board opened now shows the calls but neither flashes nor announces the old ones. (It may
  // not speak before a tap anyway, so the live region, which needs none, is the witness.)
  await board.reload();
  await board.waitForSelector('body[data-ready="true"]');
  await board.waitForFunction(() => document.querySelectorAll('.board-tile[data-department="blood-tests"] .board-calls li').length === 3);
  await board.waitForTimeout(500);
  assert.equal(await board.locator('.recalled').count(), 0, 'no flash on load');
  assert.equal(await board.textContent('#announce-serving'), '', 'no old call announced on load');
  // A new board window (a browser restarted, say) remembers its sound, but may not make any
  // before a tap, and says so. Chromium under Playwright reports every page as tapped already
  // (navigator.userActivation), so this window plays a browser that has not been tapped yet.
  await board.close();
  board = await context.newPage();
  watchProblems(board, problems);
  await board.addInitScript(() => {
    let active = false;
    const tapped = () => { active = true; };
    addEventListener('pointerdown', tapped, { capture: true });
    addEventListener('keydown', tapped, { capture: true });
    Object.defineProperty(Navigator.prototype, 'userActivation', {
      configurable: true, get: () => ({ hasBeenActive: active, isActive: active }),
    });
  });
  await board.goto(`${origin}/#board`);
  await board.waitForSelector('body[data-ready="true"]');
  assert.equal(await board.isChecked('#board-sound-toggle'), true, 'the board remembers its sound');
  assert.match(await board.textContent('#board-sound-hint'), /Tap this screen once/);
  await board.locator('#board').click(); // the tap browsers want before a page may make sound
  await board.waitForSelector('#board-sound-hint', { state: 'hidden' });

  // No-show at counter 2: the ticket is closed, the counter leaves the board, the queue is untouched.
  assert.equal(await act(desk2, 'blood-tests', 'no-show'), '201 did not come: marked as a no-show.');
  await board.bringToFront();
  await board.waitForFunction(() => document.querySelectorAll('.board-tile[data-department="blood-tests"] .board-counter').length === 1);
  assert.deepEqual(await counterRows(board, 'blood-tests'), [['Counter 1', '202', true]]);
  assert.deepEqual(await panel(desk2, 'blood-tests').locator('.waiting-list button.pick').allTextContents(), ['203', '204', '205']);
  assert.equal(await panel(desk2, 'blood-tests').locator('[data-action="recall"]').isDisabled(), true, 'nobody at counter 2 now');

  // Each window keeps its counter across a reload; a new window starts from the device's last choice.
  await desk1.reload();
  await desk1.waitForSelector('body[data-ready="true"]');
  await openConsole(desk1, origin);
  assert.equal(await desk1.inputValue('#counter-blood-tests'), '1');
  const desk3 = await open(context, '#staff');
  await openConsole(desk3, origin);
  assert.equal(await desk3.inputValue('#counter-blood-tests'), '2');
  // A department without counters calls as before.
  await take(kiosk, 'Pharmacy');
  assert.equal(await act(desk3, 'pharmacy', 'serve'), 'Serving 100.');
  await board.bringToFront();
  await board.waitForFunction(() => window.__spoken.some((s) => s.text === 'Number 100, Pharmacy'));
  assert.equal(await boardTile(board, 'Pharmacy').locator('.board-number').textContent(), '100');
});

test('counters, call again, no-show and the language switch work from the keyboard', async () => {
  const page = await open(context);
  await take(page, 'Blood tests');
  await take(page, 'Blood tests');
  const tabTo = async (predicate, limit = 60, arg = null) => {
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(predicate, arg)) return;
    }
    assert.fail('never reached the element with Tab');
  };
  await page.keyboard.press('Escape');
  await page.evaluate(() => document.activeElement?.blur());
  await tabTo(() => document.activeElement?.dataset.language === 'es');
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.language), 'en');
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');

  await openConsole(page, origin);
  await page.evaluate(() => document.activeElement?.blur());
  await tabTo(() => document.activeElement?.id === 'counter-blood-tests');
  await page.keyboard.press('ArrowDown'); // "Counter 1"
  assert.equal(await page.inputValue('#counter-blood-tests'), '1');
  const press = async (action) => {
    await tabTo((a) => document.activeElement?.dataset.action === a
      && document.activeElement.closest('.staff-panel')?.dataset.department === 'blood-tests', 10, action);
    const before = await page.evaluate(() => window.__served);
    await page.keyboard.press('Enter');
    await page.waitForFunction((count) => window.__served > count, before);
    return panel(page, 'blood-tests').locator('.staff-result').textContent();
  };
  // Each press moves on from the focused button; start again from the counter each time.
  await page.focus('#counter-blood-tests');
  assert.equal(await press('serve'), 'Serving 200 at counter 1.');
  await page.focus('#counter-blood-tests');
  assert.equal(await press('recall'), 'Called 200 again.');
  await page.focus('#counter-blood-tests');
  assert.equal(await press('no-show'), '200 did not come: marked as a no-show.');
});
