// The follow page on phones, end to end: the site built as `make site` builds it, with a hub and
// following on in its config.json, served by Python's static server; a real nats-server with the
// shipped hub configuration; emulated phones (Playwright's Pixel 7 and iPhone 13: their
// viewports, touch and mobile layout, in Chromium). The phone opens the address decoded from a
// screenshot of the QR code that qr.js draws, as a camera would read it, and signs in as the
// public visitor. The department's public summaries are written to the shipped hub's bucket as
// the hub's devices write them (the contract in docs/follow.md), one per change, so that the test
// decides every step.
import { test as nodeTest, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, devices } from 'playwright-core';
import * as esbuild from 'esbuild';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { Kvm } from '@nats-io/kv';
import { chromiumArgs, chromiumPath, freePort } from '../support/browser.mjs';
import { watchProblems } from '../support/kiosk-page.mjs';
import { startHub, connectAs } from '../support/nats.mjs';
import { until } from '../support/wait.mjs';
import { serveBuiltSite } from '../support/site.mjs';
import { followAddress } from '../../www/js/follow/address.js';

const test = (name, fn) => nodeTest(name, { timeout: 120_000 }, fn);
const scratch = await mkdtemp(join(tmpdir(), 'take-a-number-follow-'));
const docs = fileURLToPath(new URL('../../docs/', import.meta.url));
const MIN = 60_000;
const DEPT = 'blood-tests';

let browser;
let site;
let hub;
let admin;
let bucket;
let seq;
let problems;
let contexts;

before(async () => {
  const port = await freePort();
  // The shipped hub, provisioned as `make hub` does: the bucket tan-public and the visitor.
  hub = await startHub({ origin: `http://127.0.0.1:${port}` });
  site = await serveBuiltSite({
    to: join(scratch, 'site'), port, hub: [`ws://127.0.0.1:${hub.node.wsPort}`],
    change: (config) => { config.follow = { alertAhead: 2 }; },
  });
  admin = await connectAs('admin', hub.servers);
  bucket = await new Kvm(admin).open('tan-public');
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  site?.close();
  await admin?.close();
  await hub?.close();
  if (!process.env.KEEP) await rm(scratch, { recursive: true, force: true });
});

beforeEach(async () => {
  problems = [];
  contexts = [];
  seq = 100;
  await bucket.purge(DEPT).catch(() => {});
});

afterEach(async () => {
  await Promise.all(contexts.map((ctx) => ctx.close()));
  // A page that is done with its ticket closes its connection; nats-server (2.9) answers with a
  // close frame Chromium finds broken and logs as an error, nothing the page could catch.
  const unexpected = problems.filter((p) => !/WebSocket connection to .* failed: Received a broken close frame/.test(p));
  assert.deepEqual(unexpected, [], 'no console errors, page errors or CSP violations');
});

/** What a phone's alerts did, instead of doing it: vibrations, notifications, tones. */
function spyOnAlerts() {
  const alerts = { vibrations: [], notifications: [], tones: 0 };
  window.__alerts = alerts;
  navigator.vibrate = (pattern) => {
    alerts.vibrations.push(pattern);
    return true;
  };
  const Real = window.Notification;
  const Spy = function Notification(title, options) {
    alerts.notifications.push({ title, body: options?.body });
    return new Real(title, options);
  };
  Object.defineProperty(Spy, 'permission', { get: () => Real.permission });
  Spy.requestPermission = (...args) => Real.requestPermission(...args);
  window.Notification = Spy;
  const create = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function createOscillator() {
    const oscillator = create.call(this);
    const start = oscillator.start.bind(oscillator);
    oscillator.start = (...args) => {
      alerts.tones += 1;
      return start(...args);
    };
    return oscillator;
  };
  document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
}

async function phone(descriptor, { deviceScaleFactor } = {}) {
  const ctx = await browser.newContext({
    ...devices[descriptor], ...(deviceScaleFactor ? { deviceScaleFactor } : {}), permissions: ['notifications'],
  });
  contexts.push(ctx);
  await ctx.addInitScript(spyOnAlerts);
  const page = await ctx.newPage();
  watchProblems(page, problems);
  if (process.env.DEBUG) page.on('console', (m) => console.log(`phone ${m.type()}: ${m.text()}`));
  return page;
}

/** qr.js, bundled for a plain page: the code is drawn by the module the kiosk uses. */
const qrScript = (await esbuild.build({
  entryPoints: [fileURLToPath(new URL('../../www/js/follow/qr.js', import.meta.url))],
  bundle: true, format: 'iife', globalName: 'qr', write: false, minify: true,
})).outputFiles[0].text;

/** The address a phone's camera reads from the code qr.js draws for `address`. */
async function scan(address) {
  const ctx = await browser.newContext({ viewport: { width: 400, height: 400 } });
  contexts.push(ctx);
  const page = await ctx.newPage();
  await page.setContent('<!doctype html><body></body>');
  await page.addScriptTag({ content: qrScript });
  await page.evaluate((text) => {
    const svg = window.qr.qrSvg(document, text);
    svg.setAttribute('width', '300');
    svg.setAttribute('height', '300');
    svg.id = 'code';
    document.body.append(svg);
  }, address);
  const png = PNG.sync.read(await page.locator('#code').screenshot());
  const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  assert.ok(found, 'the drawn code decodes');
  return found.data;
}

/** A ticket of blood tests taken `minutesAgo` before now. */
const ticketAt = (number, minutesAgo) => ({ number, taken: Date.now() - minutesAgo * MIN });

/** Publishes the department's next summary, as a hub device would after an operation. */
async function publish(fields) {
  seq += 1;
  const now = Date.now();
  const summary = {
    v: 1, department: DEPT, seq, at: now, dayStart: now - 8 * 60 * MIN, asleep: false,
    nowServing: null, counters: {}, waiting: [], ended: [], cleared: { reset: null, closed: null },
    pace: { interval: 4 * MIN, lastCall: now }, ...fields,
  };
  await bucket.put(DEPT, JSON.stringify(summary));
  return summary;
}

/** The queue of `numbers`, each taken a minute after the one before, ending with `mine`. */
const queueWith = (before, mine) => [...before.map((n, i) => [n, mine.taken - (before.length - i) * MIN]), [mine.number, mine.taken]];

const shown = (page) => page.evaluate(() => ({
  status: document.body.dataset.status,
  ahead: document.body.dataset.ahead,
  connection: document.body.dataset.connection,
  position: document.getElementById('position').textContent,
  estimate: document.getElementById('estimate').textContent,
  nowServing: document.getElementById('now-serving').textContent,
  call: document.getElementById('call').hidden ? null : document.getElementById('call').textContent,
}));
const alertsOf = (page) => page.evaluate(() => window.__alerts);

async function waitFor(page, check, what) {
  await until(async () => check(await shown(page)), what, 10_000);
}

test('a Pixel follows its ticket from the scanned code: live position, the alert near the front and at the call, then served', async () => {
  const mine = ticketAt(205, 10);
  const address = followAddress({ base: `${site.origin}/`, department: DEPT, ...mine, language: 'en' });
  const scanned = await scan(address);
  assert.equal(scanned, address, 'the code holds the follow address');

  const page = await phone('Pixel 7');
  await page.goto(scanned);
  // No summary yet: the page says it waits for news, connected.
  await waitFor(page, (s) => s.status === 'unknown' && s.connection === 'live', 'waiting for news, live');
  assert.equal(await page.locator('#number').textContent(), '205');
  assert.equal(await page.locator('#department').textContent(), 'Blood tests');
  assert.equal(await page.locator('#facility').textContent(), 'Riverside Health Centre');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.match(await page.locator('#keep-open').textContent(), /Keep this page open/);

  await page.tap('#alerts-button');
  await until(() => page.evaluate(() => document.body.dataset.alerts === 'on'), 'alerts on');
  assert.equal(await page.locator('#alerts-text').textContent(), 'Alerts are on.');
  const tonesOfTheTry = (await alertsOf(page)).tones;

  await publish({ nowServing: 200, counters: { 1: 200 }, waiting: queueWith([201, 202, 203, 204], mine) });
  await waitFor(page, (s) => s.ahead === '4', 'four ahead');
  let s = await shown(page);
  assert.equal(s.position, '4 people ahead of you');
  assert.equal(s.estimate, 'Estimated wait: about 20 minutes');
  assert.equal(s.nowServing, 'Now serving: 200');
  // Others are served: the position follows.
  await publish({ nowServing: 201, counters: { 1: 201 }, waiting: queueWith([202, 203, 204], mine) });
  await waitFor(page, (x) => x.ahead === '3', 'three ahead');
  assert.deepEqual(await alertsOf(page).then((a) => a.vibrations), [], 'no alert while further back than alertAhead');
  await publish({ nowServing: 202, counters: { 1: 202 }, waiting: queueWith([203, 204], mine) });
  await waitFor(page, (x) => x.ahead === '2', 'two ahead');
  await until(async () => (await alertsOf(page)).vibrations.length === 1, 'the near alert');
  let alerts = await alertsOf(page);
  assert.deepEqual(alerts.notifications, [{ title: 'Almost your turn: 205', body: '2 people ahead of you at Blood tests.' }]);
  assert.ok(alerts.tones > tonesOfTheTry, 'a beep');
  // Closer still: no second near alert.
  await publish({ nowServing: 203, counters: { 1: 203 }, waiting: queueWith([204], mine) });
  await waitFor(page, (x) => x.ahead === '1', 'one ahead');
  await publish({ nowServing: 204, counters: { 1: 204 }, waiting: queueWith([], mine) });
  await waitFor(page, (x) => x.ahead === '0' && x.position === 'You are next', 'next');
  assert.equal((await alertsOf(page)).vibrations.length, 1, 'the near alert is given once');

  // Called at counter 2.
  const called = [205, mine.taken, 'served', '2', Date.now()];
  await publish({ nowServing: 205, counters: { 1: 204, 2: 205 }, ended: [called] });
  await waitFor(page, (x) => x.status === 'called', 'called');
  s = await shown(page);
  assert.equal(s.call, 'It is your turn: please go to counter 2.');
  await until(async () => (await alertsOf(page)).vibrations.length === 2, 'the call alert');
  alerts = await alertsOf(page);
  assert.deepEqual(alerts.notifications.at(-1), { title: 'Your turn: 205', body: 'It is your turn: please go to counter 2.' });
  // A summary that comes late (an older seq, republished out of order) changes nothing.
  const late = { v: 1, department: DEPT, seq: seq - 1, at: Date.now(), dayStart: 0, asleep: false, nowServing: 204,
    counters: {}, waiting: [[205, mine.taken]], ended: [], cleared: { reset: null, closed: null }, pace: null };
  admin.publish(`tan.public.${DEPT}`, JSON.stringify(late));
  await admin.flush();
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal((await shown(page)).status, 'called', 'an older summary is ignored');

  // Counter 2 calls the next one: served, and the page lets the hub go.
  await publish({ nowServing: 206, counters: { 1: 204, 2: 206 }, ended: [called, [206, mine.taken + 1, 'served', '2', Date.now()]] });
  await waitFor(page, (x) => x.status === 'served' && x.connection === 'ended', 'served');
  s = await shown(page);
  assert.equal(s.position, 'Your number has been called and served. Thank you!');
  assert.equal(s.call, null);
  assert.equal(await page.locator('#alerts').isHidden(), true, 'no alerts to offer once it is over');
  assert.equal((await alertsOf(page)).vibrations.length, 2, 'nothing more after the call');
});

test('an iPhone in Spanish: the page in the language picked at the kiosk, then a no-show', async () => {
  const mine = ticketAt(207, 5);
  const page = await phone('iPhone 13');
  await publish({ nowServing: 204, counters: { 1: 204 }, waiting: queueWith([205, 206], mine) });
  await page.goto(await scan(followAddress({ base: `${site.origin}/index.html`, department: DEPT, ...mine, language: 'es' })));
  await waitFor(page, (s) => s.ahead === '2', 'two ahead');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'es');
  assert.equal(await page.locator('#department').textContent(), 'Análisis de sangre');
  assert.equal(await page.title(), 'Riverside Health Centre: su número');
  let s = await shown(page);
  assert.equal(s.position, '2 personas delante de usted');
  assert.equal(s.estimate, 'Espera aproximada: 10 minutos');
  assert.equal(s.nowServing, 'Atendiendo ahora: 204');
  assert.equal((await alertsOf(page)).vibrations.length, 0, 'opened near the front: nothing to alert');
  await publish({ nowServing: 207, counters: { 1: 207 }, ended: [[207, mine.taken, 'no-show', '1', Date.now()]] });
  await waitFor(page, (x) => x.status === 'missed', 'missed');
  s = await shown(page);
  assert.equal(s.position, 'Se llamó a su número, pero usted no estaba. Por favor, pregunte en el mostrador.');
});

test('a reset clears the ticket, and a ticket of another day is no longer in the queue', async () => {
  const mine = ticketAt(210, 3);
  const page = await phone('Pixel 7');
  await publish({ waiting: queueWith([208, 209], mine) });
  await page.goto(followAddress({ base: `${site.origin}/`, department: DEPT, ...mine }));
  await waitFor(page, (s) => s.ahead === '2', 'two ahead');
  await publish({ waiting: [], cleared: { reset: Date.now(), closed: null } });
  await waitFor(page, (s) => s.status === 'reset', 'reset');
  assert.equal((await shown(page)).position, 'Staff have reset the queue: this number no longer waits. Please take a new one at the kiosk.');

  const old = await phone('Pixel 7');
  await old.goto(followAddress({ base: `${site.origin}/`, department: DEPT, number: 150, taken: Date.now() - 30 * 60 * MIN }));
  await waitFor(old, (s) => s.status === 'gone', 'gone');
  assert.equal((await shown(old)).position, 'This number is no longer in the queue. Please ask at the desk.');
});

test('a malformed address and a department the facility does not have are refused in words', async () => {
  const page = await phone('iPhone 13');
  await page.goto(`${site.origin}/follow.html#d=blood-tests&n=12x&t=5`);
  await until(() => page.evaluate(() => document.body.dataset.status === 'problem'), 'the problem');
  assert.equal(await page.locator('#problem-text').textContent(), 'The address\'s number is not one: scan the code on your ticket again.');
  await page.goto(`${site.origin}/follow.html#d=x-ray&n=12&t=5&l=es`);
  await page.reload();
  await until(async () => (await page.locator('#problem-text').textContent()) === 'Este centro no tiene ningún servicio «x-ray».', 'no such department');
});

test('screenshots of the phone page at 390x844, in English and Spanish (docs/)', async () => {
  const mine = ticketAt(212, 8);
  await publish({ nowServing: 208, counters: { 1: 208, 2: 207 }, waiting: queueWith([209, 210, 211], mine) });
  for (const language of ['en', 'es']) {
    const ctx = await browser.newContext({ ...devices['iPhone 13'], viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    contexts.push(ctx);
    const page = await ctx.newPage();
    watchProblems(page, problems);
    await page.goto(followAddress({ base: `${site.origin}/`, department: DEPT, ...mine, language }));
    await waitFor(page, (s) => s.ahead === '3' && s.connection === 'live', 'three ahead');
    await page.screenshot({ path: join(docs, `follow-${language}.png`) });
  }
});
