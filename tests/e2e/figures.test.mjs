// What the page works out from the day's tickets, in Debian's headless Chromium under
// Playwright's clock: the waiting-time estimate on the ticket, the card and the board, and the
// day's figures behind the staff lock, with the chart and the CSV download.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { pageSuite } from '../support/page-suite.mjs';
import { MIN, NINE, configWith, take, act, chooseCounter } from '../support/kiosk-page.mjs';
import { scan } from '../support/axe.mjs';
import { openConsole } from '../support/staff.mjs';

const suite = pageSuite();
const { newContext, open } = suite;
let origin, context;
beforeEach(() => ({ origin, context } = suite));

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
  assert.match(await kiosk.textContent('#announce-ticket'), /Your number is 106, Pharmacy, Standard queue\. 2 people ahead of you\. Your wait: about 9 minutes\./);
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
  await act(desk, 'blood-tests', 'recall'); // Blood tests asks two calls before a no-show
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
  // Each ticket's group (Blood tests asks, and the kiosk here answers with its first group,
  // priority; Reception has none), its time parked, and the departments of a transfer (none here).
  assert.equal(csv, '\uFEFFnumber,department,taken,called,counter,outcome,group,parked,from,to\r\n'
    + '1,Reception,2026-11-24 09:00:00,2026-11-24 10:10:00,,served,,0,,\r\n'
    + '2,Reception,2026-11-24 10:10:00,,,waiting,,0,,\r\n'
    + '3,Reception,2026-11-24 10:10:00,,,waiting,,0,,\r\n'
    + '200,Blood tests,2026-11-24 09:00:00,2026-11-24 09:04:00,1,served,priority,0,,\r\n'
    + '201,Blood tests,2026-11-24 09:00:00,2026-11-24 09:10:00,2,no-show,priority,0,,\r\n'
    + '202,Blood tests,2026-11-24 09:00:00,,,waiting,priority,0,,\r\n');

  // The figures are the shared record's: the same after a reload, and in another window.
  const other = await open(context, '#figures');
  await openConsole(other, origin);
  await other.goto(`${origin}/#figures`);
  assert.equal(await other.textContent('#figures-table'), await desk.textContent('#figures-table'));
});
