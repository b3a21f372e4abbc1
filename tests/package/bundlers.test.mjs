// The package in every bundler and runtime of the README's matrix (tests/package/apps.mjs):
// each tiny app is installed from the packed tarball (offline: the tarball has no
// dependencies), built with the bundler `make setup` installed, and run in one headless
// Chromium or from the command line; it takes and serves numbers and reports the answers.
// Then what a user hits when a setup goes wrong: the error must say what to do. The apps stay
// in target/package-apps/ (rebuilt on every run), to look at when a row fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, freePort, waitForHttp } from '../support/browser.mjs';
import {
  expectedAnswers, install, makeApp, moduleScript, packedTarball, page, pkg, root, runApp, subpaths, targets,
  toolVersion, visitApp,
} from './apps.mjs';

const run = promisify(execFile);
const scratch = join(root, 'target', 'package-apps');
let tarball;
let browser;
const servers = [];

before(async () => {
  tarball = await packedTarball();
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
});
after(async () => {
  await browser?.close();
  for (const server of servers) server.kill();
});

/** Python's static server on `dir` (it sends .wasm as application/wasm); resolves with its URL. */
async function serve(dir) {
  const port = await freePort();
  const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir],
    { stdio: 'ignore' });
  servers.push(server);
  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp(url);
  return url;
}

const builtApps = new Map();
/** The matrix's app for a target, built again if its own test did not get that far. */
const appFor = async (id) => builtApps.get(id) ?? makeApp(targets.find((t) => t.id === id), tarball, scratch);

for (const target of targets) {
  const where = target.kind === 'browser' ? 'in Chromium' : 'from the command line';
  test(`${target.name}: the app built from the tarball takes and serves numbers ${where}`, async (t) => {
    const app = await makeApp(target, tarball, scratch);
    builtApps.set(target.id, app);
    t.diagnostic(`${target.tool ?? target.id} ${await toolVersion(target) ?? browser.version()}`);
    if (target.kind === 'runtime') {
      assert.deepEqual(await runApp(app), expectedAnswers(target));
      return;
    }
    const { text, errors, shipped } = await visitApp(browser, await serve(join(app.dir, target.served)));
    assert.ok(!text.startsWith('failed'), text);
    assert.deepEqual(JSON.parse(text), expectedAnswers(target));
    assert.deepEqual(errors, [], 'no console errors or warnings');
    assert.ok(shipped.wasm > 0, `the page loaded the .wasm: ${JSON.stringify(shipped.files)}`);
    t.diagnostic(`shipped, gzipped: ${shipped.js} B JS + ${shipped.wasm} B wasm`);
  });
}

/** An app from the esbuild row, built with other esbuild arguments and perhaps without the recipe. */
async function esbuildApp(id, args, { wasmUrl }) {
  const esbuild = targets.find((t) => t.id === 'esbuild');
  const variant = {
    ...esbuild, id, wasmUrl,
    async build(dir) {
      await run(join(root, 'node_modules', '.bin', 'esbuild'), ['main.js', '--bundle', '--outdir=dist',
        '--log-level=error', ...args], { cwd: dir });
      const iife = !args.includes('--format=esm');
      await writeFile(join(dir, 'dist', 'index.html'), page(iife ? '<script src="main.js"></script>' : moduleScript('main.js')));
    },
  };
  return makeApp(variant, tarball, scratch);
}

/** Visits a built app and returns its failure as { name, code, message }. */
async function failureOf(dir, options) {
  const { text } = await visitApp(browser, await serve(dir), options);
  const failed = /^failed: (\w+) (\w+): (.*)$/s.exec(text);
  assert.ok(failed, `the app should have failed, it says: ${text}`);
  const [, name, code, message] = failed;
  return { name, code, message };
}

const recipe = /import wasmUrl from 'take-a-number-deluxe\/take_a_number_deluxe_bg\.wasm'.*--loader:\.wasm=file.*@rollup\/plugin-url.*init\(\{ module_or_path: wasmUrl \}\)/s;

test('esbuild without the recipe: init() rejects with wasm_not_found, and the message gives the recipe', async () => {
  // The report: esbuild leaves new URL('…wasm', import.meta.url) alone and emits no .wasm.
  const app = await esbuildApp('esbuild-no-recipe', ['--format=esm'], { wasmUrl: false });
  const failure = await failureOf(join(app.dir, 'dist'));
  assert.equal(failure.name, 'InitError');
  assert.equal(failure.code, 'wasm_not_found');
  assert.match(failure.message, /take_a_number_deluxe_bg\.wasm and got 404: the \.wasm is not there/);
  assert.match(failure.message, recipe);
});

test('esbuild IIFE without the recipe: init() rejects with wasm_url_unknown and the recipe', async () => {
  // esbuild's default bundle format has no import.meta, so the default URL cannot be built.
  const app = await esbuildApp('esbuild-iife', [], { wasmUrl: false });
  const failure = await failureOf(join(app.dir, 'dist'));
  assert.equal(failure.code, 'wasm_url_unknown');
  assert.match(failure.message, /no import\.meta\.url \(esbuild: --format=esm\)/);
  assert.match(failure.message, recipe);
});

test('esbuild IIFE with the recipe works: the URL is passed, so import.meta is not needed', async () => {
  const app = await esbuildApp('esbuild-iife-recipe', ['--loader:.wasm=file'], { wasmUrl: true });
  const { text } = await visitApp(browser, await serve(join(app.dir, 'dist')));
  assert.deepEqual(JSON.parse(text), expectedAnswers(app.target));
});

test('a server that answers the .wasm with its HTML fallback page: wasm_invalid says so', async () => {
  const { dir } = await appFor('webpack');
  const failure = await failureOf(join(dir, 'dist'), {
    routes: {
      '**/*.wasm': (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>app</title>' }),
    },
  });
  assert.equal(failure.code, 'wasm_invalid');
  assert.match(failure.message, /\.wasm \(text\/html\) is an HTML page, not the \.wasm/);
  assert.match(failure.message, recipe);
});

test("a Content-Security-Policy without 'wasm-unsafe-eval': wasm_blocked_by_csp names the directive", async () => {
  const { dir } = await appFor('vite');
  const failure = await failureOf(join(dir, 'dist'), {
    routes: {
      '**/': async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': "script-src 'self'" } });
      },
    },
  });
  assert.equal(failure.code, 'wasm_blocked_by_csp');
  assert.match(failure.message, /add 'wasm-unsafe-eval' to its script-src/);
});

test('every subpath the package exports is in the matrix, and the README has a row for every target', async () => {
  const dir = join(scratch, 'manifest');
  await install(dir, tarball, 'app-manifest');
  const installed = join(dir, 'node_modules', pkg);
  const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8'));
  const exported = Object.keys(manifest.exports)
    .filter((key) => !['.', './package.json'].includes(key) && !key.endsWith('.wasm'))
    .map((key) => `${pkg}${key.slice(1)}`);
  assert.deepEqual(exported.sort(), subpaths.map((s) => s.specifier).sort(),
    'add a line to `subpaths` in tests/package/apps.mjs for each subpath export');
  const readme = await readFile(join(installed, 'README.md'), 'utf8');
  for (const target of targets) {
    const row = readme.split('\n').find((line) => line.startsWith(`| ${target.name} |`));
    assert.ok(row, `the package README's matrix has no row for ${target.name}`);
    if (target.tool) assert.ok(row.includes(` ${await toolVersion(target)} `), `${row}\nshould name ${target.tool} ${await toolVersion(target)}`);
    assert.match(row, /\| yes \|$/, row);
  }
});
