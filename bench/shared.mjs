// `make bench`, the shared machine: what a call costs through one machine shared by the windows
// of a browser, against a Machine of the window's own, measured side by side in the same
// windows. The host answers after its record has committed to IndexedDB (strict durability),
// which is most of the cost; a burst of calls shares one commit.
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../tests/support/browser.mjs';

const ROUNDS = 5;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Rows for the table: `row(figure, measured, target, pass, note)`. */
export async function sharedRows(origin, row, fmt) {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
  try {
    const context = await browser.newContext();
    const host = await context.newPage();
    const client = await context.newPage();
    for (const page of [host, client]) await page.goto(`${origin}/bench/shared-page.html`);
    const name = `bench-${Date.now()}`;
    if (!(await host.evaluate((n) => window.join(n), name))) throw new Error('the first window should host');
    if (await client.evaluate((n) => window.join(n), name)) throw new Error('the second window should not host');
    const runs = { host: [], client: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [who, page] of [['host', host], ['client', client]]) {
        runs[who].push(await page.evaluate(() => window.measure({ calls: 200, burst: 500 })));
      }
    }
    for (const who of ['host', 'client']) {
      const where = who === 'host' ? 'from the hosting window' : 'from another window';
      for (const mode of ['awaited', 'burst']) {
        const us = (kind) => median(runs[who].map((r) => r[kind][mode]));
        const ratio = median(runs[who].map((r) => r.shared[mode] / r.direct[mode]));
        row(`Chromium shared machine, take/serve ${mode === 'awaited' ? 'awaited one by one' : 'in a burst of 500'}, ${where}`,
          `${fmt(us('shared'), 1)} us vs ${fmt(us('direct'), 1)} us direct = ${fmt(ratio, 0)}x`
          + ` (${fmt(us('unsaved'), 1)} us with the record in memory)`, '(added cost, informative)', null);
      }
    }
  } finally {
    await browser.close();
  }
}
