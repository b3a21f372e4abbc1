// Start-up end to end, in Debian's headless Chromium: taps on the first screen before the page
// has started (answered once, on the configuration it runs with, even one replaced since the
// first screen was kept), and a page that cannot start (a bad configuration, a broken language
// file, main.js or the wasm not delivered) or cannot load its later views.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { pageSuite } from '../support/page-suite.mjs';
import { watchProblems, configWith, takeIn } from '../support/kiosk-page.mjs';
import { buildMetaTag, withFirstScreen } from '../../www/js/boot/kept-screen.js';

const suite = pageSuite();
const { newContext } = suite;
let origin, problems;
beforeEach(() => ({ origin, problems } = suite));

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
    // Pharmacy asks which queue first (config.json groups): the kept tap is answered by the question.
    await page.click('#group-picker .group-choice[data-group="standard"]');
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
    await page.click('#group-picker .group-choice[data-group="standard"]'); // Pharmacy's groups: the kept tap asks which
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
