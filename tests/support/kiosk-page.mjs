// What the Chromium tests of the kiosk page share: www/ served as `make serve` serves it, a
// browser context that reports CSP violations and counts the page's answers, and the taps a
// customer or a member of staff makes.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveDirectory } from './browser.mjs';

export const www = fileURLToPath(new URL('../../www/', import.meta.url));
/** Where the tests' screenshots go (git-ignored). */
export const shots = fileURLToPath(new URL('../screenshots/', import.meta.url));
/** The shipped www/config.json. */
export const shipped = JSON.parse(readFileSync(new URL('config.json', `file://${www}`), 'utf8'));

export const MIN = 60_000;
/** 09:00 in Madrid on a Tuesday (08:00 UTC): the facility's clock in the tests that set one. */
export const NINE = Date.UTC(2026, 10, 24, 8, 0);

/** The shipped config with `change` applied; the facility in Madrid, so times are known. */
export function configWith(change = () => {}) {
  const config = structuredClone(shipped);
  config.timeZone = 'Europe/Madrid';
  change(config);
  return config;
}

/** Serves www/ as `make serve` does: `{ origin, close }`. */
export const serveWww = () => serveDirectory(www);

/**
 * Runs in every page of a context before the page's own scripts: logs CSP violations as
 * console errors, and counts the page's answers to customers (`__answers`: a ticket or a
 * message) and to staff (`__served`: the outcome of a serve, in any department), so that a tap
 * can be awaited. The answer comes from the shared machine, which may live in another window.
 */
export function instrument() {
  document.addEventListener('securitypolicyviolation', (e) => {
    console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
  });
  window.__answers = 0;
  window.__served = 0;
  document.addEventListener('DOMContentLoaded', () => {
    const watch = (id, counter, counts = () => true) => new MutationObserver((changes) => {
      if (changes.some(counts)) window[counter] += 1;
    }).observe(document.getElementById(id), { childList: true, characterData: true, subtree: true });
    for (const id of ['announce-ticket', 'customer-message']) watch(id, '__answers');
    // The panels are built later; of all that changes in them, only a serve's outcome counts.
    watch('staff-departments', '__served', (change) => change.target.classList?.contains('staff-result'));
  });
}

/**
 * Runs in every page of a context too: records what each window says aloud (`__spoken`:
 * { text, lang, voice }) and how many chime notes it plays (`__notes`), instead of making sound.
 * The device has an English and a Spanish voice, or the voices a test puts in `__fakeVoices`
 * (an init script of its own, or before the page asks).
 */
export function recordSound() {
  window.__spoken = [];
  window.__notes = 0;
  window.__fakeVoices = [
    { name: 'English (test)', lang: 'en-US', localService: true, default: true, voiceURI: 'en' },
    { name: 'Spanish (test)', lang: 'es-ES', localService: true, default: false, voiceURI: 'es' },
  ];
  window.speechSynthesis.getVoices = () => window.__fakeVoices;
  // The page sets `voice` to one of the voices above, which the real class would refuse.
  window.SpeechSynthesisUtterance = class {
    constructor(text) { this.text = text; this.lang = ''; this.voice = null; }
  };
  window.speechSynthesis.speak = (utterance) => window.__spoken.push({ text: utterance.text, lang: utterance.lang, voice: utterance.voice?.name ?? null });
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function counted(...args) {
    window.__notes += 1;
    return start.apply(this, args);
  };
}

/** What `page` has said aloud so far, as `lang: text`. */
export const spoken = (page) => page.evaluate(() => window.__spoken.map(({ text, lang }) => `${lang}: ${text}`));

/** Collects the console errors, page errors and CSP violations of `page` into `problems`. */
export function watchProblems(page, problems) {
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
}

export const card = (page, name) => page.locator('.department-card', { has: page.getByRole('heading', { name, exact: true }) });
export const staffPanel = (page, name) => page.locator('.staff-panel', { has: page.getByRole('heading', { name, exact: true }) });
export const boardTile = (page, name) => page.locator('.board-tile', { has: page.getByRole('heading', { name, exact: true }) });

/**
 * A customer taps "Take a number" in department `name`; where the department asks which queue
 * group (config.json `groups`), picks `group` (an id), or the first one offered. Resolves once
 * the page has answered.
 */
export async function take(page, name, group = null) {
  const before = await page.evaluate(() => window.__answers);
  await card(page, name).getByRole('button', { name: 'Take a number' }).click();
  await pickGroup(page, before, group);
}

/** A customer takes a ticket in department `id`, in whatever language the page shows (`group` as for take). */
export async function takeIn(page, id, group = null) {
  const before = await page.evaluate(() => window.__answers);
  await page.click(`.take[data-department="${id}"]`);
  await pickGroup(page, before, group);
}

/** After a tap on "Take a number": picks `group` (or the first) if the page asks, then waits for its answer. */
async function pickGroup(page, before, group) {
  await page.waitForFunction((count) => window.__answers > count || document.getElementById('group-picker')?.hidden === false, before);
  if (await page.evaluate((count) => window.__answers > count, before)) return;
  await page.click(group === null ? '#group-picker .group-choice' : `#group-picker .group-choice[data-group="${group}"]`);
  await page.waitForFunction((count) => window.__answers > count, before);
}

/**
 * In the page: a customer taps "Take a number" in `department` `count` times, each tap once
 * the previous one has been answered; each ticket is reported to the test through the
 * context's `reportAnswer(kind, number)` binding, so that a window closed mid-run is counted too.
 */
export function customerTaps(page, department, count) {
  return page.evaluate(async ({ department, count }) => {
    const button = document.querySelector(`.take[data-department="${department}"]`);
    for (let i = 0; i < count; i++) {
      const before = window.__answers;
      button.click();
      // A department with queue groups asks which: the first.
      document.querySelector('#group-picker:not([hidden]) .group-choice')?.click();
      await new Promise((resolve) => {
        const poll = setInterval(() => { if (window.__answers > before) { clearInterval(poll); resolve(); } }, 1);
      });
      const message = document.getElementById('customer-message');
      if (!message.hidden) throw new Error(`no ticket: ${message.textContent}`);
      await window.reportAnswer('take', Number(document.getElementById('ticket-number').textContent));
    }
  }, { department, count });
}

/** In the page (an unlocked staff console): "Serve next" in `name`'s panel `count` times. */
export function staffTaps(page, name, count) {
  return page.evaluate(async ({ name, count }) => {
    const panel = [...document.querySelectorAll('.staff-panel')].find((p) => p.querySelector('h3').textContent === name);
    const button = [...panel.querySelectorAll('button')].find((b) => b.textContent === 'Serve next');
    const result = panel.querySelector('.staff-result');
    for (let i = 0; i < count; i++) {
      const before = window.__served;
      button.click();
      await new Promise((resolve) => {
        const poll = setInterval(() => { if (window.__served > before) { clearInterval(poll); resolve(); } }, 1);
      });
      const served = /^Serving (\d+)\.$/.exec(result.textContent);
      if (served) await window.reportAnswer('serve', Number(served[1]));
      else if (result.textContent === 'Nobody is waiting.') await window.reportAnswer('empty', null);
      else throw new Error(`unexpected outcome: ${result.textContent}`);
    }
  }, { name, count });
}

/** A department's panel in the staff console, by id. */
export const panel = (page, id) => page.locator(`.staff-panel[data-department="${id}"]`);

/** Staff at the console in `page` choose the counter they call department `id`'s numbers to. */
export async function chooseCounter(page, id, counter) {
  await page.bringToFront();
  await page.selectOption(`#counter-${id}`, counter);
}

/** Staff press one of a panel's buttons; resolves with what the panel says happened. */
export async function act(page, id, action) {
  await page.bringToFront();
  const before = await page.evaluate(() => window.__served);
  await panel(page, id).locator(`[data-action="${action}"]`).click();
  await page.waitForFunction((count) => window.__served > count, before);
  return panel(page, id).locator('.staff-result').textContent();
}

/**
 * Staff press the button named `name` in department `id`'s panel (a number of a list, say "Call
 * 200 back to counter 1"); resolves with what the panel says happened.
 */
export async function press(page, id, name) {
  await page.bringToFront();
  const before = await page.evaluate(() => window.__served);
  await panel(page, id).getByRole('button', { name, exact: true }).click();
  await page.waitForFunction((count) => window.__served > count, before);
  return panel(page, id).locator('.staff-result').textContent();
}

/** The board's rows for a department with counters: [counter label, number, newest?]. */
export const counterRows = (page, id) => page.locator(`.board-tile[data-department="${id}"] .board-counter`).evaluateAll(
  (rows) => rows.map((row) => [row.querySelector('.board-counter-label').textContent,
    row.querySelector('.board-counter-number').textContent, row.classList.contains('newest')]),
);

/**
 * On a wall screen (`#board`): brings its controls (the header, the sound switch) up, as a
 * moved mouse or a touch does (views/wall-screen.js); they stay 10 s after the last activity.
 */
export async function wallControls(page) {
  await page.bringToFront();
  await page.mouse.move(3, 3);
  await page.mouse.move(4, 4);
  await page.waitForSelector('body[data-controls="open"]');
}
