// The ticket in the customer's hand, end to end: the kiosk of a facility with a hub (the site
// built as `make site` builds it, a real nats-server with the shipped configuration, the device
// set up with the kiosk's account) shows each ticket's QR code on screen and prints it on the
// receipt; a camera reading either one (jsQR on a screenshot, or on the PDF Chromium prints, as
// poppler renders it) gets the follow address of that very ticket; a phone that opens it follows
// the ticket as the hub's devices (the kiosk's page, a counter in Node) take and serve, through
// the summaries they publish and the shipped visitor account. Without a hub a ticket says
// nothing about phones.
import { test as nodeTest, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, devices } from 'playwright-core';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { chromiumArgs, chromiumPath, freePort } from '../support/browser.mjs';
import { instrument, watchProblems, takeIn } from '../support/kiosk-page.mjs';
import { startHub, connectAs, USERS, RELEASE, declared } from '../support/nats.mjs';
import { until } from '../support/wait.mjs';
import { serveBuiltSite } from '../support/site.mjs';
import { parseFollow } from '../../www/js/follow/address.js';
import { kioskRecord } from '../../www/js/model/ticket-record.js';
import { Machine } from '../../pkg/node.js';
import { Hub } from '../../js/hub/hub.js';

const test = (name, fn) => nodeTest(name, { timeout: 120_000 }, fn);
const scratch = await mkdtemp(join(tmpdir(), 'take-a-number-ticket-follow-'));
const viewport = { width: 1280, height: 800 };

let browser;
let hub;
let port;
let problems;
let caused; // console errors a test causes on purpose (a hub it stops)
let contexts;
const sites = [];

/** The site with config.json changed by `change`, for the hub (or, `withHub` false, none), on the hub's origin's port. */
async function serveSite(change, { withHub = true } = {}) {
  const site = await serveBuiltSite({
    to: await mkdtemp(join(scratch, 'site-')), port, change,
    hub: withHub ? [`ws://127.0.0.1:${hub.node.wsPort}`] : undefined,
  });
  sites.push(site);
  return site;
}

before(async () => {
  port = await freePort();
  hub = await startHub({ origin: `http://127.0.0.1:${port}` });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  await hub?.close();
  await rm(scratch, { recursive: true, force: true });
});

beforeEach(() => {
  problems = [];
  // A page closing its WebSocket to nats-server 2.9 makes Chromium log a "broken close frame".
  caused = [/broken close frame/];
  contexts = [];
});

afterEach(async () => {
  await Promise.all(contexts.map((ctx) => ctx.close()));
  for (const site of sites.splice(0)) site.close();
  const unexpected = problems.filter((p) => !caused.some((pattern) => pattern.test(p)));
  assert.deepEqual(unexpected, [], 'no console errors, page errors or CSP violations');
});

/** The kiosk device: set up with the hub's kiosk account when `login`, then at its customer view. */
async function kiosk(site, { login = true } = {}) {
  const ctx = await browser.newContext({ viewport, reducedMotion: 'reduce' });
  contexts.push(ctx);
  await ctx.addInitScript(instrument);
  const page = await ctx.newPage();
  watchProblems(page, problems);
  if (login) {
    await page.goto(`${site.origin}/#hub-setup`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#hub-setup-user', USERS.kiosk.user);
    await page.fill('#hub-setup-pass', USERS.kiosk.pass);
    await Promise.all([page.waitForEvent('load'), page.click('#hub-setup-form button[type="submit"]')]);
  }
  await page.goto(`${site.origin}/#customer`);
  await page.waitForSelector('body[data-ready="true"]');
  if (login) await page.waitForSelector('body[data-hub="online"]');
  return page;
}

/** What a camera reads from a PNG: the text of the QR code in it, or null. */
function decode(png) {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? null;
}

/** The ticket on screen: its number, and the follow address its code holds (null: no code). */
async function ticketOnScreen(page) {
  const number = Number(await page.locator('#ticket-number').textContent());
  const code = page.locator('#ticket-qr svg');
  if (!(await page.locator('#ticket-qr').isVisible())) return { number, address: null };
  return { number, address: decode(await code.screenshot()) };
}

/** The receipt as Chromium prints it: its text, and the address a camera reads from the paper. */
async function receiptOf(page, name) {
  const file = join(scratch, `${name}.pdf`);
  await page.pdf({ path: file, preferCSSPageSize: true });
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  execFileSync('pdftoppm', ['-png', '-r', '200', '-f', '1', '-l', '1', '-singlefile', file, join(scratch, name)]);
  return { text, address: decode(await readFile(join(scratch, `${name}.png`))) };
}

test('with a hub and following on, the ticket on screen and on paper carries the code of that very ticket', async () => {
  const site = await serveSite((config) => { config.follow = {}; });
  await hub.configure(site.config.departments);
  const page = await kiosk(site);

  await takeIn(page, 'pharmacy');
  const first = await ticketOnScreen(page);
  assert.ok(first.address, 'the screen shows a code a camera reads');
  const { ticket } = parseFollow(new URL(first.address).hash);
  assert.ok(first.address.startsWith(`${site.origin}/follow.html#`), `the code leads to the site's follow page: ${first.address}`);
  assert.equal(ticket.department, 'pharmacy');
  assert.equal(ticket.number, first.number);
  assert.equal(ticket.language, 'en');
  // The ticket is named as the hub's record names it: its take time there, not the kiosk's clock.
  assert.ok(Number.isSafeInteger(ticket.taken) && Math.abs(ticket.taken - Date.now()) < 60_000, `a take time of now: ${ticket.taken}`);
  assert.match(await page.locator('#ticket-follow').textContent(), /phone/);

  const paper = await receiptOf(page, 'receipt-en');
  assert.equal(paper.address, first.address, 'the printed code reads as the one on screen');
  assert.match(paper.text, /Scan to follow your turn on your phone/);

  // Another ticket, in Spanish: its own code, and the phone page in the customer's language.
  await page.click('#language-switch button:has-text("Español")');
  await takeIn(page, 'pharmacy');
  const second = await ticketOnScreen(page);
  const other = parseFollow(new URL(second.address).hash).ticket;
  assert.equal(other.number, first.number + 1);
  assert.equal(other.language, 'es');
  assert.ok(other.taken >= ticket.taken);
  assert.match(await page.locator('#ticket-follow').textContent(), /móvil/);
});

test('without a hub, or with following left out, a ticket carries no code and says nothing about phones', async () => {
  // One browser: config.json offers following, but nothing outside this browser could follow.
  const alone = await serveSite((config) => { config.follow = {}; }, { withHub: false });
  let page = await kiosk(alone, { login: false });
  await takeIn(page, 'pharmacy');
  assert.equal((await ticketOnScreen(page)).address, null);
  assert.doesNotMatch(await page.locator('#ticket').innerText(), /phone/i);
  assert.doesNotMatch((await receiptOf(page, 'receipt-alone')).text, /phone/i);
  await page.context().close();
  sites.splice(0).forEach((site) => site.close());

  // A hub, but the facility has not opened it to phones.
  const closed = await serveSite(() => {});
  await hub.configure(closed.config.departments);
  page = await kiosk(closed);
  await takeIn(page, 'pharmacy');
  assert.equal((await ticketOnScreen(page)).address, null);
  assert.doesNotMatch(await page.locator('#ticket').innerText(), /phone/i);
});

test('follow settings that cannot be used leave tickets without a code, and tell staff why', async () => {
  const site = await serveSite((config) => { config.follow = { page: 'ftp://queue.example/' }; });
  await hub.configure(site.config.departments);
  const page = await kiosk(site);
  await takeIn(page, 'pharmacy');
  assert.equal((await ticketOnScreen(page)).address, null, 'no code that leads nowhere');
  assert.match(await page.locator('#ticket-number').textContent(), /^\d+$/, 'the ticket itself is there');
  const notices = await page.evaluate(() => [...document.querySelectorAll('#notices li')].map((li) => li.textContent));
  assert.ok(notices.some((text) => /follow\.page/.test(text)), `a staff notice names the field: ${notices.join(' | ')}`);
});

/** A counter's device in Node: staff's hub account, the kiosk's record (whose summaries phones read). */
async function counter(site, id) {
  const connection = await connectAs('staff', hub.servers);
  const device = new Hub({ connection, Machine, rules: RELEASE });
  const dept = site.config.departments.find((d) => d.id === id);
  // As the page declares it: its range, idle timeout and queue rules.
  const machine = device.machine({ name: id, ...declared(dept), record: kioskRecord({ timeZone: site.config.timeZone }) });
  await machine.ready;
  return {
    serve: (at) => machine.serveNextQueuedNumber(undefined, { counter: at }),
    async close() {
      device.close();
      await connection.close();
    },
  };
}

/** What the phone page shows (follow-view.js marks its state on <body>). */
const phoneShows = (page) => page.evaluate(() => ({
  status: document.body.dataset.status,
  ahead: document.body.dataset.ahead,
  position: document.getElementById('position').textContent,
  call: document.getElementById('call').hidden ? null : document.getElementById('call').textContent,
}));

test('the code on the ticket leads a phone to that ticket, which it follows as the counters call, to its end', async () => {
  const site = await serveSite((config) => { config.follow = { alertAhead: 1 }; });
  await hub.configure(site.config.departments);
  const page = await kiosk(site);
  const desk = await counter(site, 'blood-tests');
  try {
    for (let i = 0; i < 2; i++) await takeIn(page, 'blood-tests');
    await page.click('#language-switch button:has-text("Español")');
    await takeIn(page, 'blood-tests');
    const mine = await ticketOnScreen(page);

    const ctx = await browser.newContext({ ...devices['Pixel 7'] });
    contexts.push(ctx);
    await ctx.addInitScript(() => {
      window.__vibrations = 0;
      navigator.vibrate = () => { window.__vibrations += 1; return true; };
    });
    const phone = await ctx.newPage();
    watchProblems(phone, problems);
    await phone.goto(mine.address);
    await until(async () => (await phoneShows(phone)).ahead === '2', 'the phone finds its ticket two places back', 15_000);
    assert.equal(await phone.locator('#number').textContent(), String(mine.number));
    assert.equal(await phone.evaluate(() => document.documentElement.lang), 'es', 'in the language the customer picked');
    await phone.tap('#alerts-button');

    await desk.serve('1');
    await until(async () => (await phoneShows(phone)).ahead === '1', 'one ahead once the first is called', 10_000);
    await until(() => phone.evaluate(() => window.__vibrations === 1), 'the alert at one ahead', 10_000);
    await desk.serve('1');
    await until(async () => (await phoneShows(phone)).ahead === '0', 'next', 10_000);
    const called = Date.now();
    assert.equal(await desk.serve('2'), mine.number);
    await until(async () => (await phoneShows(phone)).status === 'called', 'called', 10_000);
    console.log(`# figures: ${JSON.stringify({ callToPhoneMs: Date.now() - called })}`);
    assert.match((await phoneShows(phone)).call, /2/, 'with the counter');
    await until(() => phone.evaluate(() => window.__vibrations === 2), 'the alert at the call', 10_000);

    // Counter 2 calls the next customer: this ticket has been served.
    await takeIn(page, 'blood-tests');
    await desk.serve('2');
    await until(async () => (await phoneShows(phone)).status === 'served', 'served', 10_000);
  } finally {
    await desk.close();
  }
});

test('the hub restarts while a phone follows: the phone says it lost the hub, comes back by itself, and shows its call', async () => {
  const site = await serveSite((config) => { config.follow = {}; });
  await hub.configure(site.config.departments);
  const page = await kiosk(site);
  const desk = await counter(site, 'blood-tests');
  try {
    await takeIn(page, 'blood-tests');
    await takeIn(page, 'blood-tests');
    const mine = await ticketOnScreen(page);
    const ctx = await browser.newContext({ ...devices['Pixel 7'] });
    contexts.push(ctx);
    const phone = await ctx.newPage();
    watchProblems(phone, problems);
    await phone.goto(mine.address);
    await until(async () => (await phoneShows(phone)).ahead === '1', 'one ahead', 15_000);

    // Every page retries while the hub is down, and Chromium logs each refused connection.
    caused.push(/WebSocket connection to .* failed/);
    await hub.node.stop();
    await until(() => phone.evaluate(() => document.body.dataset.connection === 'reconnecting'), 'the page says it lost the hub', 15_000);
    await hub.node.start();
    // The counter calls as soon as it can: the phone may be back by then, or not yet (then it
    // missed the summaries and reads the last one when it is).
    await until(async () => { try { await desk.serve('1'); return true; } catch { return false; } }, 'the counter calls again', 30_000);
    assert.equal(await desk.serve('3'), mine.number);
    await until(async () => (await phoneShows(phone)).status === 'called', 'called, once back', 30_000);
    assert.match((await phoneShows(phone)).call, /3/, 'with its counter');
    assert.equal(await phone.evaluate(() => document.body.dataset.connection), 'live');
  } finally {
    await desk.close();
  }
});
