// The board on the wall, in Debian's headless Chromium: the call itself, three calls made within a second
// are each shown large over the board ("104 → Counter 2", in the department's colour), one after
// another and in the order made, none lost, each said as it is shown; under reduced motion
// nothing moves; axe finds nothing while a call is shown; a facility that has its calls said in two
// languages hears each call in both; the board alone on the wall, its controls brought up by a
// touch for a while, and the department names in each of the facility's languages.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { pageSuite } from '../support/page-suite.mjs';
import { take, act, chooseCounter, spoken, configWith, wallControls } from '../support/kiosk-page.mjs';
import { openConsole } from '../support/staff.mjs';
import { scan } from '../support/axe.mjs';

const suite = pageSuite();
const { open, newContext } = suite;
let origin, context;
beforeEach(() => ({ origin, context } = suite));

/** Records, in `board`, each call the overlay shows, as its words, when it comes on screen. */
const watchOverlay = (board) => board.evaluate(() => {
  window.overlaid = [];
  const overlay = document.querySelector('.call-overlay');
  new MutationObserver(() => {
    const words = [...overlay.querySelectorAll('p:not([hidden])')].map((p) => p.textContent).join(' / ');
    window.overlaid.push({ words, colour: getComputedStyle(overlay).backgroundColor, at: performance.now() });
  }).observe(overlay, { attributes: true, attributeFilter: ['data-call'] });
});

test('three calls within a second are shown over the board one after another, in order, each in its colour, and said as shown', async () => {
  const kiosk = await open(context);
  for (const name of ['Reception', 'Pharmacy', 'Blood tests']) await take(kiosk, name);
  const board = await open(context, '#board');
  await wallControls(board);
  await board.getByLabel('Chime and call out numbers on this screen').check();
  await watchOverlay(board);
  const desk = await open(context, '#staff');
  await openConsole(desk, origin);
  await chooseCounter(desk, 'blood-tests', '2');
  const started = Date.now();
  assert.equal(await act(desk, 'reception', 'serve'), 'Serving 1.');
  assert.equal(await act(desk, 'pharmacy', 'serve'), 'Serving 100.');
  assert.equal(await act(desk, 'blood-tests', 'serve'), 'Serving 200 at counter 2.');
  console.log(`# figures: ${JSON.stringify({ threeCallsMs: Date.now() - started })}`);

  await board.bringToFront();
  await board.waitForFunction(() => window.__spoken.length === 3 && document.querySelector('.call-overlay').hidden, null, { timeout: 30_000 });
  const shown = await board.evaluate(() => window.overlaid);
  assert.deepEqual(shown.map((s) => s.words), ['1→Reception', '100→Pharmacy', 'Blood tests / 200→Counter 2'], 'each call, in order, none lost');
  const colours = await board.evaluate(() => ['reception', 'pharmacy', 'blood-tests']
    .map((id) => getComputedStyle(document.querySelector(`.board-tile[data-department="${id}"]`)).backgroundColor));
  assert.deepEqual(shown.map((s) => s.colour), colours, 'in the colour of its department');
  for (let i = 1; i < shown.length; i++) assert.ok(shown[i].at - shown[i - 1].at >= 3500, `call ${i + 1} waited its turn`);
  assert.deepEqual(await spoken(board), ['en: Number 1, Reception', 'en: Number 100, Pharmacy', 'en: Number 200, counter 2'], 'said in the same order');
  assert.deepEqual(await spoken(desk), [], 'the console, sound off, says nothing');
});

test('a recall is shown again, marked; under reduced motion nothing moves; axe-clean while a call is shown', async () => {
  await context.close();
  const calm = await newContext({ width: 1280, height: 800 }, { reducedMotion: 'reduce' });
  const kiosk = await open(calm);
  await take(kiosk, 'Reception');
  const board = await open(calm, '#board');
  await watchOverlay(board);
  const desk = await open(calm, '#staff');
  await openConsole(desk, origin);
  await act(desk, 'reception', 'serve');
  await act(desk, 'reception', 'recall');
  await board.bringToFront();
  await board.waitForFunction(() => window.overlaid.length === 2, null, { timeout: 30_000 });
  assert.deepEqual(await board.evaluate(() => window.overlaid.map((s) => s.words)), ['1→Reception', '1→Reception / Called again']);
  await board.waitForSelector('.call-overlay:not([hidden])');
  assert.deepEqual(await board.evaluate(() => document.querySelector('.call-overlay').getAnimations().length), 0, 'no movement');
  await scan(board, 'board with a call shown');
});

test('a facility whose calls are said in Spanish and English: the board says each call in both, one after the other', async () => {
  await context.close();
  const bilingual = await newContext({ width: 1280, height: 800 }, {}, configWith((c) => { c.callOutLanguages = ['es', 'en']; }));
  const kiosk = await open(bilingual);
  await take(kiosk, 'Blood tests');
  const board = await open(bilingual, '#board');
  await wallControls(board);
  await board.getByLabel('Chime and call out numbers on this screen').check();
  const desk = await open(bilingual, '#staff');
  await openConsole(desk, origin);
  await chooseCounter(desk, 'blood-tests', '3');
  await act(desk, 'blood-tests', 'serve');
  await board.bringToFront();
  await board.waitForFunction(() => window.__spoken.length === 2);
  assert.deepEqual(await spoken(board), ['es: Número 200, puesto 3', 'en: Number 200, counter 3']);
  assert.equal(await board.getAttribute('html', 'lang'), 'en', 'the board itself stays in its language');
});

test('on the wall the board is alone: no header, no switch, no pointer, until a touch or the mouse brings them for a while; names in each language', async () => {
  const board = await open(context, '#board');
  const shown = (selector) => board.locator(selector).evaluate((node) => getComputedStyle(node).visibility === 'visible' && node.getClientRects().length > 0);
  assert.equal(await board.getAttribute('body', 'data-wall'), 'true');
  assert.equal(await shown('.top'), false, 'no navigation, no language buttons');
  assert.equal(await shown('.board-sound'), false, 'no sound switch');
  assert.equal(await board.evaluate(() => getComputedStyle(document.body).cursor), 'none', 'no pointer');
  const before = await board.locator('#board').boundingBox();
  await wallControls(board);
  assert.equal(await shown('.top'), true);
  assert.equal(await shown('.board-sound'), true);
  assert.equal(await board.evaluate(() => getComputedStyle(document.body).cursor), 'auto');
  assert.deepEqual(await board.locator('#board').boundingBox(), before, 'the controls come over the board: nothing under them moves');
  // They go by themselves, 10 s after the last activity (a generous wait, not a timing).
  await board.waitForSelector('body:not([data-controls])', { state: 'attached', timeout: 30_000 });
  assert.equal(await shown('.top'), false);
  // The facility offers English and Spanish: each tile names its department in both.
  assert.equal(await board.locator('.board-tile[data-department="blood-tests"] h3').textContent(), 'Blood tests');
  assert.equal(await board.locator('.board-tile[data-department="blood-tests"] .board-name-more').textContent(), 'Análisis de sangre');
  assert.equal(await board.getAttribute('.board-tile[data-department="blood-tests"] .board-name-more span', 'lang'), 'es');
  // Any other view is a page people use: everything shows.
  await board.goto(`${origin}/#customer`);
  assert.equal(await board.getAttribute('body', 'data-wall'), null);
  assert.equal(await shown('.top'), true);
});

test('on the wall, a tap that brings the controls back does not also press what comes up under it', async () => {
  await context.close();
  const touch = await newContext({ width: 1280, height: 800 }, { hasTouch: true });
  const board = await open(touch, '#board');
  // Where the header's first link comes up, once the controls are there.
  await wallControls(board);
  const link = await board.locator('.top a[href="#customer"]').boundingBox();
  const [x, y] = [link.x + link.width / 2, link.y + link.height / 2];
  await board.waitForSelector('body:not([data-controls])', { state: 'attached', timeout: 30_000 });
  await board.touchscreen.tap(x, y);
  assert.equal(await board.getAttribute('body', 'data-controls'), 'open', 'the tap brought the controls');
  assert.equal(new URL(board.url()).hash, '#board', 'and did not follow the link that came up under it');
  await board.touchscreen.tap(x, y);
  await board.waitForURL(/#customer$/);
});

test('on the wall, a press that never became a click leaves no click to swallow: a keyboard click goes through', async () => {
  const board = await open(context, '#board');
  // A long press: pointerdown, and no click (a context menu instead).
  await board.dispatchEvent('#board', 'pointerdown');
  assert.equal(await board.getAttribute('body', 'data-controls'), 'open');
  // A click that is not a tap (a keyboard's, or a script's: detail 0) is never the one swallowed.
  await board.evaluate(() => document.querySelector('.top a[href="#customer"]').click());
  await board.waitForURL(/#customer$/);
});
