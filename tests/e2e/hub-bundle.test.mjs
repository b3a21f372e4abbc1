// The page's hub bundle (www/pkg/hub-browser.js) in real Chromium against a real nats-server with
// the shipped configuration, over its WebSocket: separate browser contexts as separate devices,
// and the WebSocket's origin check. The kiosk page's own hub mode (its views, CSP, banner) builds
// on this bundle; here only the bundle and the hub are checked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, freePort, waitForHttp } from '../support/browser.mjs';
import { startHub } from '../support/nats.mjs';

const www = fileURLToPath(new URL('../../www/', import.meta.url));
let server;
let browser;
let hub;
let origin;
let wsUrl;

before(async () => {
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', www], { stdio: 'ignore' });
  await waitForHttp(`${origin}/pkg/package.json`);
  hub = await startHub({ origin });
  await hub.configure([{ id: 'reception', minNumber: 1, maxNumber: 99 }]);
  wsUrl = `ws://127.0.0.1:${hub.node.wsPort}`;
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  await hub?.close();
  server?.kill();
});

/**
 * A device: a browser context of its own on a page of the kiosk's origin (the package folder's
 * listing, which has no CSP: the kiosk page's own CSP admits its hub in hub mode), with the hub
 * bundle loaded and connected as `user`.
 */
async function device(user, pageOrigin = origin) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${pageOrigin}/pkg/`);
  await page.evaluate(async ({ url, user }) => {
    const { default: init } = await import('/pkg/take_a_number_deluxe.js');
    await init();
    const { connectHub } = await import('/pkg/hub-browser.js');
    const hub = await connectHub({ url, user, pass: `${user}-demo` });
    window.department = hub.machine({ name: 'reception', minNumber: 1, maxNumber: 99 });
    await window.department.ready;
  }, { url: wsUrl, user });
  return { context, page, errors };
}

test('the bundle speaks our errors, not NATS\'s: a wrong password is refused, a hub out of reach offline', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/pkg/`);
  const outcomes = await page.evaluate(async (url) => {
    const { default: init } = await import('/pkg/take_a_number_deluxe.js');
    await init();
    const { connectHub } = await import('/pkg/hub-browser.js');
    const attempt = (options) => connectHub({ waitOnFirstConnect: false, maxReconnectAttempts: 0, ...options })
      .then((hub) => { hub.close(); return 'connected'; }, (error) => `${error.name} ${error.code}`);
    return [
      await attempt({ url, user: 'kiosk', pass: 'not-the-password' }),
      await attempt({ url: 'ws://127.0.0.1:9', user: 'kiosk', pass: 'kiosk-demo' }),
    ];
  }, wsUrl);
  assert.deepEqual(outcomes, ['MachineError refused', 'MachineError offline']);
  await context.close();
});

test('two browsers on the hub: a ticket taken on the kiosk shows on the board', async () => {
  const kiosk = await device('kiosk');
  const board = await device('board');
  const number = await kiosk.page.evaluate(() => window.department.queueNewNumber());
  assert.equal(number, 1);
  await board.page.waitForFunction((n) => window.department.state?.queue.includes(n), number);
  assert.equal(await board.page.evaluate(() => window.department.status), 'online');
  const refused = await board.page.evaluate(() => window.department.queueNewNumber().catch((e) => `${e.name} ${e.code}`));
  assert.equal(refused, 'MachineError forbidden');
  assert.deepEqual([...kiosk.errors, ...board.errors], []);
  await kiosk.context.close();
  await board.context.close();
});

test('the hub refuses a WebSocket from another origin', async () => {
  const upgrade = (from) => new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port: hub.node.wsPort,
      headers: {
        Connection: 'Upgrade', Upgrade: 'websocket', Origin: from,
        'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
      },
    });
    req.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve(response.statusCode);
    });
    req.on('response', (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(await upgrade(origin), 101, 'the kiosk\'s own origin is let in');
  assert.equal(await upgrade('http://evil.example'), 403);
  assert.equal(await upgrade(origin.replace('127.0.0.1', 'localhost')), 403, 'another name for the same host is another origin');
  // And a browser on another origin cannot connect at all.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin.replace('127.0.0.1', 'localhost')}/pkg/`);
  const outcome = await page.evaluate(async (url) => {
    const { connectHub } = await import('/pkg/hub-browser.js');
    return connectHub({ url, user: 'kiosk', pass: 'kiosk-demo', waitOnFirstConnect: false, maxReconnectAttempts: 0 })
      .then(() => 'connected', (error) => `refused: ${error.message}`);
  }, wsUrl);
  assert.match(outcome, /^refused/);
  await context.close();
});
