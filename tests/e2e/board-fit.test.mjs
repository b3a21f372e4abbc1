// The board fits the screen it is given, in Debian's headless Chromium: at 1280x720, 1920x1080,
// 3840x2160 and portrait 1080x1920, for facilities of 1, 3, 6 and 12 departments (some with up
// to 6 counters) whose numbers have been called, the document never scrolls, every department's
// name and number lie inside the screen and inside their tile, unclipped, on one page or another,
// and every number's ink is at least as tall as the reading rule asks; and the pages follow the
// facility's settings when a manager saves others, and the language. Screenshots of the board
// with three departments at each size go to tests/screenshots/ (docs/ shows them).
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { pageSuite } from '../support/page-suite.mjs';
import { shots, configWith, takeIn, act, chooseCounter, wallControls } from '../support/kiosk-page.mjs';
import { scan } from '../support/axe.mjs';
import { openConsole } from '../support/staff.mjs';
import { PAGE_MS } from '../../www/js/views/board-fit.js';

const suite = pageSuite();
const { newContext, open } = suite;
let origin;
beforeEach(() => ({ origin } = suite));

/**
 * The rule, worked out here on its own: 1 inch of character height per 10 feet of viewing
 * distance, read from 6 m, on a screen whose short side is at least that of a 50-inch 16:9
 * screen. As a share of the short side.
 */
const FLOOR_SHARE = ((6000 / (10 * 12 * 25.4)) * 25.4) / ((50 * 25.4 * 9) / Math.hypot(16, 9));

const SIZES = [[1280, 720], [1920, 1080], [3840, 2160], [1080, 1920]];

/**
 * Twelve departments: ranges of 2, 3 and 4 digits whose first number is as long as their last
 * (so the numbers called are each range's longest), long and short names, and counters (6, 2,
 * 3, 4 and 2) among them; a facility of n departments has the first n.
 */
const DEPARTMENTS = [
  ['blood-tests', 'Blood tests', 1000, 1999, 6],
  ['reception', 'Reception', 100, 999, 0],
  ['pharmacy', 'Pharmacy', 10, 99, 0],
  ['x-ray', 'X-ray and scans', 200, 299, 2],
  ['vaccinations', 'Vaccinations', 300, 399, 0],
  ['physio', 'Physiotherapy', 400, 499, 3],
  ['dental', 'Dental care', 500, 599, 0],
  ['eyes', 'Eye clinic', 600, 699, 0],
  ['maternity', 'Maternity', 700, 799, 4],
  ['outpatients', 'Outpatient appointments', 800, 899, 0],
  ['skin', 'Dermatology', 900, 999, 0],
  ['social', 'Social services', 2000, 2999, 2],
].map(([id, name, minNumber, maxNumber, counters], i) => ({
  id, name: { en: name }, minNumber, maxNumber, autoShutdownTimeout: 7_200_000,
  colour: ['#1d3557', '#0b6e4f', '#9d0208', '#5a189a', '#7f5539', '#005f73', '#3a0ca3', '#9c6644', '#283618', '#6a040f', '#264653', '#b5179e'][i],
  ...(counters > 0 ? { counters: Array.from({ length: counters }, (_, c) => String(c + 1)) } : {}),
}));

const facility = (count) => configWith((config) => { config.departments = DEPARTMENTS.slice(0, count); });

/**
 * A context of `count` departments with their numbers called: in each, five tickets taken and
 * served (the board's last calls full), one at least at every counter; the board's clock is
 * Playwright's, so that its pages can be turned at once.
 */
async function calledFacility(count) {
  const ctx = await newContext({ width: 1280, height: 800 }, { reducedMotion: 'reduce' }, facility(count));
  await ctx.clock.install();
  const kiosk = await open(ctx);
  const staff = await open(ctx, '#staff');
  await openConsole(staff, origin);
  for (const { id, counters = [] } of DEPARTMENTS.slice(0, count)) {
    // Enough that the last calls are full (the board keeps five) and every counter has a number.
    const calls = Math.max(5, counters.length);
    await kiosk.bringToFront();
    for (let i = 0; i < calls; i++) await takeIn(kiosk, id);
    for (let i = 0; i < calls; i++) {
      if (counters.length > 0) await chooseCounter(staff, id, counters[i % counters.length]);
      await act(staff, id, 'serve');
    }
  }
  const board = await open(ctx, '#board');
  return { ctx, board };
}

/** Waits for the board to have settled at its size: two frames after a resize. */
const settled = (page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

/**
 * What the board shows on its current page: the document's scroll size, the page line, and per
 * visible tile its department, whether its name and numbers lie inside the screen and the tile
 * and are not clipped, and each number's text and ink height (the glyphs' own bounds, measured
 * with the number's font).
 */
const onScreen = (page) => page.evaluate(() => {
  const inside = (inner, outer) => inner.left >= outer.left - 0.5 && inner.top >= outer.top - 0.5
    && inner.right <= outer.right + 0.5 && inner.bottom <= outer.bottom + 0.5;
  const screen = { left: 0, top: 0, right: innerWidth, bottom: innerHeight };
  const context = document.createElement('canvas').getContext('2d');
  const tiles = [...document.querySelectorAll('.board-tile')].filter((tile) => tile.checkVisibility());
  return {
    scroll: { height: document.documentElement.scrollHeight, width: document.documentElement.scrollWidth },
    pageLine: document.getElementById('board-page').checkVisibility() ? document.getElementById('board-page').textContent : null,
    tiles: tiles.map((tile) => {
      const box = tile.getBoundingClientRect();
      const name = tile.querySelector('h3');
      const numbers = [...tile.querySelectorAll('.board-number, .board-counter-number')].filter((n) => n.checkVisibility());
      const problems = [];
      for (const part of [name, ...numbers]) {
        const rect = part.getBoundingClientRect();
        if (!inside(rect, screen)) problems.push(`${part.textContent} leaves the screen`);
        if (!inside(rect, box)) problems.push(`${part.textContent} leaves its tile`);
        if (part.scrollWidth > part.clientWidth) problems.push(`${part.textContent} is clipped`);
      }
      if (tile.scrollHeight > tile.clientHeight || tile.scrollWidth > tile.clientWidth) problems.push('the tile overflows');
      return {
        id: tile.dataset.department,
        problems,
        numbers: numbers.map((number) => {
          const style = getComputedStyle(number);
          context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
          const ink = context.measureText(number.textContent);
          return { text: number.textContent, ink: ink.actualBoundingBoxAscent + ink.actualBoundingBoxDescent };
        }),
      };
    }),
  };
});

for (const count of [1, 3, 6, 12]) {
  test(`a board of ${count} department${count > 1 ? 's' : ''} with numbers called fits every screen size, numbers at least the reading floor`, async () => {
    const { ctx, board } = await calledFacility(count);
    const departments = DEPARTMENTS.slice(0, count);
    await board.bringToFront();
    for (const [width, height] of SIZES) {
      const size = `${width}x${height}`;
      await board.setViewportSize({ width, height });
      await settled(board);
      const floor = FLOOR_SHARE * Math.min(width, height);
      const first = await onScreen(board);
      const pages = first.pageLine === null ? 1 : Number(/ of (\d+)$/.exec(first.pageLine)[1]);
      const seen = new Map(); // department -> its numbers
      let smallest = Infinity;
      let largest = 0;
      for (let p = 1; p <= pages; p++) {
        const shown = p === 1 ? first : await onScreen(board);
        assert.ok(shown.scroll.height <= height && shown.scroll.width <= width, `${size}: the document does not scroll (${shown.scroll.width}x${shown.scroll.height})`);
        if (pages > 1) assert.equal(shown.pageLine, `Page ${p} of ${pages}`, `${size}: the page says which it is`);
        for (const tile of shown.tiles) {
          assert.deepEqual(tile.problems, [], `${size}, page ${p}: ${tile.id}`);
          seen.set(tile.id, tile.numbers);
          for (const { ink } of tile.numbers) {
            smallest = Math.min(smallest, ink);
            largest = Math.max(largest, ink);
          }
        }
        await ctx.clock.fastForward(PAGE_MS);
        await settled(board);
      }
      assert.deepEqual([...seen.keys()].sort(), departments.map(({ id }) => id).sort(), `${size}: every department on some page`);
      for (const { id, maxNumber, counters = [] } of departments) {
        const texts = seen.get(id).map(({ text }) => text);
        assert.equal(texts.length, Math.max(1, counters.length), `${size}: ${id} shows a number at each counter`);
        for (const text of texts) assert.equal(text.length, String(maxNumber).length, `${size}: ${id} shows its range's longest numbers (${text})`);
      }
      console.log(`# figures: board ${size}, ${count} department(s): numbers ${smallest.toFixed(0)}-${largest.toFixed(0)} px tall (floor ${floor.toFixed(0)} px = ${(FLOOR_SHARE * 100).toFixed(1)}% of the short side), ${pages} page(s)`);
      assert.ok(smallest >= floor, `${size}: every number at least ${floor.toFixed(1)} px tall (smallest ${smallest.toFixed(1)})`);
      await scan(board, `board ${size}, ${count} departments`);
      if (count === 3) await board.screenshot({ path: `${shots}board-fit-${size}.png` });
    }
  });
}

/** Opens the Settings page of the console in `page`, loads `config` from a file and saves it. */
async function saveSettings(page, config) {
  await page.bringToFront();
  if (!(await page.isVisible('#settings'))) {
    await openConsole(page, origin);
    await page.locator('[data-console-page="settings"]').click();
    await page.waitForSelector('#settings-history li');
  }
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import a file…', exact: true }).click()]);
  await chooser.setFiles({ name: 'config.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(config)) });
  await page.waitForFunction(() => document.getElementById('settings-status').textContent.startsWith('config.json is loaded'));
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.waitForFunction(() => /^Saved as version/.test(document.getElementById('settings-status').textContent));
}

/** The departments on each of the board's pages, turning them with the context's clock. */
async function pagesOf(ctx, board) {
  await board.bringToFront();
  await settled(board);
  const line = await board.evaluate(() => (document.getElementById('board-page').hidden ? null : document.getElementById('board-page').textContent));
  const count = line === null ? 1 : Number(/(\d+)$/.exec(line)[1]); // "Page 1 of 3", "Página 1 de 3"
  const pages = [];
  for (let p = 0; p < count; p++) {
    const shown = await onScreen(board);
    assert.ok(shown.scroll.height <= 720 && shown.scroll.width <= 1280, 'the document does not scroll');
    for (const tile of shown.tiles) assert.deepEqual(tile.problems, [], tile.id);
    pages.push(shown.tiles.map(({ id }) => id));
    await ctx.clock.fastForward(PAGE_MS);
    await settled(board);
  }
  return pages;
}

test('the pages follow the facility\'s settings and language: twelve departments saved meanwhile go on pages, and back to one page for two', async () => {
  const two = configWith((config) => { config.departments = DEPARTMENTS.slice(1, 3); });
  const ctx = await newContext({ width: 1280, height: 720 }, { reducedMotion: 'reduce' }, two);
  await ctx.clock.install();
  const board = await open(ctx, '#board');
  const staff = await open(ctx, '#staff');
  assert.deepEqual(await pagesOf(ctx, board), [['reception', 'pharmacy']]);

  await saveSettings(staff, facility(12));
  await board.bringToFront();
  await board.waitForFunction(() => document.querySelectorAll('.board-tile').length === 12, null, { timeout: 30_000 });
  const pages = await pagesOf(ctx, board);
  assert.ok(pages.length > 1, `twelve departments do not fit one page at 1280x720 (${pages.length})`);
  assert.deepEqual(pages.flat(), DEPARTMENTS.map(({ id }) => id), 'every department on a page, in order, once');
  // Spanish words are longer: the tiles are measured again, and still nothing is cut off.
  await wallControls(board);
  await board.getByRole('button', { name: 'Español' }).click();
  await board.waitForFunction(() => document.documentElement.lang === 'es');
  assert.deepEqual((await pagesOf(ctx, board)).flat(), DEPARTMENTS.map(({ id }) => id), 'in Spanish too');

  await saveSettings(staff, two);
  await board.bringToFront();
  await board.waitForFunction(() => document.querySelectorAll('.board-tile').length === 2, null, { timeout: 30_000 });
  assert.deepEqual(await pagesOf(ctx, board), [['reception', 'pharmacy']]);
  assert.equal(await board.isVisible('#board-page'), false, 'one page: no page line');
});
