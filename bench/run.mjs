// `make bench`: every figure of the benchmark issue in one table, each against its target.
// Native figures come from `cargo bench --bench rules` (target/bench/native.json, run first by
// make); the JS figures are measured here in Node and in headless Chromium, with the plain-JS
// baseline actor (bench/baseline.mjs) measured side by side in the same run.
// A missed target is reported, not fatal: benchmarks are not tests.
import { readdir, readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, serveDirectory } from '../tests/support/browser.mjs';
import { sharedRows } from './shared.mjs';
import { report, measuredOn } from './report.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const at = (path) => new URL(`../${path}`, import.meta.url);

// Count timers before anything can arm one: the package looks the globals up at call time.
const timers = { armed: 0, pending: new Set(), maxPending: 0 };
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
let counting = false;
globalThis.setTimeout = (fn, ms, ...args) => {
  const id = realSetTimeout((...a) => { timers.pending.delete(id); fn(...a); }, ms, ...args);
  if (counting) {
    timers.armed++;
    timers.pending.add(id);
    timers.maxPending = Math.max(timers.maxPending, timers.pending.size);
  }
  return id;
};
globalThis.clearTimeout = (id) => {
  timers.pending.delete(id);
  realClearTimeout(id);
};

const { default: init, Machine } = await import(at('pkg/node.js'));
const { JsMachine } = await import('./baseline.mjs');
const { perCall, scaling } = await import('./core.mjs');
const wasm = await init();

const rows = [];
const row = (figure, measured, target, pass, note = '') => rows.push({ figure, measured, target, pass, note });
const fmt = (x, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

// 1. Per-call cost against the baseline, Node then Chromium.
function perCallRows(runtime, results) {
  for (const r of results) {
    row(`${runtime}: ${r.name}, ${r.mode}`, `${fmt(r.wasmNs)} ns vs ${fmt(r.jsNs)} ns = ${fmt(r.ratio, 2)}x`,
      '<= 1.25x', r.ratio <= 1.25);
  }
}
perCallRows('Node', await perCall({ Machine, JsMachine }));

const browserResults = await inChromium();
perCallRows('Chromium', browserResults.perCall);

// 2. Scaling: native (cargo bench) and through the JS API in wasm.
const native = JSON.parse(await readFile(at('target/bench/native.json'), 'utf8'));
for (const scenario of [...new Set(native.map((r) => r.scenario))]) {
  const small = native.find((r) => r.scenario === scenario && r.size === 100);
  const big = native.find((r) => r.scenario === scenario && r.size === 1_000_000);
  const ratio = big.ours_ns / small.ours_ns;
  const extra = scenario.startsWith('fragmented');
  row(`native scaling: ${scenario}`, `${fmt(small.ours_ns, 1)} -> ${fmt(big.ours_ns, 1)} ns = ${fmt(ratio, 2)}x`,
    extra ? '(worst case, informative)' : '<= 2x', extra ? null : ratio <= 2);
}
for (const r of await scaling({ Machine })) {
  row(`wasm scaling (Node): ${r.name}`, `${fmt(r.perSize[100])} -> ${fmt(r.perSize[1_000_000])} ns = ${fmt(r.ratio, 2)}x`,
    '<= 2x', r.ratio <= 2);
}

// 3. Timers during 10^5 messages to a machine with a finite timeout, spread over several
// timeouts so the idle timer must fire and re-check.
async function timerRun(M) {
  timers.armed = 0;
  timers.maxPending = 0;
  counting = true;
  const m = new M({ minNumber: 1, maxNumber: Number.MAX_SAFE_INTEGER, autoShutdownTimeout: 20 });
  const began = performance.now();
  for (let i = 0; i < 100_000; i += 4) {
    m.send(i);
    m.resetState();
    m.queueNewNumber();
    await m.serveNextQueuedNumber();
    if (i % 4_000 === 0) await new Promise((resolve) => realSetTimeout(resolve, 5));
  }
  const ms = performance.now() - began;
  await m.stop();
  counting = false;
  return { armed: timers.armed, maxPending: timers.maxPending, ms };
}
const wasmTimers = await timerRun(Machine);
const jsTimers = await timerRun(JsMachine);
row('timers: most pending at once (10^5 messages)', `${wasmTimers.maxPending} (baseline ${jsTimers.maxPending})`, '<= 1',
  wasmTimers.maxPending <= 1);
row('timers: armed in total', `${wasmTimers.armed} over ${fmt(wasmTimers.ms)} ms, 20 ms timeout (baseline ${jsTimers.armed})`,
  '<= 5 + duration / timeout', wasmTimers.armed <= 5 + wasmTimers.ms / 20,
  'the idle timer re-arms once per timeout period at most');

// 4. Size of the release package.
const wasmBytes = await readFile(at('pkg/take_a_number_deluxe_bg.wasm'));
// The glue is the generated module plus the JS it imports: the snippets (src/replies.js) and
// the loading errors (src/init-errors.js).
const snippetFiles = await readdir(at('pkg/snippets/'), { recursive: true, withFileTypes: true });
const snippets = await Promise.all(snippetFiles.filter((f) => f.isFile())
  .map((f) => readFile(`${f.parentPath ?? f.path}/${f.name}`)));
const glueBytes = Buffer.concat([await readFile(at('pkg/take_a_number_deluxe.js')),
  await readFile(at('pkg/init-errors.js')), ...snippets]);
const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
row('size: wasm, gzipped', `${fmt(gz(wasmBytes))} B (${fmt(wasmBytes.length)} B raw)`, '<= 12,000 B', gz(wasmBytes) <= 12_000);
row('size: JS glue + imports, gzipped', `${fmt(gz(glueBytes))} B (${fmt(glueBytes.length)} B raw)`, '<= 4,000 B', gz(glueBytes) <= 4_000);

// 5. Memory per queued number at 10^6 queued.
async function bytesPerQueued(fragment) {
  const m = new Machine({ minNumber: 0, maxNumber: Number.MAX_SAFE_INTEGER });
  await m.queueNewNumber();
  const before = wasm.memory.buffer.byteLength;
  const count = fragment ? 2_000_000 : 1_000_000;
  for (let i = 1; i < count; i += 10_000) {
    await Promise.all(Array.from({ length: Math.min(10_000, count - i) }, () => m.queueNewNumber()));
  }
  if (fragment) {
    for (let k = 0; k < count; k += 20_000) {
      await Promise.all(Array.from({ length: 10_000 }, (_, j) => m.serveNextQueuedNumber(k + 2 * j)));
    }
  }
  const queued = (await m.reportState()).queue.length;
  const grown = wasm.memory.buffer.byteLength - before;
  await m.stop();
  return { perNumber: grown / queued, grown, queued };
}
const sequentialMemory = await bytesPerQueued(false);
row('memory per queued number (10^6 taken in order)', `${fmt(sequentialMemory.perNumber, 2)} B (${fmt(sequentialMemory.grown)} B for ${fmt(sequentialMemory.queued)})`,
  '<= 32 B', sequentialMemory.perNumber <= 32);
const fragmentedMemory = await bytesPerQueued(true);
row('memory per queued number (10^6, every other one served)', `${fmt(fragmentedMemory.perNumber, 2)} B`,
  '(worst case, informative)', null);

// The table.
const header = `take-a-number-deluxe benchmarks, ${measuredOn()}, ${browserResults.userAgent}`;
await report('results', header, rows, { targetWidth: 24 });
const missed = rows.filter((r) => r.pass === false).length;
console.log(`\n${rows.filter((r) => r.pass).length} targets met, ${missed} missed (see BENCHMARKS.md for the reasons)`);

async function inChromium() {
  const server = await serveDirectory(root);
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: [...chromiumArgs, '--js-flags=--expose-gc'] });
  try {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/bench/browser.html`);
    const results = await page.evaluate(() => window.benchmark());
    await sharedRows(server.origin, row, fmt);
    return { ...results, userAgent: `Chromium ${browser.version()}` };
  } finally {
    await browser.close();
    server.close();
  }
}
