// The kiosk's day-long features end to end, in Debian's headless Chromium: counters (two staff
// windows at two counters of one department, a board in a third window: one browser context is
// one record), the board's history, call again and no-show, the spoken call-out and which
// window speaks, the waiting-time estimate, the day's figures with the chart and the CSV
// download, the languages, and the customer screen's way back to the start. Screenshots of the
// new screens go to tests/screenshots/.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../support/browser.mjs';
import { www, serveWww, instrument, watchProblems, card, boardTile, take, panel, act, counterRows } from '../support/kiosk-page.mjs';
import { openConsole } from '../support/staff.mjs';
import { buildMetaTag, withFirstScreen } from '../../www/js/boot/kept-screen.js';

const shots = fileURLToPath(new URL('../screenshots/', import.meta.url));
const shipped = JSON.parse(await readFile(new URL('config.json', `file://${www}`), 'utf8'));
const spanish = JSON.parse(await readFile(new URL('i18n/es.json', `file://${www}`), 'utf8'));
const axeSource = await readFile(fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url)), 'utf8');
const MIN = 60_000;
/** 09:00 in Madrid on a Tuesday (08:00 UTC): the facility's clock in the tests that set one. */
const NINE = Date.UTC(2026, 10, 24, 8, 0);

let server;
let browser;
let origin;
let context;
let problems;

before(async () => {
  server = await serveWww();
  origin = server.origin;
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
  await mkdir(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.close();
});

beforeEach(async () => {
  problems = [];
  context = await newContext({ width: 1280, height: 800 });
});

afterEach(async () => {
  await context.close();
  assert.deepEqual(problems, [], 'no console errors, page errors or CSP violations');
});

/**
 * Records what each window says aloud (`__spoken`: { text, lang }) and how many chime notes it
 * plays (`__notes`), instead of making sound.
 */
function recordSound() {
  window.__spoken = [];
  window.__notes = 0;
  window.speechSynthesis.speak = (utterance) => window.__spoken.push({ text: utterance.text, lang: utterance.lang });
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function counted(...args) {
    window.__notes += 1;
    return start.apply(this, args);
  };
}

async function newContext(viewport, options = {}, config = null) {
  const ctx = await browser.newContext({ viewport, ...options });
  await ctx.addInitScript(instrument);
  await ctx.addInitScript(recordSound);
  if (config) await ctx.route('**/config.json', (route) => route.fulfill({ json: config }));
  return ctx;
}

/** The shipped config with `change` applied; the facility in Madrid, so times are known. */
function configWith(change = () => {}) {
  const config = structuredClone(shipped);
  config.timeZone = 'Europe/Madrid';
  change(config);
  return config;
}

async function open(ctx, hash = '') {
  const page = await ctx.newPage();
  watchProblems(page, problems);
  await page.goto(`${origin}/${hash}`);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}

/** A customer takes a ticket in department `id`, in whatever language the page shows. */
async function takeIn(page, id) {
  const before = await page.evaluate(() => window.__answers);
  await page.click(`.take[data-department="${id}"]`);
  await page.waitForFunction((count) => window.__answers > count, before);
}

async function chooseCounter(page, id, counter) {
  await page.bringToFront();
  await page.selectOption(`#counter-${id}`, counter);
}

const history = (page, id) => page.locator(`.board-tile[data-department="${id}"] .board-calls li`).evaluateAll(
  (items) => items.map((li) => `${li.textContent}${li.classList.contains('newest') ? ' (newest)' : ''}`),
);
const spoken = (page) => page.evaluate(() => window.__spoken.map(({ text, lang }) => `${lang}: ${text}`));

async function scan(page, where) {
  // Mid-animation colours (a ticket fading in, a number flashing) are not what a reader sees.
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => { a.finish(); return a.finished; })));
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${where}: ${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`), []);
}

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
  await board.click('#board-title'); // the tap browsers want before a page may make sound
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

test('the estimate: on the ticket, the card and the board, from the recent pace; nothing without one', async () => {
  await context.clock.setFixedTime(NINE);
  const kiosk = await open(context);
  const board = await open(context, '#board');
  const desk = await open(context, '#staff');
  await openConsole(desk, origin);
  await take(kiosk, 'Pharmacy');
  assert.equal(await kiosk.isVisible('#ticket-wait'), false, 'no pace yet: no estimate at all');
  assert.equal(await kiosk.textContent('#ticket-ahead'), 'You are next.');
  assert.equal(await board.locator('.board-tile[data-department="pharmacy"] .board-estimate').isVisible(), false);
  for (let i = 0; i < 5; i++) await take(kiosk, 'Pharmacy');
  // One person every 3 minutes while people wait: the pace.
  for (let i = 1; i <= 4; i++) {
    await context.clock.setFixedTime(NINE + 3 * i * MIN);
    await act(desk, 'pharmacy', 'serve');
  }
  // Two wait (104, 105): a new ticket has 2 ahead and waits (2 + 1) x 3 minutes.
  await kiosk.bringToFront();
  await kiosk.reload();
  await kiosk.waitForSelector('body[data-ready="true"]');
  assert.equal(await kiosk.textContent('#estimate-pharmacy'), 'Waiting time about 9 minutes');
  await board.bringToFront();
  await board.waitForFunction(() => document.querySelector('.board-tile[data-department="pharmacy"] .board-estimate')
    .textContent === 'New tickets wait about 9 minutes');
  await take(kiosk, 'Pharmacy');
  assert.equal(await kiosk.textContent('#ticket-number'), '106');
  assert.equal(await kiosk.textContent('#ticket-ahead'), '2 people ahead of you.');
  assert.equal(await kiosk.textContent('#ticket-wait'), 'Your wait: about 9 minutes.');
  assert.match(await kiosk.textContent('#announce-ticket'), /Your number is 106, Pharmacy\. 2 people ahead of you\. Your wait: about 9 minutes\./);
  // Three ahead of the next one: 12 minutes, shown to the nearest 5 above 10.
  await board.bringToFront();
  await board.waitForFunction(() => document.querySelector('.board-tile[data-department="pharmacy"] .board-estimate')
    .textContent === 'New tickets wait about 10 minutes');
  // Other departments have no pace: nothing is said there.
  assert.equal(await board.locator('.board-tile[data-department="reception"] .board-estimate').isVisible(), false);
});

test("the day's figures: per department and in total, a chart per hour, a CSV download; behind the staff lock", async () => {
  await context.close();
  context = await newContext({ width: 1280, height: 800 }, {}, configWith());
  await context.clock.setFixedTime(NINE);
  const kiosk = await open(context);
  const desk = await open(context, '#figures');
  assert.equal(await desk.isVisible('#figures'), false, 'locked: no figures');
  await openConsole(desk, origin);
  await desk.goto(`${origin}/#figures`);
  assert.equal(await desk.isVisible('#figures-table'), true);
  assert.equal(await desk.textContent('.chart-empty'), 'No tickets yet today.');

  // 09:00 Madrid: three blood tests, one reception; served at two counters; a no-show.
  for (let i = 0; i < 3; i++) await take(kiosk, 'Blood tests');
  await take(kiosk, 'Reception');
  await desk.goto(`${origin}/#staff`);
  await chooseCounter(desk, 'blood-tests', '1');
  await context.clock.setFixedTime(NINE + 4 * MIN);
  await act(desk, 'blood-tests', 'serve'); // 200 at counter 1 after 4 min
  await chooseCounter(desk, 'blood-tests', '2');
  await context.clock.setFixedTime(NINE + 10 * MIN);
  await act(desk, 'blood-tests', 'serve'); // 201 at counter 2 after 10 min
  await act(desk, 'blood-tests', 'no-show'); // 201 did not come
  await context.clock.setFixedTime(NINE + 70 * MIN); // 10:10
  await take(kiosk, 'Reception');
  await take(kiosk, 'Reception');
  await act(desk, 'reception', 'serve'); // 1, after 70 min

  await desk.getByRole('button', { name: "Today's figures" }).click();
  await desk.waitForSelector('#figures:not([hidden])');
  const cell = (row, column) => desk.evaluate(({ row, column }) => {
    const table = document.getElementById('figures-table');
    const col = [...table.querySelectorAll('thead th')].findIndex((th) => th.textContent === column);
    const tr = [...table.querySelectorAll('tbody tr')].find((r) => r.querySelector('th').textContent === row);
    return tr.children[col].textContent;
  }, { row, column });
  assert.equal(await cell('Tickets issued', 'Blood tests'), '3');
  assert.equal(await cell('Tickets issued', 'Reception'), '3');
  assert.equal(await cell('Tickets issued', 'All departments'), '6');
  assert.equal(await cell('Served', 'All departments'), '2');
  assert.equal(await cell('No-shows', 'Blood tests'), '1');
  assert.equal(await cell('Waiting now', 'All departments'), '3');
  assert.equal(await cell('Average wait', 'Blood tests'), '7 min');
  assert.equal(await cell('Average wait', 'All departments'), '28 min');
  assert.equal(await cell('9 in 10 waited at most', 'All departments'), '70 min');
  assert.equal(await cell('Longest queue', 'Blood tests'), '3');
  assert.match(await desk.textContent('#figures-since'), /Since midnight, Tuesday, November 24, 2026/);

  // The chart: an SVG built with DOM methods (the CSP allows no inline markup), hours 9 and 10
  // of the facility's day among at least 8, bars stacked in the departments' colours.
  const bars = await desk.locator('.chart-bar').evaluateAll((groups) => groups.map((g) => ({
    hour: Number(g.dataset.hour), total: Number(g.dataset.total), fills: [...g.querySelectorAll('rect')].map((r) => r.getAttribute('fill')),
  })));
  assert.ok(bars.length >= 8);
  assert.deepEqual(bars.filter((b) => b.total > 0), [
    { hour: 9, total: 4, fills: ['#1d3557', '#9d0208'] },
    { hour: 10, total: 2, fills: ['#1d3557'] },
  ]);
  assert.equal(await desk.getAttribute('.chart-svg', 'role'), 'img');
  assert.equal(await desk.textContent('#chart-summary'), 'Busiest hour: 09:00 AM to 10:00 AM, 4 tickets.');
  await scan(desk, 'figures');

  // The CSV: one row per ticket, the facility's local times, through a download link.
  const [download] = await Promise.all([desk.waitForEvent('download'), desk.click('#download-csv')]);
  assert.equal(download.suggestedFilename(), 'tickets-2026-11-24.csv');
  const csv = await readFile(await download.path(), 'utf8');
  assert.equal(csv, '\uFEFFnumber,department,taken,called,counter,outcome\r\n'
    + '1,Reception,2026-11-24 09:00:00,2026-11-24 10:10:00,,served\r\n'
    + '2,Reception,2026-11-24 10:10:00,,,waiting\r\n'
    + '3,Reception,2026-11-24 10:10:00,,,waiting\r\n'
    + '200,Blood tests,2026-11-24 09:00:00,2026-11-24 09:04:00,1,served\r\n'
    + '201,Blood tests,2026-11-24 09:00:00,2026-11-24 09:10:00,2,no-show\r\n'
    + '202,Blood tests,2026-11-24 09:00:00,,,waiting\r\n');

  // The figures are the shared record's: the same after a reload, and in another window.
  const other = await open(context, '#figures');
  await openConsole(other, origin);
  await other.goto(`${origin}/#figures`);
  assert.equal(await other.textContent('#figures-table'), await desk.textContent('#figures-table'));
});

test('the kiosk in Spanish: a visible switch, <html lang>, every text, then back to English after the ticket', async () => {
  await context.close();
  context = await newContext({ width: 1280, height: 800 }, {}, configWith((c) => { c.ticketSeconds = 5; }));
  const page = await open(context);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  const español = page.getByRole('button', { name: 'Español' });
  assert.equal(await español.getAttribute('lang'), 'es');
  await español.click();
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  assert.equal(await español.getAttribute('aria-pressed'), 'true');
  assert.equal(await page.textContent('#customer-title'), 'Saque su número');
  assert.equal(await page.title(), 'Riverside Health Centre: saque su número');
  assert.equal(await page.textContent('#status-blood-tests'), '0 personas esperando');
  assert.equal(await card(page, 'Análisis de sangre').getByRole('button', { name: 'Sacar número' }).count(), 1);
  assert.equal(await page.getByRole('link', { name: 'Atendiendo ahora' }).count(), 1);
  // No English left on the customer view (department names come from config.json, in Spanish too).
  const visible = await page.locator('#view-customer').innerText();
  for (const word of ['Take', 'number', 'waiting', 'Choose', 'department']) assert.doesNotMatch(visible, new RegExp(`\\b${word}\\b`), word);

  await takeIn(page, 'blood-tests');
  assert.equal(await page.textContent('.ticket-label'), 'Su número');
  assert.equal(await page.textContent('#ticket-ahead'), 'No hay nadie delante de usted.');
  assert.equal(await page.textContent('#ticket-department'), 'Análisis de sangre');
  assert.match(await page.textContent('#ticket-time'), /^Hora: \d\d:\d\d$/);
  await page.screenshot({ path: `${shots}customer-es-1280x800.png`, fullPage: true });
  await scan(page, 'customer, Spanish, with a ticket');
  // A tap on the ticket itself (reading it, printing it) keeps it.
  await page.click('#ticket-number');
  assert.equal(await page.isVisible('#ticket'), true);
  // ticketSeconds later: the start screen, in the facility's language.
  await page.waitForSelector('#ticket', { state: 'hidden', timeout: 15_000 });
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.textContent('#customer-title'), 'Take a number');

  // The next tap elsewhere ends a ticket at once.
  await take(page, 'Reception');
  await page.click('#customer-title');
  assert.equal(await page.isVisible('#ticket'), false);
  // A tap on another "Take a number" ends the previous ticket and gives the next one.
  await take(page, 'Reception');
  await take(page, 'Pharmacy');
  assert.equal(await page.textContent('#ticket-number'), '100');
  // Escape, from the keyboard.
  await page.keyboard.press('Escape');
  assert.equal(await page.isVisible('#ticket'), false);

  // A customer who picks Spanish and walks away: English again after ticketSeconds.
  await español.click();
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  await page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: 15_000 });
});

test('Spanish as the facility\'s language: the board, the console, the lock and the call-out, axe-clean at both sizes', async () => {
  for (const [label, viewport] of [['portrait-1080x1920', { width: 1080, height: 1920 }], ['tablet-1280x800', { width: 1280, height: 800 }]]) {
    const ctx = await newContext(viewport, { reducedMotion: 'reduce' }, configWith((c) => { c.language = 'es'; c.languages = ['es', 'en']; }));
    try {
      const kiosk = await open(ctx);
      assert.equal(await kiosk.getAttribute('html', 'lang'), 'es');
      for (let i = 0; i < 4; i++) await takeIn(kiosk, 'blood-tests');
      await takeIn(kiosk, 'reception');
      await scan(kiosk, `${label} customer, Spanish`);
      await kiosk.screenshot({ path: `${shots}customer-es-${label}.png`, fullPage: true });

      const staff = await open(ctx, '#staff');
      await staff.waitForSelector('#setup-form:not([hidden])');
      assert.equal(await staff.textContent('#setup-title'), 'Configure el PIN del personal de este dispositivo');
      await scan(staff, `${label} staff setup, Spanish`);
      const setup = staff.locator('#setup-form');
      await setup.getByLabel('PIN nuevo', { exact: true }).fill('123456');
      await setup.getByLabel('Repita el PIN nuevo').fill('123456');
      await setup.getByRole('button', { name: 'Guardar el PIN y abrir la consola' }).click();
      await staff.waitForFunction(() => document.getElementById('setup-error').textContent !== '');
      assert.equal(await staff.textContent('#setup-error'), 'Ese PIN cuenta hacia arriba o hacia abajo: elija uno más difícil de adivinar.');
      await setup.getByLabel('PIN nuevo', { exact: true }).fill('480163');
      await setup.getByLabel('Repita el PIN nuevo').fill('480163');
      await setup.getByRole('button', { name: 'Guardar el PIN y abrir la consola' }).click();
      await staff.waitForSelector('#console:not([hidden])');
      await staff.selectOption('#counter-blood-tests', '3');
      const board = await open(ctx, '#board');
      await board.bringToFront();
      await board.getByLabel('Aviso sonoro y llamada por voz en esta pantalla').check();
      assert.equal(await act(staff, 'blood-tests', 'serve'), 'Atendiendo el 200 en el puesto 3.');
      assert.equal(await act(staff, 'reception', 'serve'), 'Atendiendo el 1.');
      assert.equal(await act(staff, 'blood-tests', 'recall'), 'Se ha vuelto a llamar al 200.');
      await scan(staff, `${label} console, Spanish`);
      await board.bringToFront();
      await board.waitForFunction(() => window.__spoken.length === 3);
      assert.deepEqual(await spoken(board), ['es: Número 200, puesto 3', 'es: Número 1, Recepción', 'es: Número 200, puesto 3']);
      assert.deepEqual(await counterRows(board, 'blood-tests'), [['Puesto 3', '200', true]]);
      assert.equal(await boardTile(board, 'Análisis de sangre').locator('.board-waiting').textContent(), '3 personas esperando');
      await scan(board, `${label} board, Spanish`);
      await staff.bringToFront();
      await staff.getByRole('button', { name: 'Cifras de hoy' }).click();
      await staff.waitForSelector('#figures:not([hidden])');
      assert.match(await staff.textContent('#figures-table'), /Números emitidos/);
      await scan(staff, `${label} figures, Spanish`);
      await staff.getByRole('button', { name: 'Bloquear la consola' }).click();
      await staff.getByLabel('PIN del personal', { exact: true }).fill('480164');
      await staff.getByRole('button', { name: 'Desbloquear' }).click();
      await staff.waitForFunction(() => document.getElementById('unlock-error').textContent !== '');
      assert.equal(await staff.textContent('#unlock-error'), 'Ese PIN no es correcto. Quedan 4 intentos antes de una espera.');
      await scan(staff, `${label} lock, Spanish`);
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

/**
 * The page opened with `config` (the shipped one when null) and `routes` (glob -> handler)
 * until it shows why it cannot start; `check(page)` then looks further. The customer view is
 * gone, the page no longer says it is usable, and no page error came on the way.
 */
async function cannotStart({ config = null, routes = {} }, check) {
  const ctx = await newContext({ width: 1280, height: 800 }, {}, config);
  try {
    for (const [pattern, handler] of Object.entries(routes)) await ctx.route(pattern, handler);
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${origin}/`);
    await page.waitForSelector('#fatal:not([hidden])');
    assert.equal(await page.isVisible('#view-customer'), false);
    assert.equal(await page.evaluate(() => document.body.dataset.usable), undefined, 'no longer said to be usable');
    await check(page);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
}

test('bad configuration and broken language files get a readable message, not a blank page', async () => {
  const cases = [
    [(c) => { c.departments[2].counters = [1, 2, 3]; }, null,
      'Configuration problem: department 3: "counters" must hold texts, such as "1" (with quotes), not 1'],
    [(c) => { c.departments[2].counters = ['1', '1']; }, null, 'Configuration problem: department 3: the counter "1" is listed twice'],
    [(c) => { c.languages = ['en', 'fr']; }, null, 'Language file problem: i18n/fr.json could not be fetched (HTTP 404)'],
    [() => {}, (route) => route.fulfill({ body: '{ "language.name": "Español", ', contentType: 'application/json' }),
      'Language file problem: i18n/es.json is not valid JSON'],
  ];
  for (const [change, es, message] of cases) {
    await cannotStart({ config: configWith(change), routes: es ? { '**/i18n/es.json': es } : {} },
      async (page) => assert.equal(await page.textContent('#fatal-text'), message));
  }
});

test('a tap while the page is still starting is answered once, on the buttons of the configuration it runs with', async () => {
  // early.js shows the buttons before main.js has started the machines: here the wasm is held
  // back until the test lets it through, so the page cannot answer until then. The facility's
  // language is Spanish and it has two departments, one renamed: nothing of the shipped page's.
  const config = configWith((c) => {
    c.language = 'es';
    c.departments = c.departments.filter((d) => d.id !== 'reception');
    c.departments[0].name = { en: 'Medicines', es: 'Medicamentos' };
  });
  const ctx = await newContext({ width: 1280, height: 800 }, {}, config);
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  try {
    await ctx.route('**/*.wasm', async (route) => {
      await held;
      await route.continue();
    });
    const page = await ctx.newPage();
    watchProblems(page, problems);
    const board = await ctx.newPage();
    watchProblems(board, problems);
    await Promise.all([page.goto(`${origin}/`), board.goto(`${origin}/#board`)]);
    await page.waitForSelector('body[data-usable="true"]');
    assert.deepEqual(await page.locator('.department-card h3').allTextContents(), ['Medicamentos', 'Análisis de sangre']);
    assert.deepEqual(await page.locator('.take').allTextContents(), ['Sacar número', 'Sacar número']);
    assert.deepEqual(await page.locator('.card-status').allTextContents(), ['Conectando…', 'Conectando…']);
    assert.equal(await page.isVisible('#loading'), false);
    // A customer who reads English picks it on the first screen: shown at once, kept for the ticket.
    await page.getByRole('button', { name: 'English' }).click();
    assert.deepEqual(await page.locator('.department-card h3').allTextContents(), ['Medicines', 'Blood tests']);
    // Where the buttons are now is where they stay once the page has started (none moves under
    // a finger): measured in the page, not the viewport, since a ticket scrolls the page.
    const where = () => page.evaluate(() => [...document.querySelectorAll('.take')]
      .map((b) => Math.round(b.getBoundingClientRect().top + window.scrollY)));
    const early = await where();
    // Another view waits for the page: no customer buttons on the board's screen.
    await board.waitForSelector('body[data-usable="true"]');
    assert.equal(await board.isVisible('#loading'), true);
    assert.equal(await board.isVisible('#view-customer'), false);

    // An impatient customer taps three times before the page can answer.
    for (let i = 0; i < 3; i++) await page.click('.take[data-department="pharmacy"]');
    assert.equal(await page.getAttribute('.take[data-department="pharmacy"]', 'aria-busy'), 'true', 'the tap shows it was taken');
    assert.equal(await page.evaluate(() => document.body.dataset.ready), undefined, 'the machines have not started');
    assert.equal(await page.evaluate(() => window.__answers), 0);

    release();
    await page.waitForSelector('#ticket:not([hidden])');
    assert.equal(await page.textContent('#ticket-number'), '100');
    assert.equal(await page.textContent('#ticket-department'), 'Medicines');
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForFunction(() => document.getElementById('status-pharmacy').textContent === '1 person waiting');
    assert.deepEqual(await where(), early, 'the buttons did not move');
    assert.equal(await page.evaluate(() => window.__answers), 1, 'one answer: one ticket');
    assert.equal(await page.getAttribute('.take[data-department="pharmacy"]', 'aria-busy'), null);
    await board.waitForSelector('#view-board:not([hidden])');
    // Back to the start, in the facility's language; the next tap is the next number: the
    // early one was taken once, not twice.
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.getElementById('name-pharmacy').textContent === 'Medicamentos');
    await takeIn(page, 'pharmacy');
    assert.equal(await page.textContent('#ticket-number'), '101');
  } finally {
    release();
    await ctx.close();
  }
});

test('a page that came with a first screen for a configuration replaced since: the tap follows its department, a hub withdraws both', async () => {
  // The service worker serves a kept first screen only for the config.json it holds, but another
  // window may replace that between serving the page and early.js asking for config.json. Here
  // the page is served as the worker would serve it (first-screen.js), the screen taken from
  // the shipped configuration's first screen, and config.json is already another.
  const taking = await newContext({ width: 1280, height: 800 });
  let screen;
  try {
    await taking.route('**/*.wasm', () => {}); // held: the first screen as early.js showed it
    const page = await taking.newPage();
    await page.goto(`${origin}/`);
    await page.waitForSelector('body[data-usable="true"]');
    screen = await page.evaluate(async () => {
      const { firstScreenOf } = await import('./js/boot/kept-screen.js');
      const { config } = await import('./js/boot/loading.js');
      return firstScreenOf(document, await config);
    });
  } finally {
    await taking.close();
  }
  const id = '0123456789abcdef';
  const html = (await (await fetch(`${origin}/`)).text()).replace('<meta charset="utf-8">', (tag) => `${tag}\n  ${buildMetaTag(id)}`);
  const kept = withFirstScreen(html, { ...screen, build: id });
  assert.match(kept, /data-card="reception"/);

  const noReception = configWith((c) => {
    c.departments = c.departments.filter((d) => d.id !== 'reception');
    c.departments[0].name = { en: 'Medicines', es: 'Medicamentos' };
  });
  /** The kept page opened with `config`; `tap` is tapped the moment first.js says it is usable. */
  async function startWith(config, tap, check) {
    const ctx = await newContext({ width: 1280, height: 800 }, {}, config);
    try {
      await ctx.route(`${origin}/`, (route) => route.fulfill({ body: kept, contentType: 'text/html' }));
      await ctx.addInitScript((department) => {
        window.usableMarks = [];
        document.addEventListener('readystatechange', () => {
          if (document.readyState === 'interactive') window.cardsInPage = document.querySelectorAll('[data-card]').length;
        });
        new MutationObserver(() => {
          const usable = document.body?.dataset.usable ?? null;
          if (window.usableMarks.at(-1) !== usable) window.usableMarks.push(usable);
          if (usable !== 'true' || window.tapped) return;
          window.tapped = true;
          document.querySelector(`button[data-department="${department}"]`).click();
        }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-usable'] });
      }, tap);
      const page = await ctx.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => window.tapped);
      assert.equal(await page.evaluate(() => window.cardsInPage), 3, 'the page came with the kept cards');
      await check(page);
      assert.deepEqual(errors, []);
    } finally {
      await ctx.close();
    }
  }

  // Pharmacy is still there, renamed: its tap is answered, on the new cards.
  await startWith(noReception, 'pharmacy', async (page) => {
    await page.waitForSelector('#ticket:not([hidden])');
    assert.equal(await page.textContent('#ticket-number'), '100');
    assert.equal(await page.textContent('#ticket-department'), 'Medicines');
    assert.deepEqual(await page.locator('.department-card h3').allTextContents(), ['Medicines', 'Blood tests']);
  });
  // Reception is gone: its tap goes with it, answered by nothing and marked nowhere.
  await startWith(noReception, 'reception', async (page) => {
    await page.waitForSelector('body[data-ready="true"]');
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
    assert.equal(await page.evaluate(() => window.__answers), 0);
    assert.equal(await page.locator('[aria-busy="true"]').count(), 0);
    assert.deepEqual(await page.locator('.department-card h3').allTextContents(), ['Medicines', 'Blood tests']);
  });
  // A hub now: the page stops saying it is usable, and the tap is dropped, until the device is
  // connected (it never is here).
  await startWith(configWith((c) => { c.hub = { url: 'ws://127.0.0.1:9' }; }), 'pharmacy', async (page) => {
    await page.waitForFunction(() => document.querySelector('button[data-department="pharmacy"]').disabled);
    assert.deepEqual((await page.evaluate(() => window.usableMarks)).slice(0, 2), ['true', null]);
    assert.equal(await page.locator('[aria-busy="true"]').count(), 0);
    assert.equal(await page.evaluate(() => window.__answers), 0);
  });
});

const refused = (route) => route.abort();

test('when main.js cannot be loaded, the first screen gives way to the reason, not to buttons that never answer', () => cannotStart(
  { routes: { '**/js/main.js': refused } },
  async (page) => assert.match(await page.textContent('#fatal-text'), /^Unexpected error: /),
));

test('when the page cannot start after its first screen, that screen is gone for good and takes no tap', () => cannotStart(
  { routes: { '**/*.wasm': refused } },
  async (page) => {
    // The skip link, or anyone, changing the address: the buttons do not come back.
    await page.evaluate(() => { location.hash = '#main'; });
    await page.evaluate(() => { location.hash = '#customer'; });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50))));
    assert.equal(await page.isVisible('#view-customer'), false);
    assert.equal(await page.isVisible('#fatal'), true);
  },
));

test('customers keep taking numbers when the other views cannot be loaded; those views say why', async () => {
  // main.js mounts the board, the staff lock and console after the customer view, from a module
  // of their own (later-views.js): here the server never delivers it.
  const ctx = await newContext({ width: 1280, height: 800 });
  try {
    await ctx.route('**/js/views/later.js', (route) => route.abort());
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${origin}/`);
    await page.waitForSelector('body[data-usable="true"]');
    await takeIn(page, 'pharmacy');
    assert.equal(await page.textContent('#ticket-number'), '100');
    assert.equal(await page.isVisible('#fatal'), false);
    await page.evaluate(() => { location.hash = '#board'; });
    await page.waitForSelector('#fatal:not([hidden])');
    assert.match(await page.textContent('#fatal-text'), /^Unexpected error: /);
    assert.equal(await page.isVisible('#view-board'), false);
    await page.evaluate(() => { location.hash = '#customer'; });
    await page.waitForSelector('#view-customer:not([hidden])');
    assert.equal(await page.isVisible('#fatal'), false);
    await takeIn(page, 'pharmacy');
    assert.equal(await page.textContent('#ticket-number'), '101');
    assert.equal(await page.evaluate(() => document.body.dataset.ready), undefined, 'never ready: views are missing');
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('a text missing from a language shows in English and is listed once in the staff notices', async () => {
  await context.close();
  context = await newContext({ width: 1280, height: 800 });
  const partial = { ...spanish };
  delete partial['customer.take'];
  await context.route('**/i18n/es.json', (route) => route.fulfill({ json: partial }));
  const page = await open(context);
  await page.getByRole('button', { name: 'Español' }).click();
  assert.equal(await card(page, 'Análisis de sangre').locator('.take').textContent(), 'Take a number', 'English behind it');
  assert.equal(await page.textContent('#customer-title'), 'Saque su número', 'the rest in Spanish');
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('button', { name: 'Español' }).click();
  await page.getByRole('button', { name: 'English' }).click();
  await openConsole(page, origin);
  const notices = await page.locator('#notices li').allTextContents();
  const missing = notices.filter((n) => n.includes('customer.take'));
  assert.equal(missing.length, 1, notices.join('\n'));
  assert.match(missing[0], /i18n\/es\.json (lacks 1 text, shown in English|le falta 1 texto, que se muestra en inglés): customer\.take/);
});
