// What the Chromium tests of the kiosk page share: www/ served as `make serve` serves it, a
// browser context that reports CSP violations and counts the page's answers, and the taps a
// customer or a member of staff makes.
import { fileURLToPath } from 'node:url';
import { serveDirectory } from './browser.mjs';

export const www = fileURLToPath(new URL('../../www/', import.meta.url));

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

/** Collects the console errors, page errors and CSP violations of `page` into `problems`. */
export function watchProblems(page, problems) {
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
}

export const card = (page, name) => page.locator('.department-card', { has: page.getByRole('heading', { name, exact: true }) });
export const staffPanel = (page, name) => page.locator('.staff-panel', { has: page.getByRole('heading', { name, exact: true }) });
export const boardTile = (page, name) => page.locator('.board-tile', { has: page.getByRole('heading', { name, exact: true }) });

/** A customer taps "Take a number" in department `name`; resolves once the page has answered. */
export async function take(page, name) {
  const before = await page.evaluate(() => window.__answers);
  await card(page, name).getByRole('button', { name: 'Take a number' }).click();
  await page.waitForFunction((count) => window.__answers > count, before);
}
