// axe-core in a page of the Chromium tests: the scan that fails a test on any serious or
// critical accessibility violation.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

export const axeSource = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

/** Scans `page` as it is now; `where` names it in the failure. */
export async function scan(page, where) {
  // Mid-animation colours (a ticket fading in, a number flashing) are not what a reader sees.
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => { a.finish(); return a.finished; })));
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${where}: ${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`), []);
}
