// The site build (scripts/build-site.mjs): what it writes, what the service worker precaches,
// and that it follows the files in www/ without being told about them. Each test builds a
// scratch copy of www/ (with www/pkg, from `make www/pkg`) into a scratch folder.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile, mkdir, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { buildSite } from '../../scripts/build-site.mjs';
import { buildMetaTag, isFirstScreen, withFirstScreen } from '../../www/js/boot/kept-screen.js';
import { FIRST_SCREEN } from '../../www/js/boot/sw-protocol.js';

const www = fileURLToPath(new URL('../../www/', import.meta.url));
const scratch = await mkdtemp(join(tmpdir(), 'take-a-number-build-'));
after(() => rm(scratch, { recursive: true, force: true }));

let count = 0;
async function copyOfWww(change = async () => {}) {
  const dir = join(scratch, `www-${++count}`);
  await cp(www, dir, { recursive: true });
  await change(dir);
  return dir;
}
const build = (from, options = {}) => buildSite({ from, to: join(scratch, `out-${++count}`), ...options });
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

async function filesOf(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath ?? e.path, e.name))).sort();
}

/** The code of every script the build wrote into assets/. */
async function pageScripts(to) {
  const names = (await readdir(join(to, 'assets'))).filter((f) => f.endsWith('.js'));
  return Promise.all(names.map((f) => readFile(join(to, 'assets', f), 'utf8')));
}

test('every file of the build is precached with its SHA-256, except the worker, config.json and .gz', async () => {
  const { to, precache, version } = await build(await copyOfWww());
  const files = await filesOf(to);
  const expected = files.filter((f) => f !== 'sw.js' && f !== 'config.json' && !f.endsWith('.gz'));
  assert.deepEqual(precache.map((e) => e.url).sort(), expected);
  for (const { url, sha256: hash } of precache) assert.equal(hash, sha256(await readFile(join(to, url))), url);
  const worker = await readFile(join(to, 'sw.js'), 'utf8');
  for (const { url, sha256: hash } of precache) {
    assert.ok(worker.includes(url) && worker.includes(hash), `sw.js carries ${url} and its hash`);
  }
  assert.ok(worker.includes(version), 'sw.js carries the version its cache is named after');
  for (const name of ['index.html', 'manifest.webmanifest', 'icons/icon-192.png', 'icons/icon-512.png']) {
    assert.ok(expected.includes(name), `${name} is precached`);
  }
  assert.ok(files.includes('config.json'), 'config.json is served, at its own URL');
});

test('index.html loads a small first script and preloads what its first screen needs, and every reference exists', async () => {
  const { to } = await build(await copyOfWww());
  const html = await readFile(join(to, 'index.html'), 'utf8');
  const references = [...html.matchAll(/\b(?:src|href)="([^"#]+)"/g)].map(([, url]) => url).filter((url) => !url.startsWith('data:'));
  for (const url of references) await readFile(join(to, url)); // throws when missing
  assert.equal(new Set(references).size, references.length, 'each file is named once');
  const script = /<script type="module" src="(assets\/first-[A-Z0-9]+\.js)"><\/script>/.exec(html)?.[1];
  assert.ok(script, 'the first script is first.js');
  assert.equal([...html.matchAll(/<script\b/g)].length, 1, 'one script: early.js and main.js are imported after it');
  // first.js is all a start from the worker's cache waits for (first-screen.js): one request.
  assert.doesNotMatch(await readFile(join(to, script), 'utf8'), /\bimport\s*[{*"]|\bfrom\s*"/, 'first.js imports nothing statically');
  assert.match(html, /<link rel="stylesheet" href="assets\/kiosk-[A-Z0-9]+\.css">/);
  // The first screen waits for config.json and the texts of every offered language.
  for (const file of ['config.json', 'i18n/en.json', 'i18n/es.json']) {
    assert.match(html, new RegExp(`<link rel="preload" href="${file.replace('.', '\\.')}" as="fetch" crossorigin>`), `${file} is preloaded`);
  }
  // early.js and its chunks are hinted (first.js imports it at once), main.js and the wasm not:
  // hints for them made the first screen later (scripts/build-site.mjs).
  assert.doesNotMatch(html, /\.wasm"|as="script"/, 'nothing of main.js is preloaded');
  assert.doesNotMatch(html, /"(?:js|css|pkg)\//, 'nothing points at the unbundled sources');
  assert.equal((await filesOf(to)).filter((f) => f.startsWith('js/') || f.startsWith('pkg/')).length, 0,
    'the unbundled modules and the package copy are not shipped');
  // What the first script compiles before the customer's buttons show: itself and its chunks,
  // not the machines' glue, which comes with main.js.
  const read = (path) => readFile(join(to, path), 'utf8');
  const modulepreloaded = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)].map(([, path]) => path);
  const first = await Promise.all([script, ...modulepreloaded].map(read));
  assert.ok(first.some((code) => code.includes('"data-card"')), 'the hints bring early.js, which builds the cards');
  const wasm = (await readdir(join(to, 'assets'))).find((f) => /^take_a_number_deluxe_bg-[0-9a-f]{12}\.wasm$/.test(f));
  assert.ok(wasm, 'the wasm is in assets/ under a hashed name');
  const glue = `new URL("./${wasm}",import.meta.url)`;
  assert.equal(first.filter((code) => code.includes(glue)).length, 0, 'no wasm glue before the first screen');
  // 20,000 until the Settings view (a later chunk) shared the validator and the routes with the
  // first screen: the build then splits them into chunks of their own, ~600 bytes of imports and
  // exports between chunks, and no code the first screen runs more. Then ~1,100 bytes more: the
  // first screen runs the manager's saved settings (model/settings-in-use.js), so that its
  // buttons are the departments the facility has now, offline too. config.js then stopped
  // re-exporting toRaw (config-raw.js, ~630 bytes the first screen never ran): room for
  // reading the printing settings.
  assert.ok(first.reduce((sum, code) => sum + code.length, 0) < 22_000, 'the first script and its chunks stay small');
  // The glue is in main.js's graph, or in a chunk that it shares with the hub's bundle (loaded
  // only in hub mode): either way in assets/, next to the hashed wasm.
  assert.equal((await pageScripts(to)).filter((code) => code.includes(glue)).length, 1, 'one glue loads the hashed wasm next to it');
  assert.ok(first.some((code) => code.includes('new URL("../config.json",import.meta.url)')),
    'config.json keeps its URL (the facility edits it on the server), and the first script asks for it');
});

test('the worker puts a kept first screen into the built page it was taken from, and no other', async () => {
  const from = await copyOfWww();
  const { to } = await build(from);
  const html = await readFile(join(to, 'index.html'), 'utf8');
  const id = /<meta name="build" content="([0-9a-f]{16})">/.exec(html)?.[1];
  assert.ok(id, 'the built page has an id');
  const screen = { type: FIRST_SCREEN, config: '{}', build: id, lang: 'es', title: 'Salud & <Centro>', body: '\n  <p id="kept">Farmacia</p>\n' };
  assert.equal(isFirstScreen(screen), true);
  const page = withFirstScreen(html, screen);
  assert.match(page, /^<!doctype html>\n<html lang="es">\n<head>/);
  assert.match(page, /<title>Salud &amp; &lt;Centro><\/title>/);
  assert.ok(page.endsWith('<body>\n  <p id="kept">Farmacia</p>\n</body>\n</html>\n'), 'the body is the kept one');
  // Everything else of the head stays; the preload hints go, as they would compete with first.js.
  const withoutHints = html.split('\n').filter((line) => !/^\s*<link rel="(?:modulepreload|preload)"/.test(line));
  assert.ok(withoutHints.length < html.split('\n').length, 'the built page has hints');
  const head = (text) => text.slice(text.indexOf('</title>'), text.indexOf('<body>'));
  assert.equal(head(page), head(withoutHints.join('\n')));
  // A page whose body changed, its scripts not: another id, and the screen of the one before is
  // not put into it.
  await writeFile(join(from, 'index.html'), (await readFile(join(from, 'index.html'), 'utf8')).replace('<main id="main"', '<p>new</p>\n  <main id="main"'));
  const changed = await readFile(join((await build(from)).to, 'index.html'), 'utf8');
  assert.equal(changed.match(/<script[^>]*>/)[0], html.match(/<script[^>]*>/)[0], 'the same script');
  assert.ok(!changed.includes(buildMetaTag(id)), 'another id');
  assert.equal(withFirstScreen(changed, screen), null, 'another build\'s screen');
  assert.equal(withFirstScreen(html.replace(/<body>[\s\S]*/, ''), screen), null, 'a page it cannot place it in');

  for (const [what, bad] of [
    ['another message', { ...screen, type: 'check-config' }],
    ['a language that is no code', { ...screen, lang: 'es" onload="x' }],
    ['no build id', { ...screen, build: '' }],
    ['a build id that is no id', { ...screen, build: '" x="' }],
    ['a body that is no text', { ...screen, body: { html: '' } }],
    ['no configuration', { ...screen, config: undefined }],
    ['a body beyond any facility\'s cards', { ...screen, body: 'x'.repeat(300_000) }],
  ]) assert.equal(isFirstScreen(bad), false, what);
  assert.equal(isFirstScreen(null), false);
});

test('the same sources build the same version; a changed file or worker makes a new one; config.json does not', async () => {
  const from = await copyOfWww();
  const first = await build(from);
  const again = await build(from);
  assert.equal(again.version, first.version);
  assert.deepEqual(again.precache, first.precache);

  await appendFile(join(from, 'css/kiosk.css'), '\n.test-only-rule { color: red; }\n');
  const styled = await build(from);
  assert.notEqual(styled.version, first.version);
  const names = (r) => r.precache.map((e) => e.url).filter((u) => u.startsWith('assets/')).sort();
  const changed = names(styled).filter((name) => !names(first).includes(name));
  assert.equal(changed.length, 1, 'only the stylesheet got a new name');
  assert.match(changed[0], /^assets\/kiosk-/);

  await appendFile(join(from, 'js/boot/service-worker.js'), '\nself.testOnlyFlag = true;\n');
  const reworked = await build(from);
  assert.notEqual(reworked.version, styled.version, 'the worker\'s own code is part of the version');
  assert.deepEqual(reworked.precache, styled.precache);

  const config = JSON.parse(await readFile(join(from, 'config.json'), 'utf8'));
  config.facility = 'Another facility';
  await writeFile(join(from, 'config.json'), JSON.stringify(config));
  const reconfigured = await build(from);
  assert.equal(reconfigured.version, reworked.version, 'config.json is the facility\'s file, not part of the build');
  assert.equal(JSON.parse(await readFile(join(reconfigured.to, 'config.json'), 'utf8')).facility, 'Another facility');
});

test('new files in www/ are built without telling the build: a translation, a worker, a module', async () => {
  const from = await copyOfWww(async (dir) => {
    await mkdir(join(dir, 'locales'));
    await writeFile(join(dir, 'locales/fr.json'), '{"take":"Prenez un numéro"}\n');
    // A worker script in the package copy, reached the way bundlers expect: new URL(…, import.meta.url).
    await writeFile(join(dir, 'pkg/shared.js'),
      "import init, { Machine } from './take_a_number_deluxe.js';\nawait init();\nself.onconnect = () => new Machine({ minNumber: 1, maxNumber: 9 });\n");
    await writeFile(join(dir, 'js/worker-view.js'),
      "export const worker = () => new SharedWorker(new URL('../pkg/shared.js', import.meta.url), { type: 'module' });\n");
    await appendFile(join(dir, 'js/main.js'), "\nimport { worker } from './worker-view.js';\nglobalThis.kioskWorker = worker;\n");
  });
  const { to, precache } = await build(from);
  const urls = precache.map((e) => e.url);
  assert.ok(urls.includes('locales/fr.json'), 'the translation is copied and precached');
  const shared = urls.find((u) => /^assets\/shared-[A-Z0-9]+\.js$/.test(u));
  assert.ok(shared, 'the worker is bundled into assets/ under a hashed name');
  const workerCode = await readFile(join(to, shared), 'utf8');
  assert.match(workerCode, /new URL\("\.\/take_a_number_deluxe_bg-[0-9a-f]{12}\.wasm",import\.meta\.url\)/, 'the worker loads the hashed wasm');
  const scripts = await pageScripts(to);
  assert.equal(scripts.filter((code) => code.includes(`new URL("./${shared.slice('assets/'.length)}",import.meta.url)`)).length, 1,
    'the page points at the bundled worker');
});

test('assets/ is precompressed (gzip -9) for nginx; files the facility may edit are not', async () => {
  const { to } = await build(await copyOfWww());
  const files = await filesOf(to);
  const gz = files.filter((f) => f.endsWith('.gz'));
  assert.ok(gz.length >= 3);
  for (const file of gz) {
    assert.ok(file.startsWith('assets/'), `${file} is under assets/`);
    const original = await readFile(join(to, file.slice(0, -3)));
    const compressed = await readFile(join(to, file));
    assert.deepEqual(gunzipSync(compressed), original);
    assert.ok(compressed.length < original.length, `${file} is smaller`);
  }
  assert.ok(!files.includes('config.json.gz'), 'a stale config.json.gz would hide every edit of config.json');
});

test('only the built page registers the service worker; www/ as it is stays without one', async () => {
  const { to } = await build(await copyOfWww());
  assert.equal((await pageScripts(to)).filter((code) => /"sw\.js"/.test(code)).length, 1, 'the page registers sw.js');
  const source = await readFile(join(www, 'js/boot/updates.js'), 'utf8');
  assert.match(source, /typeof KIOSK_SERVICE_WORKER === 'string'/);
  // Unbuilt, in a browser-like global without the constant, keepUpToDate registers nothing.
  globalThis.navigator ??= {};
  const registered = [];
  Object.defineProperty(globalThis.navigator, 'serviceWorker', { value: { register: (url) => registered.push(url) }, configurable: true });
  const { keepUpToDate } = await import('../../www/js/boot/updates.js');
  keepUpToDate().watch({ busy: () => false });
  assert.deepEqual(registered, []);
});
