// `make bench`, kiosk start-up: how long until a customer can tap "Take a number" (the page
// marks itself usable: body[data-usable]), on a small kiosk computer (headless Chromium with the
// CPU slowed 4x through the DevTools protocol), cold (a fresh profile per run: nothing cached)
// and warm (a browser restart on the same profile, the page served by its service worker).
// Today's page, www/ unbundled from Python's server, is measured in the same run, as is each
// step from it to the shipped build, so every row says what its change bought; a page with
// nothing but a button shows what Chromium itself costs, cold and from a service worker (the
// "x floor" column: the targets were set on a faster machine than some that run this). Each
// start gets a browser launched on its profile and left to settle first (the new headless mode
// loads its own WebUI for a second or two after launch), so the figure is the page's, from
// navigation to ready. Bytes
// are what the page received over the wire until then, headers included, compressed as the
// server sent them. Rows alternate within each run, so drift on this shared machine spreads
// over all of them.
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, freePort, waitForHttp } from '../tests/support/browser.mjs';
import { startNginx } from '../tests/support/nginx.mjs';
import { buildSite } from '../scripts/build-site.mjs';

const RUNS = Number(process.env.START_RUNS ?? 9);
// Built folders to measure beside the shipped build, cold and warm, from nginx: START_COMPARE=label=dir,…
// (an experiment, say, built with `node scripts/build-site.mjs www-variant /tmp/variant`).
const COMPARE = (process.env.START_COMPARE ?? '').split(',').filter(Boolean).map((item) => item.split('='));
const SETTLE_MS = 2_000;
const CPU_SLOWDOWN = 4;
const COLD_TARGET_MS = 250;
const WARM_TARGET_MS = 150;
// The cold floor where these targets were checked first (2026-11-24, BENCHMARKS.md): on a
// slower machine they are read as so many floors, 250 / 115 = 2.2 cold and 150 / 115 = 1.3 warm.
const FLOOR_THEN_MS = 115;
const www = fileURLToPath(new URL('../www/', import.meta.url));
const startLoad = loadavg().map((l) => l.toFixed(1)).join(' ');
const work = await mkdtemp(join(tmpdir(), 'take-a-number-start-'));

// Today's page with a modulepreload hint for every module that its script (first.js) loads at
// once: early.js, which it imports, and early.js's static imports, so the browser fetches them
// all at once instead of one import level after another.
async function preloadedCopy() {
  const dir = join(work, 'modulepreload');
  await cp(www, dir, { recursive: true });
  const { metafile } = await esbuild.build({
    entryPoints: [join(www, 'js/boot/early-screen.js')], bundle: true, format: 'esm', write: false, metafile: true, logLevel: 'silent',
    define: { KIOSK_SERVICE_WORKER: 'undefined' },
    external: ['./main.js'], // imported later, with import(): no hints, as in the built page
  });
  const modules = Object.keys(metafile.inputs).map((path) => path.replace(/^www\//, ''));
  const hints = modules.map((path) => `<link rel="modulepreload" href="${path}">`).join('\n  ');
  const html = await readFile(join(dir, 'index.html'), 'utf8');
  await writeFile(join(dir, 'index.html'), html.replace('<script type="module"', `${hints}\n  <script type="module"`));
  return dir;
}

// The floor: a page with one button and a one-line module, nothing to fetch or compute; and
// for warm starts, a service worker that serves both files from its cache, as the kiosk's does.
async function emptyPage() {
  const dir = join(work, 'floor');
  await mkdir(dir);
  await writeFile(join(dir, 'index.html'), '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Floor</title>'
    + '<script type="module" src="ready.js"></script></head><body><button class="take">Take a number</button></body></html>\n');
  await writeFile(join(dir, 'ready.js'), "document.body.dataset.ready = 'true';\n"
    + "addEventListener('load', () => navigator.serviceWorker.register('sw.js'));\n");
  await writeFile(join(dir, 'sw.js'), `const files = ['./', 'index.html', 'ready.js'];
self.addEventListener('install', (event) => event.waitUntil(caches.open('floor').then((cache) => cache.addAll(files))));
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => event.respondWith(caches.match(event.request).then((hit) => hit ?? fetch(event.request))));
`);
  return dir;
}

function python(root) {
  return freePort().then(async (port) => {
    const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', root], { stdio: 'ignore' });
    const origin = `http://127.0.0.1:${port}`;
    await waitForHttp(`${origin}/`);
    return { origin, stop: async () => { child.kill(); } };
  });
}

// When the first "Take a number" button is in the page, when the page says it is usable (its
// buttons take taps: body[data-usable], or data-ready for a page that does not say), and when
// it is ready (every department's state known). Usable is the figure. The page reports through
// a DevTools binding, so nothing polls it or injects code of its own (Playwright's
// waitForFunction would, and that costs tens of milliseconds at 4x).
const readyProbe = `(() => {
  const at = {};
  new MutationObserver((_, observer) => {
    const body = document.body;
    const button = document.querySelector('button.take');
    if (button) at.button ??= performance.now();
    if (button && !button.disabled && (body.dataset.usable === 'true' || body.dataset.ready === 'true')) at.usable ??= performance.now();
    if (button && body.dataset.ready === 'true') {
      observer.disconnect();
      __kioskReady(JSON.stringify({ ms: at.usable, buttonMs: at.button, readyMs: performance.now() }));
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready', 'data-usable', 'disabled'] });
})();`;

/** One start in `profile`: ms from navigation to a usable button, and the bytes received until then. */
async function start(profile, origin, { keepOpen = false } = {}) {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(), args: chromiumArgs, viewport: { width: 1080, height: 1920 },
  });
  try {
    const page = context.pages()[0] ?? await context.newPage();
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Runtime.enable');
    await cdp.send('Runtime.addBinding', { name: '__kioskReady' });
    await cdp.send('Page.enable');
    await cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: readyProbe });
    const reported = new Promise((resolve) => cdp.on('Runtime.bindingCalled', ({ name, payload }) => {
      if (name === '__kioskReady') resolve(JSON.parse(payload));
    }));
    const requests = new Map();
    cdp.on('Network.requestWillBeSent', ({ requestId, timestamp }) => requests.set(requestId, { timestamp, bytes: 0, sw: false }));
    cdp.on('Network.responseReceived', ({ requestId, response }) => {
      const r = requests.get(requestId);
      if (r) r.sw = response.fromServiceWorker;
    });
    cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
      const r = requests.get(requestId);
      if (r) r.bytes = encodedDataLength;
    });
    await cdp.send('Network.enable');
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    await cdp.send('Page.navigate', { url: `${origin}/` });
    const { ms, buttonMs = ms, readyMs = ms } = await Promise.race([
      reported,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`${origin}: not ready within 60 s`)), 60_000)),
    ]);
    const first = Math.min(...[...requests.values()].map((r) => r.timestamp));
    await page.waitForLoadState('load');
    // Requests made until ready (the icon and the worker's own downloads come later).
    const before = [...requests.values()].filter((r) => r.timestamp <= first + ms / 1000);
    const wire = before.filter((r) => !r.sw).reduce((sum, r) => sum + r.bytes, 0);
    if (keepOpen) {
      // Let the service worker finish installing before the restart that measures it, and
      // keep the customer's first screen (first-screen.js; 5 s at most, the floor has none).
      await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.ready;
        if (!navigator.serviceWorker.controller) {
          await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
        }
        for (let waited = 0; waited < 5_000; waited += 100) {
          if (!document.getElementById('departments') || (await (await fetch('index.html')).text()).includes('data-card=')) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return registration.active.state;
      });
    }
    return { ms, buttonMs, readyMs, wire, requests: before.length, fromWorker: before.filter((r) => r.sw).length };
  } finally {
    await context.close();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const servers = [];
try {
  const bundledNoPreload = (await buildSite({ to: join(work, 'bundled'), preload: [], compress: false })).to;
  const shipped = (await buildSite({ to: join(work, 'shipped') })).to;
  const floor = await startNginx({ root: await emptyPage() });
  const today = await python(www);
  const preloaded = await python(await preloadedCopy());
  const bundled = await python(bundledNoPreload);
  const shippedPython = await python(shipped);
  const nginx = await startNginx({ root: shipped });
  servers.push(floor, today, preloaded, bundled, shippedPython, nginx);

  const rows = [
    { name: 'floor: a button and a one-line module (nginx)', origin: floor.origin, floor: true },
    { name: 'floor, warm: the same from its service worker', origin: floor.origin, floor: true, warm: true },
    { name: "today's page: www/ unbundled, Python's server", origin: today.origin, today: true },
    { name: '+ modulepreload hints for its modules (unbundled)', origin: preloaded.origin },
    { name: 'instead, bundled and minified by esbuild', origin: bundled.origin },
    { name: "+ preload hints: early.js's chunks (first.js imports it at once), config.json, the texts (the shipped build, Python)", origin: shippedPython.origin },
    { name: '+ nginx with deploy/ config: gzip, cache headers', origin: nginx.origin },
    { name: 'warm: browser restart, page from the service worker, with the first screen it kept', origin: nginx.origin, warm: true },
  ];
  for (const [label, dir] of COMPARE) {
    const server = await startNginx({ root: dir });
    servers.push(server);
    rows.push({ name: `compare: ${label}`, origin: server.origin, compare: true });
    rows.push({ name: `compare, warm: ${label}`, origin: server.origin, compare: true, warm: true });
  }
  for (const row of rows) row.runs = [];

  for (let run = 0; run < RUNS; run++) {
    for (const row of rows) {
      const profile = await mkdtemp(join(work, 'profile-'));
      if (row.warm) await start(profile, row.origin, { keepOpen: true });
      row.runs.push(await start(profile, row.origin));
      await rm(profile, { recursive: true, force: true });
    }
    process.stdout.write(`start-up run ${run + 1}/${RUNS}\r`);
  }

  const medianOf = (row) => median(row.runs.map((r) => r.ms));
  const base = medianOf(rows.find((row) => row.today));
  // What Chromium alone costs here, cold and warm: the targets were set on a faster machine, so
  // each row also says how many floors it takes (BENCHMARKS.md).
  const floorOf = (warm) => medianOf(rows.find((row) => row.floor && Boolean(row.warm) === warm));
  const table = rows.map((row, i) => {
    const ms = row.runs.map((r) => r.ms);
    const m = median(ms);
    const steps = !row.floor && !row.today && !row.compare && !row.warm;
    const previous = steps ? medianOf(rows[i - 1]) : null;
    const target = row.floor || row.compare ? null : row.warm ? WARM_TARGET_MS : rows[i + 1]?.warm ? COLD_TARGET_MS : null;
    return {
      row: row.name,
      median: m,
      min: Math.min(...ms),
      max: Math.max(...ms),
      vsToday: row.floor ? null : m / base,
      floors: m / floorOf(Boolean(row.warm)),
      button: median(row.runs.map((r) => r.buttonMs)),
      ready: median(row.runs.map((r) => r.readyMs)),
      bought: previous === null ? null : previous - m,
      compare: Boolean(row.compare),
      wire: median(row.runs.map((r) => r.wire)),
      requests: median(row.runs.map((r) => r.requests)),
      fromWorker: median(row.runs.map((r) => r.fromWorker)),
      target,
      pass: target === null ? null : m <= target,
      floorTarget: target === null ? null : target / FLOOR_THEN_MS,
      floorPass: target === null ? null : m / floorOf(Boolean(row.warm)) <= target / FLOOR_THEN_MS,
    };
  });
  const header = `kiosk start-up, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, ${cpus()[0]?.model ?? ''}, CPU slowed ${CPU_SLOWDOWN}x, ${RUNS} runs per row, load average ${startLoad} at the start, ${loadavg().map((l) => l.toFixed(1)).join(' ')}`;
  console.log(`\n${header}\n`);
  console.log('| start | usable: median (range) | vs today | this change bought | x floor | button in the page | state known | over the wire (requests) | target |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const t of table) {
    const wire = t.fromWorker > 0 && t.wire < 1000 ? `${fmt(t.wire)} B (${t.fromWorker} from the worker)` : `${fmt(t.wire / 1024, 1)} KB (${t.requests})`;
    const verdict = t.target === null ? ''
      : `<= ${t.target} ms: ${t.pass ? 'pass' : 'MISS'}; <= ${fmt(t.floorTarget, 1)}x floor: ${t.floorPass ? 'pass' : 'MISS'}`;
    const bought = t.bought === null ? '' : `${t.bought >= 0 ? '-' : '+'}${fmt(Math.abs(t.bought))} ms`;
    console.log(`| ${t.row} | ${fmt(t.median)} ms (${fmt(t.min)}-${fmt(t.max)}) | ${t.vsToday === null ? '' : `${fmt(t.vsToday, 2)}x`} | ${bought} | ${fmt(t.floors, 1)}x | ${fmt(t.button)} ms | ${fmt(t.ready)} ms | ${wire} | ${verdict} |`);
  }
  await mkdir(new URL('../target/bench/', import.meta.url), { recursive: true });
  await writeFile(new URL('../target/bench/start.json', import.meta.url), JSON.stringify({ header, table, rows }, null, 2));
} finally {
  for (const server of servers) await server.stop();
  await rm(work, { recursive: true, force: true });
}
