// The built kiosk (build/www/, `make site`) as an installable, offline-first app, in Debian's
// headless Chromium with real profiles on disk: installability, a reload, a new tab and a
// browser restart with the static server down, config.json going bad on the server, and a new
// build that waits for a quiet moment. Each test serves its own copy of the build with
// Python's static server, as `make serve` does, so it can change or stop it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, freePort, waitForHttp } from '../support/browser.mjs';
import { openConsole } from '../support/staff.mjs';
import { buildSite } from '../../scripts/build-site.mjs';

const built = fileURLToPath(new URL('../../build/www/', import.meta.url));
const www = fileURLToPath(new URL('../../www/', import.meta.url));
const scratch = await mkdtemp(join(tmpdir(), 'take-a-number-offline-'));
after(() => rm(scratch, { recursive: true, force: true }));

let count = 0;
const fresh = (name) => mkdtemp(join(scratch, `${name}-${++count}-`));

/** A copy of the build that a test may change, served by Python's static server. */
async function serveCopy() {
  const root = await fresh('site');
  await cp(built, root, { recursive: true });
  const port = await freePort();
  const server = {
    root,
    origin: `http://127.0.0.1:${port}`,
    child: null,
    async start() {
      this.child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', root], { stdio: 'ignore' });
      await waitForHttp(`${this.origin}/`);
    },
    async stop() {
      if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill();
      await exited;
    },
  };
  await server.start();
  return server;
}

/** Chromium on a profile folder that outlives the browser, as on a kiosk computer. */
async function launch(profile, { problems }) {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(), args: chromiumArgs, viewport: { width: 1280, height: 800 },
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  context.on('page', (page) => watch(page, problems));
  for (const page of context.pages()) watch(page, problems);
  return context;
}

function watch(page, problems) {
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
}

/** Opens the kiosk and waits until it can take tickets and the service worker controls it. */
async function open(page, origin, hash = '') {
  await page.goto(`${origin}/${hash}`);
  await ready(page);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  return page;
}

const ready = (page) => page.waitForSelector('body[data-ready="true"]');
const card = (page, name) => page.locator('.department-card', { has: page.getByRole('heading', { name, exact: true }) });
const take = async (page, name) => {
  const before = await page.textContent('#announce-ticket');
  await card(page, name).getByRole('button', { name: 'Take a number' }).click();
  // A department with queue groups asks which: the first.
  await page.evaluate(() => document.querySelector('#group-picker:not([hidden]) .group-choice')?.click());
  await page.waitForFunction((text) => document.getElementById('announce-ticket').textContent !== text, before);
  return page.textContent('#ticket-number');
};
const status = (page, name) => card(page, name).locator('.card-status').textContent();

/** Opens the staff console as staff do (a fresh profile sets its PIN up first). */
const unlock = (page, origin) => openConsole(page, origin);

test('Chromium can install the built kiosk: a valid manifest with real icons, a worker controlling the page', async () => {
  const server = await serveCopy();
  const problems = [];
  const context = await launch(await fresh('profile'), { problems });
  try {
    const page = await open(context.pages()[0], server.origin);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, []);
    const manifest = await cdp.send('Page.getAppManifest');
    assert.equal(manifest.url, `${server.origin}/manifest.webmanifest`);
    assert.deepEqual(manifest.errors, []);
    const data = JSON.parse(manifest.data);
    assert.equal(data.name, 'Take a number');
    assert.ok(['standalone', 'fullscreen'].includes(data.display));
    assert.match(data.theme_color, /^#[0-9a-f]{6}$/);
    const sizes = new Set();
    for (const icon of data.icons.filter((i) => i.type === 'image/png')) {
      const png = await readFile(join(server.root, icon.src));
      assert.equal(png.subarray(1, 4).toString(), 'PNG', `${icon.src} is a PNG`);
      const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
      assert.equal(`${width}x${height}`, icon.sizes, `${icon.src} is as large as the manifest says`);
      sizes.add(icon.sizes);
    }
    assert.ok(sizes.has('192x192') && sizes.has('512x512'), 'the icon sizes Chromium asks for');
    const worker = await page.evaluate(() => ({
      script: navigator.serviceWorker.controller.scriptURL,
      state: navigator.serviceWorker.controller.state,
    }));
    assert.deepEqual(worker, { script: `${server.origin}/sw.js`, state: 'activated' });
  } finally {
    await context.close();
    await server.stop();
  }
  assert.deepEqual(problems, []);
});

test('with the static server down, a reload, a new tab and a browser restart come back with the tickets', async () => {
  const server = await serveCopy();
  const profile = await fresh('profile');
  const problems = [];
  let context = await launch(profile, { problems });
  try {
    const page = await open(context.pages()[0], server.origin);
    assert.equal(await take(page, 'Reception'), '1');
    assert.equal(await take(page, 'Reception'), '2');
    await server.stop();

    await page.reload();
    await ready(page);
    assert.equal(await status(page, 'Reception'), '2 people waiting', 'a reload');
    assert.equal(await take(page, 'Reception'), '3', 'and it still hands out tickets');

    const tab = await context.newPage();
    await tab.goto(`${server.origin}/#board`);
    await ready(tab);
    const tile = tab.locator('.board-tile', { has: tab.getByRole('heading', { name: 'Reception', exact: true }) });
    assert.equal(await tile.locator('.board-waiting').textContent(), '3 people waiting', 'a new tab');
    await context.close();

    context = await launch(profile, { problems });
    const restarted = context.pages()[0];
    await restarted.goto(`${server.origin}/`);
    await ready(restarted);
    assert.equal(await status(restarted, 'Reception'), '3 people waiting', 'a browser restart');
    assert.equal(await take(restarted, 'Pharmacy'), '100');
    assert.equal(await restarted.textContent('#facility'), 'Riverside Health Centre', 'config.json came from the cache');
  } finally {
    await context.close();
    await server.stop();
  }
  assert.deepEqual(problems, []);
});

test('saved settings come back with the static server down: a reload and a browser restart run the latest version', async () => {
  const server = await serveCopy();
  const profile = await fresh('profile');
  const problems = [];
  let context = await launch(profile, { problems });
  try {
    const page = await open(context.pages()[0], server.origin);
    await unlock(page, server.origin);
    await page.goto(`${server.origin}/#settings`);
    await page.getByLabel('Facility name (English)').fill('Riverside Clinic');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForSelector('text=/Saved as version 1/');
    await page.getByRole('button', { name: 'Lock console' }).click();
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(() => document.getElementById('facility').textContent === 'Riverside Clinic');
    await server.stop();

    await page.reload();
    await ready(page);
    assert.equal(await page.textContent('#facility'), 'Riverside Clinic', 'a reload');
    await context.close();
    context = await launch(profile, { problems });
    const restarted = context.pages()[0];
    await restarted.goto(`${server.origin}/`);
    await ready(restarted);
    assert.equal(await restarted.textContent('#facility'), 'Riverside Clinic', 'a browser restart');
    assert.equal(await take(restarted, 'Pharmacy'), '100', 'and it hands out tickets');
  } finally {
    await context.close();
    await server.stop();
  }
  assert.deepEqual(problems, []);
});

test('a broken or missing config.json on the server never replaces the good one; a good new one applies when quiet', async () => {
  const server = await serveCopy();
  const problems = [];
  const context = await launch(await fresh('profile'), { problems });
  await context.clock.install();
  const good = JSON.parse(await readFile(join(server.root, 'config.json'), 'utf8'));
  try {
    const page = await open(context.pages()[0], server.origin);
    await take(page, 'Reception');
    const breakages = [
      ['not JSON', '{ "facility": "Half-saved', 'it is not valid JSON'],
      ['no departments', JSON.stringify({ ...good, departments: [] }), '"departments" must list at least one department'],
      ['missing', null, 'the server answered HTTP 404'],
    ];
    for (const [what, text, problem] of breakages) {
      if (text === null) await rm(join(server.root, 'config.json'));
      else await writeFile(join(server.root, 'config.json'), text);
      await page.goto(`${server.origin}/`); // from #staff: a full load, with config.json fetched
      await ready(page);
      assert.equal(await page.textContent('#facility'), 'Riverside Health Centre', what);
      assert.equal(await status(page, 'Reception'), '1 person waiting', what);
      await unlock(page, server.origin);
      const notice = `The server's config.json cannot be used (${problem}); the kiosk keeps the last good one.`;
      await page.waitForFunction((text) => [...document.querySelectorAll('#notices li')].some((li) => li.textContent.endsWith(text)), notice);
    }

    // A good new config.json: cached in the background, applied by a reload once the kiosk is quiet.
    await writeFile(join(server.root, 'config.json'), JSON.stringify({ ...good, facility: 'Hillside Clinic' }));
    await page.goto(`${server.origin}/`);
    await ready(page);
    await page.evaluate(() => { window.startedBeforeTheNewConfig = true; });
    assert.equal(await page.textContent('#facility'), 'Riverside Health Centre', 'this start used the cached one');
    await page.waitForFunction(async () => (await (await caches.match('config.json'))?.json())?.facility === 'Hillside Clinic');
    await page.mouse.click(5, 300); // someone touches the screen: no reload for a while
    await context.clock.fastForward(30_000);
    assert.equal(await page.evaluate(() => window.startedBeforeTheNewConfig), true, 'not reloaded while in use');
    assert.equal(await page.textContent('#facility'), 'Riverside Health Centre');
    const reloaded = page.waitForEvent('load');
    await context.clock.fastForward(31_000);
    await reloaded;
    await ready(page);
    assert.equal(await page.textContent('#facility'), 'Hillside Clinic');
    assert.equal(await status(page, 'Reception'), '1 person waiting');
  } finally {
    await context.close();
    await server.stop();
  }
  assert.deepEqual(problems, []);
});

// What a page knew when first.js said it was usable. Recorded from the start of every page:
// whether the page came with the cards (at the end of parsing, before any script of the page
// ran), whether early.js had shown anything yet (it replaces the language switch), and whether
// first.js showed the customer view (when the page's scripts have run, DOMContentLoaded). With
// ?tap, in that very moment, an impatient customer picks Español, then taps Pharmacy and
// Reception.
function firstMoments() {
  let firstSwitch = null;
  document.addEventListener('readystatechange', () => {
    if (document.readyState !== 'interactive') return;
    firstSwitch = document.querySelector('#language-switch button');
    window.cardsInPage = document.querySelectorAll('[data-card]').length;
  });
  document.addEventListener('DOMContentLoaded', () => {
    window.customerShownEarly = !document.getElementById('view-customer').hidden;
  });
  new MutationObserver((_, observer) => {
    if (document.body?.dataset.usable !== 'true') return;
    observer.disconnect();
    window.usableBeforeEarly = firstSwitch !== null && document.querySelector('#language-switch button') === firstSwitch;
    if (!location.search.includes('tap')) return;
    document.querySelector('button[data-language="es"]').click();
    for (const id of ['pharmacy', 'reception']) document.querySelector(`button[data-department="${id}"]`).click();
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-usable'] });
}
const servedPage = (page) => page.evaluate(() => fetch('index.html').then((r) => r.text()));

test('a start from the cache comes with the customer\'s first screen: a tap at once gets one ticket; a new config.json its own', async () => {
  const server = await serveCopy();
  const profile = await fresh('profile');
  const problems = [];
  let context = await launch(profile, { problems });
  try {
    const page = await open(context.pages()[0], server.origin);
    await page.waitForFunction(async () => (await (await fetch('index.html')).text()).includes('data-card="pharmacy"'));
    await context.close();

    context = await launch(profile, { problems });
    await context.addInitScript(firstMoments);
    const restarted = context.pages()[0];
    await restarted.goto(`${server.origin}/?tap`);
    await ready(restarted);
    assert.equal(await restarted.evaluate(() => window.cardsInPage), 3, 'the page came with its cards');
    assert.equal(await restarted.evaluate(() => window.usableBeforeEarly), true, 'usable before early.js showed anything');
    assert.equal(await restarted.evaluate(() => window.customerShownEarly), true);
    // Pharmacy asks which queue (config.json groups): the kept tap is answered by the question.
    await restarted.click('#group-picker .group-choice[data-group="standard"]');
    await restarted.waitForSelector('#ticket:not([hidden])');
    assert.equal(await restarted.textContent('#ticket-number'), '100');
    assert.equal(await restarted.getAttribute('html', 'lang'), 'es', 'the language picked in that moment');
    assert.equal(await status(restarted, 'Farmacia'), '1 persona esperando', 'the first tap\'s ticket');
    assert.equal(await status(restarted, 'Recepción'), '0 personas esperando', 'and only that one');
    assert.equal(await restarted.getAttribute('button[data-department="pharmacy"]', 'aria-busy'), null);
    assert.match(await servedPage(restarted), /<html lang="en">[\s\S]*>Pharmacy<\/h3>/, 'the kept screen stays in the facility\'s language');

    // A new config.json on the server (Reception gone, Pharmacy renamed), kept by the worker in
    // the background: the next start must not come with the old cards, and then gets new ones.
    const good = JSON.parse(await readFile(join(server.root, 'config.json'), 'utf8'));
    const renamed = good.departments.slice(1).map((d) => (d.id === 'pharmacy' ? { ...d, name: { ...d.name, en: 'Chemist' } } : d));
    await writeFile(join(server.root, 'config.json'), JSON.stringify({ ...good, departments: renamed }));
    await restarted.evaluate(() => fetch('config.json'));
    await restarted.waitForFunction(async () => (await (await caches.match('config.json'))?.json())?.departments.length === 2);
    assert.match(await servedPage(restarted), /<div id="departments" class="department-grid"><\/div>/, 'no cards for a config.json the worker no longer holds');
    const next = await context.newPage();
    await next.goto(`${server.origin}/`);
    await ready(next);
    assert.equal(await next.evaluate(() => window.cardsInPage), 0);
    assert.deepEqual(await next.locator('.department-card h3').allTextContents(), ['Chemist', 'Blood tests']);
    await next.waitForFunction(async () => (await (await fetch('index.html')).text()).includes('>Chemist</h3>'));
    const served = await servedPage(next);
    assert.doesNotMatch(served, /Reception|Pharmacy/);
    const board = await context.newPage();
    await board.goto(`${server.origin}/#board`);
    await ready(board);
    assert.equal(await board.evaluate(() => window.cardsInPage), 2, 'the new cards, from the next start on');
    assert.equal(await board.evaluate(() => window.customerShownEarly), false, 'a board keeps to its own view');
  } finally {
    await context.close();
    await server.stop();
  }
  assert.deepEqual(problems, []);
});

test('a new build installs in the background and takes over only when no ticket is on screen and staff are done', async () => {
  const server = await serveCopy();
  // A ticket stays on screen longer than the update's quiet minute, so that the ticket itself
  // must hold the update back (by default the screen returns to the start after 20 s).
  const longTickets = async (root) => {
    const config = JSON.parse(await readFile(join(root, 'config.json'), 'utf8'));
    await writeFile(join(root, 'config.json'), JSON.stringify({ ...config, ticketSeconds: 600 }));
  };
  await longTickets(server.root);
  // The next release: the same page with one change, built as `make site` builds it.
  const source = await fresh('www');
  await cp(www, source, { recursive: true });
  await appendFile(join(source, 'js/main.js'), '\nglobalThis.kioskRelease = 2;\n');
  await longTickets(source);
  const next = await buildSite({ from: source, to: await fresh('next') });

  const problems = [];
  const context = await launch(await fresh('profile'), { problems });
  await context.clock.install();
  try {
    const page = await open(context.pages()[0], server.origin);
    const firstBuild = await page.evaluate(() => caches.keys());
    assert.equal(await take(page, 'Reception'), '1'); // a customer is reading their ticket
    await page.evaluate(() => { window.startedAsRelease1 = true; });

    await rm(server.root, { recursive: true });
    await cp(next.to, server.root, { recursive: true });
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    await page.waitForFunction(async () => (await navigator.serviceWorker.getRegistration()).waiting !== null);

    await context.clock.fastForward(90_000); // a quiet minute and more: only the ticket holds the update back
    assert.equal(await page.evaluate(() => window.startedAsRelease1), true, 'the ticket stays on screen');
    assert.equal(await page.isVisible('#ticket'), true);

    await unlock(page, server.origin); // staff at the console: busy, however quiet it gets
    await context.clock.fastForward(70_000);
    assert.equal(await page.evaluate(() => window.startedAsRelease1), true, 'the unlocked console is not interrupted');
    assert.equal(await page.isVisible('#console'), true);

    await page.getByRole('button', { name: 'Lock console' }).click();
    await context.clock.fastForward(30_000);
    assert.equal(await page.evaluate(() => window.startedAsRelease1), true, 'staff just left: not yet');
    const reloaded = page.waitForEvent('load');
    await context.clock.fastForward(31_000);
    await reloaded;
    await ready(page);
    assert.equal(await page.evaluate(() => window.kioskRelease), 2, 'the page runs the new build');
    assert.equal(await page.evaluate(() => window.startedAsRelease1), undefined);
    await page.goto(`${server.origin}/#customer`);
    assert.equal(await status(page, 'Reception'), '1 person waiting', 'the queue survived the update');
    const caches = await page.evaluate(() => caches.keys());
    const builds = (names) => names.filter((name) => name.includes('/build/'));
    assert.equal(builds(caches).length, 1, 'the old build\'s cache is gone');
    assert.notDeepEqual(builds(caches), builds(firstBuild));
    assert.ok(builds(caches)[0].endsWith(next.version), 'the cache is named after the new build');
  } finally {
    await context.close();
    await server.stop();
  }
  assert.deepEqual(problems, []);
});

test('a half-copied deploy is not cached: its worker fails to install until every file is the build\'s', async () => {
  const server = await serveCopy();
  const source = await fresh('www');
  await cp(www, source, { recursive: true });
  await appendFile(join(source, 'js/main.js'), '\nglobalThis.kioskRelease = 2;\n');
  const next = await buildSite({ from: source, to: await fresh('next') });

  const problems = [];
  const context = await launch(await fresh('profile'), { problems });
  try {
    const page = await open(context.pages()[0], server.origin);
    const before = await page.evaluate(() => caches.keys());
    // The new worker and assets are there, the pages (index.html, follow.html) are still the
    // old ones. (The follow page's script differs too: a build from outside the repository reads
    // nats-core's CommonJS in another interop mode, having no package.json of type module above it.)
    await cp(join(next.to, 'assets'), join(server.root, 'assets'), { recursive: true });
    await cp(join(next.to, 'sw.js'), join(server.root, 'sw.js'));
    const settled = () => page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration.update().catch(() => {});
      while (registration.installing) await new Promise((resolve) => setTimeout(resolve, 50));
      return { waiting: registration.waiting !== null, caches: await caches.keys() };
    });
    assert.deepEqual(await settled(), { waiting: false, caches: before }, 'nothing installed, no half-filled cache left');
    await page.reload();
    await ready(page);
    assert.equal(await page.evaluate(() => window.kioskRelease), undefined, 'the kiosk runs the old build, whole');

    for (const page of ['follow.html', 'index.html']) await cp(join(next.to, page), join(server.root, page));
    assert.equal((await settled()).waiting, true, 'complete now: the new build installs');
  } finally {
    await context.close();
    await server.stop();
  }
  const failedInstalls = problems.filter((p) => /index\.html is not the file of build/.test(p));
  assert.deepEqual(problems.filter((p) => !failedInstalls.includes(p)), []);
});

test('www/ served as it is (development) registers no service worker', async () => {
  const port = await freePort();
  const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', www], { stdio: 'ignore' });
  const problems = [];
  const context = await launch(await fresh('profile'), { problems });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`);
    const page = context.pages()[0];
    await page.goto(`http://127.0.0.1:${port}/`);
    await ready(page);
    await page.waitForLoadState('load');
    assert.deepEqual(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length), 0);
  } finally {
    await context.close();
    child.kill();
  }
  assert.deepEqual(problems, []);
});
