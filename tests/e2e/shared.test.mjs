// One queue of record in one browser: windows of one Chromium context (one browser profile)
// tapping at the same moment, windows closed and reloaded mid-run (the hosting one too), idle
// shutdown, a full browser restart. Every tap is a real click on the kiosk page, answered by
// the department's one shared machine; every answer is reported to the test as it happens
// (a binding), so the answers of a window that is closed or reloaded are counted too.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../support/browser.mjs';
import { www, serveWww, instrument, watchProblems, boardTile, customerTaps, staffTaps } from '../support/kiosk-page.mjs';
import { openConsole } from '../support/staff.mjs';

const shipped = JSON.parse(await readFile(join(www, 'config.json'), 'utf8'));
/** The shipped configuration with room for the runs below: Reception takes 1..999. */
const baseConfig = structuredClone(shipped);
baseConfig.departments[0].maxNumber = 999;

let server;
let browser;
let context;
let problems;
let answers; // every answer any window got: { window, kind: 'take' | 'serve' | 'empty', number, at }
const figures = []; // for RELIABILITY.md: one row per scenario

before(async () => {
  server = await serveWww();
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  server?.close();
  for (const row of figures) console.log(`# figures: ${JSON.stringify(row)}`);
});

beforeEach(async () => {
  problems = [];
  answers = [];
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await prepare(context, baseConfig);
});

afterEach(async () => {
  await context.close();
  assert.deepEqual(problems, [], 'no console errors, page errors or CSP violations');
});

async function prepare(ctx, config) {
  await ctx.addInitScript(instrument);
  // Counts this window's writes of machine records: only a window that hosts a machine may
  // write one. (The staff PIN's records are another database, written by any window.)
  await ctx.addInitScript(() => {
    window.__writes = 0;
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function counted(...args) {
      if (this.name === 'machines') window.__writes += 1;
      return put.apply(this, args);
    };
  });
  await ctx.exposeBinding('reportAnswer', ({ page }, kind, number) => {
    answers.push({ window: page, kind, number, at: Date.now() });
  });
  if (config) await ctx.route('**/config.json', (route) => route.fulfill({ json: config }));
}

async function open(ctx, hash = '') {
  const page = await ctx.newPage();
  watchProblems(page, problems);
  await page.goto(`${server.origin}/${hash}`);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}

/** A window with the staff console open (the device's PIN set up on first use). */
async function openStaff(ctx) {
  const page = await open(ctx, '#staff');
  await openConsole(page, server.origin);
  return page;
}

/** The department's record as stored in IndexedDB: the one record of the browser. */
function storedRecord(page, department) {
  return page.evaluate((name) => new Promise((resolve, reject) => {
    const opening = indexedDB.open('take-a-number-deluxe');
    opening.onerror = () => reject(opening.error);
    opening.onsuccess = () => {
      const database = opening.result;
      const read = database.transaction('machines').objectStore('machines').get(name);
      read.onsuccess = () => { database.close(); resolve(read.result); };
      read.onerror = () => reject(read.error);
    };
  }), department);
}

const numbers = (kind) => answers.filter((a) => a.kind === kind).map((a) => a.number);
const dupes = (list) => [...new Set(list.filter((n, i) => list.indexOf(n) !== i))];

/**
 * No ticket handed out twice, no number served twice, every ticket served or still waiting,
 * and every window showing the stored queue. `unanswered`: taps cut off by a window closing
 * or reloading; each may or may not have been applied, so up to that many numbers may wait
 * that no window showed. Returns the row for RELIABILITY.md.
 */
async function checkRecord({ scenario, windows, faults = 'none', unanswered = 0, pages }) {
  const taken = numbers('take');
  const served = numbers('serve');
  const record = await storedRecord(pages[0], 'reception');
  const { queue } = record;
  const duplicates = dupes(taken);
  const doubleServes = dupes(served);
  const stillListed = served.filter((n) => queue.includes(n));
  const lost = taken.filter((n) => !served.includes(n) && !queue.includes(n));
  const unknown = [...served, ...queue].filter((n) => !taken.includes(n));
  assert.deepEqual(duplicates, [], 'duplicate tickets');
  assert.deepEqual(doubleServes, [], 'numbers served twice');
  assert.deepEqual(stillListed, [], 'served and still listed as waiting');
  assert.deepEqual(lost, [], 'tickets lost');
  assert.ok(unknown.length <= unanswered, `numbers waiting or served that no window showed: ${unknown}`);
  // Every window shows the one record.
  for (const page of pages) {
    await page.waitForFunction((count) => document.getElementById('status-reception').textContent
      === `${count} ${count === 1 ? 'person' : 'people'} waiting`, queue.length);
  }
  const row = {
    scenario, windows, operations: answers.length, faults,
    duplicates: duplicates.length, doubleServes: doubleServes.length, losses: lost.length,
  };
  figures.push(row);
  return row;
}

/** Windows that wrote to IndexedDB: only hosts may. */
async function writers(pages) {
  const out = [];
  for (const page of pages) if (await page.evaluate(() => window.__writes) > 0) out.push(page);
  return out;
}

for (const count of [2, 4]) {
  test(`${count} customer windows tapping at the same moment get ${count === 2 ? 100 : 50} distinct tickets each`, async () => {
    const pages = [];
    for (let i = 0; i < count; i++) pages.push(await open(context));
    await Promise.all(pages.map((page) => customerTaps(page, 'reception', 200 / count)));
    const row = await checkRecord({ scenario: 'customers tapping at once', windows: count, pages });
    assert.equal(row.operations, 200);
    assert.deepEqual(numbers('take').sort((a, b) => a - b), Array.from({ length: 200 }, (_, i) => i + 1),
      'numbers 1..200, each once');
    const hosts = await writers(pages);
    assert.equal(hosts.length, 1, 'one window writes the record');
    assert.equal(await hosts[0].getAttribute('body', 'data-hosting'), 'reception pharmacy blood-tests');
  });

  test(`customers taking while staff serve, ${count} windows`, async () => {
    const customers = [];
    const staff = [];
    for (let i = 0; i < count / 2; i++) customers.push(await open(context));
    for (let i = 0; i < count / 2; i++) staff.push(await openStaff(context));
    // A queue long enough that serving never empties it: numbers then never start again at 1.
    await customerTaps(customers[0], 'reception', 60);
    const rounds = count === 2 ? 60 : 40;
    await Promise.all([
      ...customers.map((page) => customerTaps(page, 'reception', rounds)),
      ...staff.map((page) => staffTaps(page, 'Reception', rounds / 2)),
    ]);
    const row = await checkRecord({ scenario: 'taking while serving', windows: count, pages: [...customers, ...staff] });
    assert.equal(numbers('empty').length, 0);
    assert.equal(row.operations, 60 + rounds * count / 2 + (rounds / 2) * (count / 2));
  });
}

test('closing the hosting window and reloading another mid-run loses nothing and hands out no duplicate', async () => {
  const pages = [];
  for (let i = 0; i < 3; i++) pages.push(await open(context));
  const staff = await openStaff(context);
  await customerTaps(pages[0], 'reception', 40);
  const runs = new Map(pages.map((page) => [page, customerTaps(page, 'reception', 60).catch(() => 'cut off')]));
  const serving = staffTaps(staff, 'Reception', 30).catch(() => 'cut off');
  const answered = () => answers.length;

  // A third of the way: close the window that hosts the machines.
  while (answered() < 40 + 60) await new Promise((resolve) => setTimeout(resolve, 5));
  const host = await hostOf([...pages, staff]);
  const closedAt = Date.now();
  await host.close();
  const survivors = [...pages, staff].filter((p) => p !== host);
  // Two thirds of the way: reload another window, and let it go on tapping afterwards.
  while (answered() < 40 + 120) await new Promise((resolve) => setTimeout(resolve, 5));
  const reloaded = survivors.find((p) => p !== staff);
  await reloaded.reload();
  await reloaded.waitForSelector('body[data-ready="true"]');
  const afterReload = customerTaps(reloaded, 'reception', 20);

  const outcomes = await Promise.all([...runs.values(), serving, afterReload]);
  const cut = outcomes.filter((o) => o === 'cut off').length;
  assert.ok(cut >= 1 && cut <= 2, `the closed and the reloaded window's runs were cut off (${cut})`);
  const takeover = answers.find((a) => a.at > closedAt);
  const row = await checkRecord({
    scenario: 'host window closed, another reloaded', windows: 4, faults: 'host closed, window reloaded',
    unanswered: cut, pages: survivors,
  });
  row.takeoverMs = takeover.at - closedAt;
  assert.ok(row.operations >= 150, `${row.operations} operations`);
  assert.equal((await hostOf(survivors)) !== undefined, true, 'a survivor hosts now');
});

async function hostOf(pages) {
  for (const page of pages) {
    if (!page.isClosed() && (await page.getAttribute('body', 'data-hosting'))?.includes('reception')) return page;
  }
  return undefined;
}

test('reloading the hosting window while others tap: another window takes over, then it rejoins', async () => {
  const pages = [await open(context), await open(context)];
  await customerTaps(pages[0], 'reception', 10);
  const host = await hostOf(pages);
  const other = pages.find((p) => p !== host);
  const running = customerTaps(other, 'reception', 40);
  while (answers.length < 20) await new Promise((resolve) => setTimeout(resolve, 5));
  await host.reload();
  await host.waitForSelector('body[data-ready="true"]');
  await running;
  assert.equal(await hostOf(pages), other, 'the window that stayed hosts now');
  await customerTaps(host, 'reception', 10);
  await checkRecord({ scenario: 'host window reloaded', windows: 2, faults: 'host reloaded', pages });
});

test('a tap as soon as the page is usable, before any window hosts the machines, gets its ticket', async () => {
  // The leader lock is granted late, as on a slow kiosk computer: nobody hosts for 800 ms.
  await context.addInitScript(() => {
    const request = LockManager.prototype.request;
    LockManager.prototype.request = function delayed(name, ...rest) {
      if (!String(name).includes('leader')) return request.call(this, name, ...rest);
      return new Promise((resolve) => setTimeout(resolve, 800)).then(() => request.call(this, name, ...rest));
    };
  });
  const page = await context.newPage();
  watchProblems(page, problems);
  await page.goto(server.origin);
  await page.waitForSelector('body[data-usable="true"]');
  const tapped = await page.evaluate(() => {
    const state = document.body.dataset.ready ?? 'not ready';
    document.querySelector('.take[data-department="reception"]').click();
    return state;
  });
  assert.equal(tapped, 'not ready', 'the tap came before the machines were ready');
  await page.waitForSelector('#ticket:not([hidden])');
  assert.equal(await page.textContent('#ticket-number'), '1');
  await page.waitForSelector('body[data-ready="true"]');
});

test('idle shutdown: the one machine switches off and every window shows it', async () => {
  const config = structuredClone(baseConfig);
  config.departments[0].autoShutdownTimeout = 500;
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await prepare(ctx, config);
    const customer = await open(ctx);
    const board = await open(ctx, '#board');
    const staff = await openStaff(ctx);
    await customerTaps(customer, 'reception', 2);
    await customer.waitForFunction(() => document.getElementById('status-reception').textContent.includes('Switched off'),
      null, { timeout: 15_000 });
    await board.waitForFunction(() => document.querySelector('.board-tile .board-number').textContent === 'Closed');
    assert.equal(await boardTile(board, 'Reception').locator('.board-waiting').textContent(), 'Switched off');
    await staff.waitForFunction(() => document.querySelector('.staff-panel .staff-serving').textContent.startsWith('Switched off'));
    // A customer's tap in one window switches the department on again everywhere, afresh.
    answers = [];
    await customerTaps(customer, 'reception', 1);
    assert.deepEqual(numbers('take'), [1]);
    await board.waitForFunction(() => document.querySelector('.board-tile .board-waiting').textContent === '1 person waiting');
  } finally {
    await ctx.close();
  }
});

test('a full browser restart keeps the queue and the number being served, written by one window', async () => {
  const profile = await mkdtemp(join(tmpdir(), 'kiosk-profile-'));
  const launch = async () => {
    const ctx = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath(), args: chromiumArgs, viewport: { width: 1280, height: 800 },
    });
    await prepare(ctx, baseConfig);
    return ctx;
  };
  let ctx = null;
  try {
    ctx = await launch();
    const kiosk = await open(ctx);
    const staff = await openStaff(ctx);
    await customerTaps(kiosk, 'reception', 6);
    await staffTaps(staff, 'Reception', 2);
    const before = await storedRecord(kiosk, 'reception');
    assert.equal((await writers([kiosk, staff])).length, 1, 'one window wrote');
    await ctx.close();

    ctx = await launch();
    const board = await open(ctx, '#board');
    const tile = boardTile(board, 'Reception');
    assert.deepEqual(numbers('serve'), [1, 2]);
    assert.deepEqual(before.queue, [3, 4, 5, 6]);
    assert.equal(await tile.locator('.board-number').textContent(), '2');
    assert.equal(await tile.locator('.board-waiting').textContent(), '4 people waiting');
    const again = await open(ctx);
    answers = [];
    await customerTaps(again, 'reception', 1);
    assert.deepEqual(numbers('take'), [7], 'numbering continues after the restart');
  } finally {
    await ctx?.close();
    await rm(profile, { recursive: true, force: true });
  }
});

test('served over plain http from another host, the page says it needs https or localhost', async () => {
  // kiosk.test resolves to this machine, but unlike localhost it is not a secure context,
  // so the browser offers no Web Locks there (nor WebCrypto).
  const insecure = await chromium.launch({
    executablePath: chromiumPath(), args: [...chromiumArgs, '--host-resolver-rules=MAP kiosk.test 127.0.0.1'],
  });
  try {
    const page = await insecure.newPage();
    const port = new URL(server.origin).port;
    await page.goto(`http://kiosk.test:${port}/`);
    await page.waitForSelector('#fatal:not([hidden])');
    assert.equal(await page.evaluate(() => window.isSecureContext), false);
    assert.match(await page.textContent('#fatal-text'), /must be opened over https:\/\/ or from this computer \(localhost\)/);
  } finally {
    await insecure.close();
  }
});
