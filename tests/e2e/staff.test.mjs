// Staff access end to end, in Debian's headless Chromium against www/ served by Python's static
// server as `make serve` does: first-run setup, the wait after wrong PINs across reloads and
// windows, PIN rules, changing and resetting the PIN, the quiet ways into the console, framing,
// and a scan of everything served for the PIN or its hash. SECURITY.md points at these tests.
//
// Waits of 30 s and more run on Playwright's clock (context.clock): the page's own Date and
// timers, paused, and moved forward only by the test, in every window of the context. The
// page has no switch for shorter waits.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, freePort, waitForHttp } from '../support/browser.mjs';
import { TEST_PIN, openConsole, setUpPin, tryPin } from '../support/staff.mjs';

const www = fileURLToPath(new URL('../../www/', import.meta.url));
const PIN_KEY = 'take-a-number-deluxe/staff/v1/pin';
const WRONG = '480164';
const NEW_PIN = '902817';

let server;
let browser;
let origin;
let context;
let problems;

before(async () => {
  const port = await freePort();
  server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', www], { stdio: 'ignore' });
  origin = `http://127.0.0.1:${port}`;
  await waitForHttp(`${origin}/`);
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

beforeEach(async () => {
  problems = [];
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
});

afterEach(async () => {
  await context.close();
  assert.deepEqual(problems, [], 'no console errors, page errors or CSP violations');
});

async function open(hash = '') {
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${origin}/${hash}`);
  await ready(page);
  return page;
}

/** The page has started and has read the device's staff records once. */
async function ready(page) {
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('#staff-lock[data-ready="true"]', { state: 'attached' });
}

const visible = (page, selector) => page.isVisible(selector);
/** The device's stored PIN record (IndexedDB), read through the page's own module. */
const storedPin = (page) => page.evaluate(async (key) => {
  const { IdbRecords } = await import('/js/staff/staff-records.js');
  return (await new IdbRecords().get(key)) ?? null;
}, PIN_KEY);
/**
 * Waits until the staff notices list `text`. The console opens at once; the notices follow
 * when the view has read the device's records again (asynchronously, from IndexedDB).
 */
async function notice(page, text) {
  await page.locator('#notices li', { hasText: text }).waitFor({ state: 'attached' });
}

async function fillPinForm(page, formId, pin, repeat = pin) {
  await page.bringToFront(); // see tests/support/staff.mjs
  const form = page.locator(`#${formId}`);
  await form.getByLabel('New PIN', { exact: true }).fill(pin);
  await form.getByLabel('New PIN again').fill(repeat);
  await form.locator('button[type="submit"]').click();
}

test('first-run setup refuses weak PINs, keeps only a salted hash, and other windows follow', async () => {
  const first = await open('#staff');
  const second = await open('#staff');
  for (const page of [first, second]) {
    assert.equal(await visible(page, '#setup-form'), true, 'a fresh device asks for a new PIN');
    assert.equal(await visible(page, '#unlock-form'), false);
    assert.equal(await visible(page, '#console'), false);
  }
  const refused = [
    ['12345', '12345', /at least 6 digits/],
    ['111111', '111111', /repeats one digit/],
    ['123456', '123456', /counts up or down/],
    ['654321', '654321', /counts up or down/],
    ['121212', '121212', /repeats a short group/],
    [TEST_PIN, '480136', /not the same/],
  ];
  for (const [pin, repeat, why] of refused) {
    await first.locator('#setup-error').evaluate((node) => { node.textContent = ''; });
    await fillPinForm(first, 'setup-form', pin, repeat);
    await first.waitForFunction(() => document.getElementById('setup-error').textContent !== '');
    assert.match(await first.textContent('#setup-error'), why, pin);
    assert.equal(await storedPin(first), null, `${pin} stored nothing`);
    assert.equal(await visible(first, '#console'), false);
  }

  await fillPinForm(first, 'setup-form', TEST_PIN);
  await first.waitForSelector('#console:not([hidden])');
  const record = await storedPin(first);
  assert.deepEqual(Object.keys(record).sort(), ['algorithm', 'hash', 'how', 'iterations', 'salt', 'setAt']);
  assert.equal(record.algorithm, 'PBKDF2-SHA256');
  assert.equal(record.iterations, 600_000);
  assert.match(record.salt, /^[0-9a-f]{32}$/);
  assert.match(record.hash, /^[0-9a-f]{64}$/);
  assert.equal(JSON.stringify(record).includes(TEST_PIN), false, 'the PIN itself is not stored');

  // The second window was showing the setup form; it now asks for the PIN instead.
  await second.waitForSelector('#unlock-form:not([hidden])');
  assert.equal(await visible(second, '#setup-form'), false);
  await tryPin(second, TEST_PIN);
  await second.waitForSelector('#console:not([hidden])');
});

test('wrong PINs start a growing wait that survives a reload and shows in every window', async () => {
  await context.clock.install({ time: new Date('2026-03-02T09:00:00') });
  await context.clock.pauseAt(new Date('2026-03-02T09:00:01'));
  const kiosk = await open();
  await setUpPin(kiosk, origin);
  await kiosk.getByRole('button', { name: 'Lock console' }).click();
  const counter = await open('#staff');

  for (let i = 1; i <= 4; i++) {
    await tryPin(kiosk, WRONG);
    assert.equal(await kiosk.textContent('#unlock-error'),
      `That PIN is not right. ${5 - i} more ${i === 4 ? 'try' : 'tries'} before a wait.`);
  }
  assert.equal(await visible(kiosk, '#unlock-countdown'), false, 'no wait for the first 4');
  await tryPin(kiosk, WRONG);
  for (const page of [kiosk, counter]) {
    await page.waitForSelector('#unlock-countdown:not([hidden])');
    assert.equal(await page.textContent('#unlock-countdown'), 'Try again in 0:30');
    assert.match(await page.textContent('#unlock-wait'), /^Too many wrong PINs\. The PIN can be tried again at /);
    assert.equal(await page.isDisabled('#pin'), true);
    assert.equal(await page.isDisabled('#unlock-form button[type="submit"]'), true);
  }

  await kiosk.clock.fastForward(10_000);
  await kiosk.waitForFunction(() => document.getElementById('unlock-countdown').textContent === 'Try again in 0:20');
  await kiosk.reload();
  await ready(kiosk);
  assert.equal(await kiosk.textContent('#unlock-countdown'), 'Try again in 0:20', 'a reload does not end the wait');
  assert.equal(await kiosk.isDisabled('#pin'), true);
  const late = await open('#staff');
  assert.equal(await late.textContent('#unlock-countdown'), 'Try again in 0:20', 'nor does a new window');

  await kiosk.clock.fastForward(20_000);
  for (const page of [kiosk, counter, late]) {
    await page.waitForSelector('#unlock-countdown', { state: 'hidden' });
    assert.equal(await page.isDisabled('#pin'), false);
  }
  // One more wrong PIN, from another window: the next wait is twice as long, everywhere.
  await tryPin(counter, WRONG);
  for (const page of [kiosk, counter, late]) {
    await page.waitForFunction(() => document.getElementById('unlock-countdown').textContent === 'Try again in 1:00');
  }
  await kiosk.clock.fastForward(30_000);
  await kiosk.waitForFunction(() => document.getElementById('unlock-countdown').textContent === 'Try again in 0:30');
  await kiosk.clock.fastForward(30_000);
  await kiosk.waitForSelector('#unlock-countdown', { state: 'hidden' });

  await tryPin(kiosk, TEST_PIN);
  await kiosk.waitForSelector('#console:not([hidden])');
  await tryPin(counter, TEST_PIN);
  await counter.waitForSelector('#console:not([hidden])');
  for (const page of [kiosk, counter]) {
    await notice(page, 'Staff PIN: 5 wrong attempts in a row; PIN entry paused for 30 s.');
    await notice(page, 'Staff PIN: 6 wrong attempts in a row; PIN entry paused for 1 min.');
  }
});

test('two windows guessing at once share one count (Web Locks)', async () => {
  // The page's own Lockout and IndexedDB store with a slow check, 5 attempts fired at once in
  // each of two windows: the shared lock lets exactly 5 checks run in all.
  const pages = [await open(), await open()];
  const guess = (page) => page.evaluate(async () => {
    const { Lockout } = await import('/js/staff/lockout.js');
    const { IdbRecords } = await import('/js/staff/staff-records.js');
    const lockout = new Lockout({ store: new IdbRecords({ name: 'test-two-windows' }), key: 'test/two-windows' });
    let checks = 0;
    const slowWrong = async () => { checks++; await new Promise((resolve) => setTimeout(resolve, 100)); return false; };
    await Promise.all(Array.from({ length: 5 }, () => lockout.attempt(slowWrong)));
    return { checks, locks: typeof navigator.locks?.request };
  });
  const results = await Promise.all(pages.map(guess));
  assert.deepEqual(results.map((r) => r.locks), ['function', 'function']);
  assert.equal(results[0].checks + results[1].checks, 5, JSON.stringify(results));
});

test('nothing the server serves holds the PIN or a hash of it', async () => {
  const fetched = [];
  const sent = [];
  context.on('request', (request) => sent.push(`${request.url()} ${request.postData() ?? ''}`));
  context.on('response', async (response) => {
    fetched.push(response.body().then((body) => ({ url: response.url(), body }), () => ({ url: response.url(), body: Buffer.alloc(0) })));
  });
  const page = await open();
  await setUpPin(page, origin);
  await page.getByRole('button', { name: 'Lock console' }).click();
  await tryPin(page, WRONG);
  await page.reload();
  await ready(page);
  await openConsole(page, origin);
  const { salt, hash } = await storedPin(page);

  const served = [];
  const walk = async (dir) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else served.push({ url: path, body: await readFile(path) });
    }
  };
  await walk(www);
  const responses = await Promise.all(fetched);
  assert.ok(served.some((f) => f.url.endsWith('.wasm')) && served.some((f) => f.url.endsWith('config.json')));
  const urls = responses.map((r) => new URL(r.url).pathname);
  for (const path of ['/', '/config.json', '/js/main.js', '/js/staff/staff-access.js']) assert.ok(urls.includes(path), `${path} was fetched`);
  assert.ok(urls.some((u) => u.endsWith('.wasm')));

  // The device's PIN, salt and hash; and the hash and salt config.json shipped before this
  // change, whose PIN (1234) fell to a brute force in seconds.
  const secrets = [TEST_PIN, salt, hash,
    'd34edd2133f3224e6e0af143538796654f4b0e02568e7384b35c5e4df812c381', 'ca7382d8b2d5146cf6afb7fc1ef63539'];
  for (const { url, body } of [...served, ...responses]) {
    for (const secret of secrets) {
      assert.equal(body.includes(secret), false, `${url} holds ${secret}`);
      assert.equal(body.includes(secret.toUpperCase()), false, `${url} holds ${secret} (upper case)`);
      assert.equal(body.includes(Buffer.from(secret, /^[0-9a-f]{32,}$/.test(secret) ? 'hex' : 'utf8').toString('base64')), false,
        `${url} holds ${secret} (base64)`);
    }
  }
  for (const line of sent) for (const secret of secrets) assert.equal(line.includes(secret), false, `a request carried ${secret}`);

  // config.json, as served, has no place for a secret: no PIN-like key, no long hex string.
  const config = JSON.parse(await readFile(join(www, 'config.json'), 'utf8'));
  const suspicious = [];
  const inspect = (value, path) => {
    if (typeof value === 'string' && /[0-9a-f]{32,}/i.test(value)) suspicious.push(path);
    if (typeof value !== 'object' || value === null) return;
    for (const [key, inner] of Object.entries(value)) {
      if (/pin|hash|salt|secret|password|passcode/i.test(key)) suspicious.push(`${path}.${key}`);
      inspect(inner, `${path}.${key}`);
    }
  };
  inspect(config, 'config');
  assert.deepEqual(suspicious, []);
});

test('the customer view leads nobody to the staff console; the documented key and long press do', async () => {
  await context.clock.install();
  await context.clock.pauseAt(Date.now() + 1000);
  const page = await open();
  assert.equal(await page.locator('a[href*="staff"], [data-view-link="staff"]').count(), 0);
  assert.equal(await page.getByRole('link', { name: /staff/i }).count(), 0);
  assert.equal(await page.getByRole('button', { name: /staff/i }).count(), 0);
  for (const part of ['header', '#view-customer']) assert.doesNotMatch(await page.locator(part).innerText(), /staff/i, part);
  assert.equal(await page.locator('a[href*="reset"]').count(), 0, 'nothing links to the reset either');

  await page.keyboard.press('Control+Alt+KeyS');
  // hashchange, which shows the view, comes a task after the address changes.
  await page.waitForFunction(() => location.hash === '#staff' && document.body.dataset.view === 'staff');
  assert.equal(await visible(page, '#view-staff'), true);

  await page.goto(`${origin}/#customer`);
  const box = await page.locator('#facility').boundingBox();
  await page.mouse.move(box.x + 10, box.y + 10);
  await page.mouse.down();
  await page.clock.runFor(2500);
  await page.mouse.up();
  await page.clock.runFor(5000);
  assert.equal(await page.evaluate(() => location.hash), '#customer', 'a shorter press does nothing');
  await page.mouse.down();
  await page.clock.runFor(2900);
  assert.equal(await page.evaluate(() => location.hash), '#customer');
  await page.clock.runFor(200);
  // hashchange, which shows the view, comes a task after the address changes.
  await page.waitForFunction(() => location.hash === '#staff' && document.body.dataset.view === 'staff');
  await page.mouse.up();
  assert.equal(await visible(page, '#view-staff'), true);
});

test('changing the PIN asks for the current one', async () => {
  const page = await open();
  await setUpPin(page, origin);
  const dialog = page.getByRole('dialog', { name: 'Change the staff PIN' });
  const change = async (current, pin, repeat = pin) => {
    await dialog.getByLabel('Current PIN').fill(current);
    await dialog.getByLabel('New PIN', { exact: true }).fill(pin);
    await dialog.getByLabel('New PIN again').fill(repeat);
    await dialog.getByRole('button', { name: 'Change PIN' }).click();
    await page.waitForFunction(() => document.getElementById('change-current').value === '');
  };
  await page.getByRole('button', { name: 'Change PIN…' }).click();
  await change(TEST_PIN, '000000');
  assert.match(await page.textContent('#change-error'), /repeats one digit/);
  await change(WRONG, NEW_PIN);
  assert.equal(await page.textContent('#change-error'), 'That is not the current PIN. 4 more tries before a wait.');
  await change(TEST_PIN, NEW_PIN);
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await page.textContent('#pin-changed'), 'The staff PIN was changed.');
  await notice(page, 'The staff PIN of this device was changed.');

  await page.getByRole('button', { name: 'Lock console' }).click();
  await tryPin(page, TEST_PIN);
  assert.equal(await visible(page, '#console'), false, 'the old PIN no longer opens it');
  await tryPin(page, NEW_PIN);
  await page.waitForSelector('#console:not([hidden])');

  // Guessing the current PIN from an open console: the same count, and a wait locks the console.
  await page.getByRole('button', { name: 'Change PIN…' }).click();
  for (let i = 1; i <= 4; i++) {
    await change(WRONG, '274910');
    assert.match(await page.textContent('#change-error'), new RegExp(`^That is not the current PIN. ${5 - i} more`));
  }
  await change(WRONG, '274910');
  await page.waitForSelector('#unlock-countdown:not([hidden])');
  assert.equal(await visible(page, '#console'), false);
  assert.equal(await dialog.isVisible(), false);
});

test('the forgotten-PIN reset works only at its address, ends the wait and keeps the tickets', async () => {
  const kiosk = await open();
  for (let i = 0; i < 2; i++) await kiosk.getByRole('button', { name: 'Take a number' }).first().click();
  await kiosk.waitForFunction(() => document.getElementById('status-reception').textContent === '2 people waiting');
  await setUpPin(kiosk, origin);
  const other = await open('#staff');
  await tryPin(other, TEST_PIN);
  await other.waitForSelector('#console:not([hidden])');
  await kiosk.getByRole('button', { name: 'Lock console' }).click();
  for (let i = 0; i < 5; i++) await tryPin(kiosk, WRONG);
  await kiosk.waitForSelector('#unlock-countdown:not([hidden])');

  await kiosk.goto(`${origin}/#reset-staff-pin`);
  assert.equal(await visible(kiosk, '#reset-form'), true, 'the reset is offered during a wait');
  assert.equal(await visible(kiosk, '#unlock-form'), false);
  await fillPinForm(kiosk, 'reset-form', '123123');
  await kiosk.waitForFunction(() => document.getElementById('reset-error').textContent !== '');
  assert.match(await kiosk.textContent('#reset-error'), /short group/);
  await fillPinForm(kiosk, 'reset-form', NEW_PIN);
  await kiosk.waitForSelector('#console:not([hidden])');
  assert.equal(await kiosk.evaluate(() => location.hash), '#staff');
  const waiting = await kiosk.locator('.staff-panel').first().locator('.waiting-list button.pick').allTextContents();
  assert.deepEqual(waiting, ['1', '2'], 'the tickets are kept');
  await notice(kiosk, 'The staff PIN of this device was reset.');

  await other.waitForSelector('#unlock-form:not([hidden])'); // consoles opened with the old PIN close
  assert.equal(await visible(other, '#unlock-countdown'), false, 'the wait is over');
  await tryPin(other, TEST_PIN);
  assert.match(await other.textContent('#unlock-error'), /not right/);
  await tryPin(other, NEW_PIN);
  await other.waitForSelector('#console:not([hidden])');

  // A damaged PIN record offers no setup (anyone at the screen could take over): only the reset.
  await kiosk.evaluate(async (key) => {
    const { IdbRecords } = await import('/js/staff/staff-records.js');
    await new IdbRecords().set(key, { algorithm: 'none' });
  }, PIN_KEY);
  await kiosk.reload();
  await ready(kiosk);
  assert.equal(await visible(kiosk, '#staff-damaged'), true);
  assert.equal(await visible(kiosk, '#setup-form'), false);
  assert.equal(await visible(kiosk, '#unlock-form'), false);
  await kiosk.goto(`${origin}/#reset-staff-pin`);
  await fillPinForm(kiosk, 'reset-form', TEST_PIN);
  await kiosk.waitForSelector('#console:not([hidden])');
});

test('framed by another origin, the page offers no staff forms', async () => {
  // Another origin on the same host (another port: another app on the kiosk's server, say) puts
  // the kiosk in an iframe. Being the same site, the frame keeps its storage and the page runs;
  // a frame on another site gets no localStorage in current Chromium, and the page cannot
  // start at all. Python's server sends no frame-ancestors header; deploy/ does (SECURITY.md).
  // This checks the page's own second line.
  const framer = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(`<!doctype html><title>Another site</title><iframe src="${origin}/#staff" width="1000" height="700"></iframe>`);
  });
  await new Promise((resolve) => framer.listen(0, '127.0.0.1', resolve));
  try {
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(`http://127.0.0.1:${framer.address().port}/`);
    const frame = page.frameLocator('iframe');
    await frame.locator('body[data-ready="true"]').waitFor({ state: 'attached' });
    assert.equal(await frame.locator('#fatal').isVisible(), false, 'the page runs in the frame');
    await frame.locator('#staff-framed').waitFor();
    for (const id of ['#setup-form', '#unlock-form', '#reset-form', '#console']) {
      assert.equal(await frame.locator(id).isVisible(), false, `${id} is not shown in a frame`);
    }
    await frame.locator('body').evaluate(() => { location.hash = '#reset-staff-pin'; });
    await frame.locator('#staff-framed').waitFor();
    assert.equal(await frame.locator('#reset-form').isVisible(), false);
  } finally {
    framer.close();
  }
});
