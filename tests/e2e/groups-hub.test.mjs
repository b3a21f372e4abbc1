// Queue groups across the devices of a facility hub, in Debian's headless Chromium against a real
// nats-server with the shipped hub configuration, the site built as `make site` builds it: two
// kiosks take tickets in groups, and a counter in Node (the package's Hub, with the staff's
// account) calls them in the department's order, each with its group; a board device shows a
// ratio department's calls in its ratio.
import { test as nodeTest, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, freePort } from '../support/browser.mjs';
import { instrument, watchProblems, takeIn } from '../support/kiosk-page.mjs';
import { startHub, connectAs, USERS, RELEASE, declared } from '../support/nats.mjs';
import { serveBuiltSite } from '../support/site.mjs';
import { scan } from '../support/axe.mjs';
import { kioskRecord } from '../../www/js/model/ticket-record.js';
import { Machine } from '../../pkg/node.js';
import { Hub } from '../../js/hub/hub.js';

const test = (name, fn) => nodeTest(name, { timeout: 120_000 }, fn);
const scratch = await mkdtemp(join(tmpdir(), 'take-a-number-groups-hub-'));
const viewport = { width: 1280, height: 800 };

let browser;
let hub;
let site;
let problems;
let contexts;

before(async () => {
  const port = await freePort();
  hub = await startHub({ origin: `http://127.0.0.1:${port}` });
  site = await serveBuiltSite({ to: join(scratch, 'site'), port, hub: [`ws://127.0.0.1:${hub.node.wsPort}`] });
  await hub.configure(site.config.departments); // as `make hub` does: with their queue rules
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  site?.close();
  await hub?.close();
  await rm(scratch, { recursive: true, force: true });
});

beforeEach(() => {
  problems = [];
  contexts = [];
});

afterEach(async () => {
  await Promise.all(contexts.map((ctx) => ctx.close()));
  const unexpected = problems.filter((p) => !/broken close frame/.test(p));
  assert.deepEqual(unexpected, [], 'no console errors, page errors or CSP violations');
});

/** A device of the facility, set up with hub account `login`, at `hash`, online. */
async function device(login, hash = '#customer') {
  const ctx = await browser.newContext({ viewport, reducedMotion: 'reduce' });
  contexts.push(ctx);
  await ctx.addInitScript(instrument);
  const page = await ctx.newPage();
  watchProblems(page, problems);
  await page.goto(`${site.origin}/#hub-setup`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill('#hub-setup-user', USERS[login].user);
  await page.fill('#hub-setup-pass', USERS[login].pass);
  await Promise.all([page.waitForEvent('load'), page.click('#hub-setup-form button[type="submit"]')]);
  await page.goto(`${site.origin}/${hash}`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('body[data-hub="online"]');
  return page;
}

/** A counter in Node for department `id`, declaring what the page declares for it. */
async function counter(id) {
  const connection = await connectAs('staff', hub.servers);
  const node = new Hub({ connection, Machine, rules: RELEASE });
  const machine = node.machine({ name: id, ...declared(site.config.departments.find((d) => d.id === id)), record: kioskRecord() });
  await machine.ready;
  return {
    machine,
    async close() {
      node.close();
      await connection.close();
    },
  };
}

const ticketOf = async (page) => ({
  number: await page.textContent('#ticket-number'),
  group: (await page.isVisible('#ticket-group')) ? await page.textContent('#ticket-group') : null,
  ahead: await page.textContent('#ticket-ahead'),
});

test('two kiosks take tickets in groups; a counter in Node calls them priority first, each with its group', async () => {
  const [first, second] = [await device('kiosk'), await device('kiosk')];
  await takeIn(first, 'blood-tests', 'standard');
  assert.deepEqual(await ticketOf(first), { number: '200', group: 'Standard', ahead: 'You are next.' });
  await takeIn(second, 'blood-tests', 'priority');
  assert.deepEqual(await ticketOf(second), { number: '201', group: 'Priority', ahead: 'You are next.' }, 'priority first, on the other device too');
  await takeIn(first, 'blood-tests', 'standard');
  assert.deepEqual(await ticketOf(first), { number: '202', group: 'Standard', ahead: '2 people ahead of you.' });
  await scan(second, 'a ticket with its group, in hub mode');
  const desk = await counter('blood-tests');
  try {
    assert.deepEqual(desk.machine.state.desk.waiting.map(({ number, group }) => [number, group]),
      [[200, 'standard'], [201, 'priority'], [202, 'standard']], 'the hub\'s record has each ticket\'s group');
    const calls = [];
    for (let i = 0; i < 3; i++) {
      const { number, group } = await desk.machine.call('1');
      calls.push([number, group]);
    }
    assert.deepEqual(calls, [[201, 'priority'], [200, 'standard'], [202, 'standard']]);
  } finally {
    await desk.close();
  }
});

test('a ratio department on the board: a counter in Node serves it, and the last calls follow the 2:1 ratio', async () => {
  const kiosk = await device('kiosk');
  const board = await device('board', '#board');
  for (let i = 0; i < 4; i++) await takeIn(kiosk, 'pharmacy', 'standard'); // 100..103
  for (let i = 0; i < 2; i++) await takeIn(kiosk, 'pharmacy', 'priority'); // 104, 105
  const desk = await counter('pharmacy');
  try {
    const served = [];
    for (let i = 0; i < 6; i++) served.push(await desk.machine.serveNextQueuedNumber());
    // The smooth 2:1 round robin (src/rules/order.rs): S P S S P S.
    assert.deepEqual(served, [100, 104, 101, 102, 105, 103]);
  } finally {
    await desk.close();
  }
  await board.waitForFunction(() => document.querySelector('.board-tile[data-department="pharmacy"] .board-number')?.textContent.startsWith('103'));
  const calls = await board.locator('.board-tile[data-department="pharmacy"] .board-calls .call-number').allTextContents();
  assert.deepEqual(calls, ['103', '105', '102', '101', '104'], 'the last five, newest first');
});
