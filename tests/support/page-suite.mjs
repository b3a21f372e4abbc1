// The lifecycle of a Chromium test file of the kiosk page, registered once here: www/ served as
// `make serve` serves it and Debian's Chromium launched for the file; for each test, a fresh
// browser context (one record: every window of it shares the machines) at 1280x800, and after
// the test no console error, page error or CSP violation in any page opened with `open`.
import { before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from './browser.mjs';
import { serveWww, shots, instrument, recordSound, watchProblems } from './kiosk-page.mjs';

/**
 * Registers the node:test hooks of a file and returns the suite: `origin`, `browser`, and the
 * current test's `context` and `problems` (set before each test), with `newContext` and `open`.
 * A file whose tests use them as plain names binds them for each test:
 *
 *     const suite = pageSuite();
 *     const { newContext, open } = suite;
 *     let origin, context, problems;
 *     beforeEach(() => ({ origin, context, problems } = suite));
 *
 * A test may close its context and open another in its place (with another configuration, say):
 * after each test every context `newContext` opened and nobody closed is closed.
 */
export function pageSuite() {
  let server;
  const unclosed = new Set();
  const suite = {
    origin: undefined,
    browser: undefined,
    context: undefined,
    problems: undefined,

    /**
     * A browser context whose pages are instrumented (answers counted, CSP violations logged,
     * sound recorded), served `config` instead of the shipped config.json when one is given.
     */
    async newContext(viewport, options = {}, config = null) {
      const ctx = await suite.browser.newContext({ viewport, ...options });
      unclosed.add(ctx);
      ctx.on('close', () => unclosed.delete(ctx));
      await ctx.addInitScript(instrument);
      await ctx.addInitScript(recordSound);
      if (config) await ctx.route('**/config.json', (route) => route.fulfill({ json: config }));
      return ctx;
    },

    /** A new page of `ctx` at `hash`, its problems watched; resolves once the page is ready. */
    async open(ctx, hash = '') {
      const page = await ctx.newPage();
      watchProblems(page, suite.problems);
      await page.goto(`${suite.origin}/${hash}`);
      await page.waitForSelector('body[data-ready="true"]');
      return page;
    },
  };

  before(async () => {
    server = await serveWww();
    suite.origin = server.origin;
    suite.browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
    await mkdir(shots, { recursive: true });
  });

  after(async () => {
    await suite.browser?.close();
    server?.close();
  });

  beforeEach(async () => {
    suite.problems = [];
    suite.context = await suite.newContext({ width: 1280, height: 800 });
  });

  afterEach(async () => {
    await Promise.all([...unclosed].map((ctx) => ctx.close()));
    assert.deepEqual(suite.problems, [], 'no console errors, page errors or CSP violations');
  });

  return suite;
}
