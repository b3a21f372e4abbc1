// The printed ticket, in Debian's headless Chromium against www/ as `make serve` serves it: on
// each paper a facility may set, Chromium prints the kiosk's ticket to PDF (page.pdf, the print
// path --kiosk-printing takes, beforeprint and afterprint included), and the PDF is read back
// with poppler's pdfinfo, pdftotext and pdftoppm: one page of the paper's width (a roll's as
// tall as the receipt, not a page's length), inside what the printer reaches, black on white,
// with the facility, department, number, date, time, people ahead and wait, and nothing else of
// the page. Automatic printing prints each ticket once, after it is on screen, and a print
// that throws leaves the ticket there and tells staff. The suite's hooks fail any test in which
// the page logged a console error or a CSP violation (the receipt's page size is set through
// the CSSOM under the page's strict CSP).
//
// window.print is replaced by a spy in every page: headless Chromium's own never finishes (a
// PDF asked for after it is refused, "already being printed").
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pageSuite } from '../support/page-suite.mjs';
import { shots, MIN, NINE, configWith, takeIn, act } from '../support/kiosk-page.mjs';
import { openConsole } from '../support/staff.mjs';
import { sleep, until } from '../support/wait.mjs';

const suite = pageSuite();
const { newContext, open } = suite;
let origin, problems;
beforeEach(() => ({ origin, problems } = suite));

const PT_PER_MM = 72 / 25.4;
/** Each paper's page in points (pdfinfo's unit), and the width the printer reaches on a roll, in mm. */
const PAPERS = {
  '80mm': { width: 226.77, roll: true, printable: 72 },
  '58mm': { width: 164.41, roll: true, printable: 48 },
  a4: { width: 595.28, height: 841.89 },
  letter: { width: 612, height: 792 },
};

/**
 * Runs in every page before its scripts: window.print counts its calls in `__prints`, noting
 * the number on screen at each (`__printed`; null when no ticket is shown), and throws while
 * `__printThrows` is set, as a browser whose printing fails might.
 */
function spyPrint() {
  window.__prints = 0;
  window.__printed = [];
  window.__printThrows = false;
  window.print = () => {
    window.__prints += 1;
    const ticket = document.getElementById('ticket');
    window.__printed.push(ticket.hidden ? null : document.getElementById('ticket-number').textContent);
    if (window.__printThrows) throw new Error('the printer is out of paper');
  };
}

/** A browser context whose facility prints with `printing`, and whose pages print into the spy. */
async function kioskContext(printing) {
  const ctx = await newContext({ width: 1280, height: 800 }, { reducedMotion: 'reduce' }, configWith((c) => { c.printing = printing; }));
  await ctx.addInitScript(spyPrint);
  return ctx;
}

/**
 * A morning in the pharmacy: six tickets, four of them called three minutes apart while people
 * waited (a pace the estimate trusts), then at 09:00 the ticket to print: number 106, two
 * people ahead, about 3 x 3 - 2 = 7 minutes to wait.
 */
async function pharmacyMorning(ctx) {
  const at = (minute) => ctx.clock.setFixedTime(NINE + minute * MIN);
  await at(-12);
  const page = await open(ctx);
  for (let i = 0; i < 6; i++) await takeIn(page, 'pharmacy');
  await openConsole(page, origin);
  for (const minute of [-11, -8, -5, -2]) {
    await at(minute);
    await act(page, 'pharmacy', 'serve');
  }
  await at(0);
  await page.goto(`${origin}/#customer`);
  await page.waitForSelector('#view-customer:not([hidden])');
  await takeIn(page, 'pharmacy');
  return page;
}

/** Chromium's PDF of `page` as it prints, read back: `{ info, text, image, file }`. */
async function printed(page, dir, name) {
  const file = join(dir, `${name}.pdf`);
  await page.pdf({ path: file, preferCSSPageSize: true });
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  execFileSync('pdftoppm', ['-r', '150', '-f', '1', '-l', '1', '-singlefile', file, join(dir, name)]);
  return { info, text, image: readPpm(await readFile(join(dir, `${name}.ppm`))), file };
}

/** A binary PPM (P6, as pdftoppm writes): `{ width, height, pixel(x, y) => [r, g, b] }`. */
function readPpm(bytes) {
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(bytes.subarray(0, 64).toString('latin1'));
  assert.ok(header, 'a P6 image');
  const [all, width, height] = header;
  const data = bytes.subarray(all.length);
  return {
    width: Number(width),
    height: Number(height),
    pixel: (x, y) => { const i = (y * Number(width) + x) * 3; return [data[i], data[i + 1], data[i + 2]]; },
  };
}

/**
 * Where the ink is on `image` (150 dpi), in mm from each edge, and how many pixels have a
 * colour (channels more than a little apart): anti-aliased black on white has none.
 */
function inkOf(image) {
  const mm = (px) => (px * 25.4) / 150;
  let [top, bottom, left, right, coloured] = [Infinity, -1, Infinity, -1, 0];
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const [r, g, b] = image.pixel(x, y);
      if (Math.max(r, g, b) - Math.min(r, g, b) > 24) coloured += 1;
      if (r + g + b < 3 * 160) {
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
        left = Math.min(left, x);
        right = Math.max(right, x);
      }
    }
  }
  return { top: mm(top), bottom: mm(image.height - 1 - bottom), left: mm(left), right: mm(image.width - 1 - right), coloured };
}

const pageSize = (info) => {
  const [, width, height] = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info);
  return { width: Number(width), height: Number(height) };
};
const flat = (text) => text.replace(/\s+/g, ' ').trim();

for (const [paper, expected] of Object.entries(PAPERS)) {
  test(`on ${paper} paper the ticket prints as one ${expected.roll ? 'receipt as long as itself' : 'page with the receipt at its top'}, black on white, with all it must say and nothing else`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tan-print-'));
    try {
      const ctx = await kioskContext({ paper, auto: false });
      const page = await pharmacyMorning(ctx);
      assert.equal(await page.textContent('#ticket-number'), '106');
      assert.equal(await page.evaluate(() => window.__prints), 0, 'without automatic printing, a take prints nothing');
      await page.getByRole('button', { name: 'Print ticket' }).click();
      assert.deepEqual(await page.evaluate(() => window.__printed), ['106'], 'the button prints the ticket on screen');

      const { info, text, image } = await printed(page, dir, paper);
      assert.match(info, /^Pages:\s+1$/m, 'one page');
      const size = pageSize(info);
      assert.ok(Math.abs(size.width - expected.width) <= 1, `the page is ${expected.width} pt wide: ${size.width}`);
      const ink = inkOf(image);
      console.log(`# figures: ${JSON.stringify({ paper, pagePt: size, blankMm: { top: ink.top, bottom: ink.bottom, left: ink.left, right: ink.right } })}`);
      if (expected.roll) {
        // As long as the receipt: no sheet's length of blank paper after it.
        assert.ok(size.height > 60 * PT_PER_MM && size.height < 160 * PT_PER_MM, `a receipt's length: ${size.height} pt`);
        assert.ok(ink.bottom < 9, `blank paper after the receipt: ${ink.bottom.toFixed(1)} mm`);
        assert.ok(ink.top < 9, `blank paper before it: ${ink.top.toFixed(1)} mm`);
        // Inside the width the printer's head reaches, centred on the roll.
        const side = (size.width / PT_PER_MM - expected.printable) / 2;
        assert.ok(ink.left >= side - 0.5 && ink.right >= side - 0.5, `inside the printable ${expected.printable} mm: ${JSON.stringify(ink)}`);
        assert.ok(ink.left < side + 12 && ink.right < side + 12, `the receipt fills its width: ${JSON.stringify(ink)}`);
      } else {
        assert.ok(Math.abs(size.height - expected.height) <= 1, `the page is ${expected.height} pt tall: ${size.height}`);
        assert.ok(ink.top < 20, `the receipt is at the top: ${ink.top.toFixed(1)} mm`);
      }
      assert.equal(ink.coloured, 0, 'black on white: no department colour');

      const words = flat(text);
      for (const expectedText of ['Riverside Health Centre', 'Your number', 'Pharmacy', 'Tuesday, November 24, 2026', 'Taken at 09:00',
        '2 people ahead of you.', 'Your wait: about 7 minutes.']) {
        assert.ok(words.includes(expectedText), `"${expectedText}" is printed: ${words}`);
      }
      assert.match(words, /(^| )106( |$)/, 'the number is printed');
      assert.equal(words.split('Riverside Health Centre').length, 2, 'the facility once: the page header does not print');
      for (const other of ['Print ticket', 'Take a number', 'Now serving', 'Reception', 'Blood tests', 'English', 'Español', 'Starting']) {
        assert.ok(!words.includes(other), `"${other}" is not printed: ${words}`);
      }
      if (paper === '80mm') {
        execFileSync('pdftoppm', ['-png', '-r', '150', '-singlefile', join(dir, `${paper}.pdf`), join(shots, 'receipt-80mm')]);
      }

      // After printing, the screen is as it was: the ticket in its department's colours.
      assert.equal(await page.evaluate(() => document.documentElement.dataset.receipt), undefined);
      assert.equal(await page.isVisible('#print-ticket'), true);
      assert.deepEqual(problems.filter((p) => /CSP/.test(p)), [], 'no CSP violation');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

test('in Spanish the receipt says it in Spanish, with the date as Spanish has it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tan-print-'));
  try {
    const ctx = await kioskContext({ paper: '58mm', auto: false });
    await ctx.clock.setFixedTime(NINE);
    const page = await open(ctx);
    await page.getByRole('button', { name: 'Español' }).click();
    await takeIn(page, 'pharmacy');
    const words = flat((await printed(page, dir, 'es')).text);
    for (const expected of ['Su número', 'Farmacia', 'martes, 24 de noviembre de 2026', 'Hora: 09:00']) {
      assert.ok(words.includes(expected), `"${expected}" is printed: ${words}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('with automatic printing each ticket prints once, after it is on screen; a print that fails leaves the ticket and tells staff', async () => {
  const ctx = await kioskContext({ paper: '80mm', auto: true });
  const page = await open(ctx);
  const printedNow = () => page.evaluate(() => window.__printed);
  await takeIn(page, 'pharmacy');
  await until(async () => (await printedNow()).length === 1, 'the first ticket to print');
  await takeIn(page, 'pharmacy');
  await until(async () => (await printedNow()).length === 2, 'the second ticket to print');
  await sleep(500);
  assert.deepEqual(await printedNow(), ['100', '101'], 'each ticket once, printed while on screen');

  // The printer fails: the ticket stays, the kiosk goes on, and staff are told.
  await page.evaluate(() => { window.__printThrows = true; });
  await takeIn(page, 'pharmacy');
  await until(async () => (await printedNow()).length === 3, 'the third ticket to be sent to print');
  assert.equal(await page.isVisible('#ticket'), true, 'the ticket stays on screen');
  assert.equal(await page.textContent('#ticket-number'), '102');
  await takeIn(page, 'reception');
  assert.equal(await page.textContent('#ticket-number'), '1', 'the next customer gets a ticket');
  await until(async () => (await printedNow()).length === 4, 'the fourth ticket to be sent to print');
  await openConsole(page, origin);
  const notices = await page.locator('#notices li').allTextContents();
  assert.equal(notices.filter((n) => n.includes('Printing a ticket failed (the printer is out of paper)')).length, 2, notices.join('\n'));
});

test('a paper and automatic printing chosen in Settings apply to the next ticket of another window, without a reload', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tan-print-'));
  try {
    const ctx = await kioskContext({ paper: '80mm', auto: false });
    const kiosk = await open(ctx);
    let loads = 0;
    kiosk.on('framenavigated', (frame) => { if (frame === kiosk.mainFrame()) loads += 1; });
    const manager = await open(ctx, '#staff');
    await openConsole(manager, origin);
    await manager.locator('[data-console-page="settings"]').click();
    await manager.waitForSelector('#settings-history li');
    const settings = manager.locator('#settings');
    await settings.getByLabel('Paper', { exact: true }).selectOption({ label: 'A4 sheet' });
    await settings.getByLabel('Print each ticket as it is taken', { exact: true }).check();
    await settings.getByRole('button', { name: 'Save', exact: true }).click();
    await manager.waitForFunction(() => /^Saved as version 1/.test(document.getElementById('settings-status').textContent));

    await kiosk.bringToFront();
    // The kiosk runs version 1 once it prints on take by itself.
    await until(async () => {
      await takeIn(kiosk, 'pharmacy');
      await sleep(200);
      return (await kiosk.evaluate(() => window.__prints)) > 0;
    }, 'the kiosk to print on take');
    const { info } = await printed(kiosk, dir, 'a4');
    const size = pageSize(info);
    assert.ok(Math.abs(size.width - PAPERS.a4.width) <= 1 && Math.abs(size.height - PAPERS.a4.height) <= 1, `A4: ${info}`);
    assert.equal(loads, 0, 'the kiosk did not reload');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
