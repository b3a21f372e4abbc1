// Builds the kiosk page in www/ into build/www/, the folder `make serve` and deploy/ serve:
//
// - every `<script type="module">` and stylesheet of each top-level HTML page is bundled and
//   minified by esbuild into assets/, named by content hash, so one request replaces the chain
//   of module requests the browser otherwise discovers one level at a time;
// - what code references with `new URL('…', import.meta.url)` (the package's .wasm, a worker
//   script) is hashed into assets/ too: files are copied, scripts bundled as entries of their own;
// - the HTML gets the hashed names, an id of its own (first-screen.js), plus preload hints
//   for its scripts' static chunks (and, for the first script, those of what it imports at
//   once), for the .wasm and .json files that code fetches (config.json) and for the language
//   files the page asks for at start, so they download while the script is parsed instead of
//   one after the other once it runs (what a script imports later with import() is fetched
//   then);
// - every other file (config.json, the web app manifest, icons, translations) is copied as is;
// - the service worker (www/js/boot/service-worker.js) is bundled last, with the precache manifest:
//   every file of the built folder and its SHA-256. The cache name is derived from that list and
//   the worker's code, so any change of content makes a new worker and a new cache, and nothing
//   else does.
//
// `node scripts/build-site.mjs [from] [to]`; bench/start.mjs calls buildSite() for variants.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { withoutNkeys } from './lib/without-nkeys.mjs';
import { isLanguage } from '../www/js/language/messages.js';
import { FALLBACK } from '../www/js/language/page-language.js';
import { buildMetaTag } from '../www/js/boot/kept-screen.js';
import { FOLLOW_PAGE } from '../www/js/follow/address.js';
import { followConfigOf } from '../www/js/follow/follow-config.js';

const root = fileURLToPath(new URL('../', import.meta.url));

/** Files that are inputs of the bundler, never copied as they are. */
const CODE = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.css', '.map', '.wasm', '.md']);
/** Folders of www/ that only feed the bundler (the package copy made by `make www/pkg`). */
const BUNDLER_ONLY = new Set(['pkg']);
/** The facility's own file: never precompressed (it is edited on the server) or hash-checked. */
export const CONFIG_FILE = 'config.json';
export const SERVICE_WORKER = 'sw.js';
const SERVICE_WORKER_SOURCE = 'js/boot/service-worker.js';
/** What nginx's gzip_static may serve precompressed: immutable, content-hashed build output. */
const PRECOMPRESSED_DIR = 'assets';
const COMPRESSIBLE = new Set(['.js', '.css', '.wasm', '.json', '.svg', '.html', '.webmanifest']);
/** Literal `new URL('<relative path>', import.meta.url)`, as written or as minified. */
const URL_REFERENCE = /new\s+URL\(\s*(["'`])((?:\.{1,2}\/)?[^"'`$]+?)\1\s*,\s*import\.meta\.url\s*\)/g;

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const posix = (path) => path.split(sep).join('/');

/**
 * Builds `from` into `to` (emptied first) and returns what was built.
 * @param minify   esbuild's minification (on for production)
 * @param preload  which fetched files (by extension) get preload hints in the HTML, besides
 *                 modulepreload for chunks (none with [])
 * @param compress write .gz next to the files of assets/ for nginx's gzip_static
 * @param hub      the facility hub's WebSocket address(es), written into the built config.json
 *                 (`HUB_URL` for `make serve`), or undefined to keep the config's own
 */
export async function buildSite({
  from = join(root, 'www'),
  to = join(root, 'build', 'www'),
  minify = true,
  preload = ['.wasm', '.json'],
  compress = true,
  hub = undefined,
} = {}) {
  from = resolve(from);
  to = resolve(to);
  await rm(to, { recursive: true, force: true });
  const assets = join(to, PRECOMPRESSED_DIR);
  await mkdir(assets, { recursive: true });

  const pages = await readPages(from);
  const names = pages.map((page) => page.name);
  const copied = (file) => copiedAsIs(posix(relative(from, file)), names);
  const referenced = new Map(); // source file -> Set of the output files it references (absolute)
  const outputs = await bundlePages(pages, { from, to, assets, minify, referenced, copied });
  const texts = preload.includes('.json') ? await textsToPreload(from) : [];
  for (const page of pages) {
    await writeFile(join(to, page.name), pageHtml(page, { from, to, outputs, referenced, preload, texts }));
  }
  await copyServedAsIs(from, to, copied);
  await connectToHub(to, names, hub);
  const precache = await precacheManifest(to);
  const version = await buildServiceWorker({ from, to, minify, precache });
  if (compress) await precompress(assets);
  return { to, version, precache };
}

/** Each top-level HTML page of `from` with the scripts and stylesheets it names. */
async function readPages(from) {
  const names = (await readdir(from, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .map((entry) => entry.name);
  return Promise.all(names.map(async (name) => {
    const html = await readFile(join(from, name), 'utf8');
    return { name, html, scripts: scriptsOf(html), styles: stylesOf(html) };
  }));
}

/**
 * Bundles the pages' scripts (with their shared chunks) and stylesheets into assets/. Returns
 * esbuild's description of each output file, by absolute path.
 */
async function bundlePages(pages, { from, to, assets, minify, referenced, copied }) {
  const plugin = urlAssets({ assets, minify, referenced, keep: (file) => copied(file)
    && posix(relative(assets, join(to, relative(from, file)))) });
  // One build per page: pages share no chunks, so that one page's code never splits another's
  // into more, smaller requests (the kiosk and a phone's follow page never load each other).
  const js = [];
  for (const page of pages.filter((p) => p.scripts.length > 0)) {
    js.push(await bundleScripts(page.scripts.map((src) => join(from, src)), { assets, minify, plugin }));
  }
  const cssEntries = [...new Set(pages.flatMap((p) => p.styles))].map((href) => join(from, href));
  const css = cssEntries.length === 0 ? null : await esbuild.build({
    ...common(minify),
    entryPoints: cssEntries,
    outdir: assets,
    loader: { '.png': 'file', '.svg': 'file', '.woff2': 'file', '.woff': 'file', '.jpg': 'file', '.webp': 'file' },
  });
  // esbuild names files relative to the working directory; absolute paths from here on.
  return new Map(Object.entries(Object.assign({}, ...js.map((result) => result.metafile.outputs), css?.metafile.outputs))
    .map(([path, output]) => [resolve(path), output]));
}

/** Bundles scripts into assets/, with the code they share in common chunks. */
function bundleScripts(entryPoints, { assets, minify, plugin }) {
  return esbuild.build({
    ...common(minify),
    entryPoints,
    outdir: assets,
    splitting: true,
    chunkNames: 'chunk-[hash]',
    plugins: [plugin, withoutNkeys],
  });
}

/** The output file esbuild wrote for an entry point (absolute paths). */
function outputOf(outputs, entry) {
  const found = [...outputs].find(([, o]) => o.entryPoint && resolve(o.entryPoint) === entry);
  if (!found) throw new Error(`esbuild wrote nothing for ${entry}`);
  return found[0];
}

/**
 * A page's HTML as built: its scripts and stylesheets under their hashed names, the preload
 * hints before each script, and the page's own id.
 */
function pageHtml(page, { from, to, outputs, referenced, preload, texts }) {
  let html = page.html;
  const hinted = new Set(); // a later script's hints name only what an earlier one's did not
  for (const [i, src] of page.scripts.entries()) {
    const out = outputOf(outputs, join(from, src));
    const hints = (preload.length > 0 ? preloadHints(out, outputs, referenced, to, preload, { loadsAtOnce: i === 0 }) : [])
      .filter((hint) => !hinted.has(hint) && hinted.add(hint));
    // The first screen's texts; a phone's follow page needs English and one language at most.
    if (i === 0) hints.push(...(page.name === FOLLOW_PAGE ? texts.filter((hint) => hint.includes(`i18n/${FALLBACK}.json`)) : texts));
    html = html.replace(scriptTag(src), (tag) =>
      [...hints, tag.replace(`src="${src}"`, `src="${posix(relative(to, out))}"`)].join('\n  '));
  }
  for (const href of page.styles) {
    const out = outputOf(outputs, join(from, href));
    html = html.replace(`href="${href}"`, `href="${posix(relative(to, out))}"`);
  }
  // The page's own id, from its final text (which names every hashed script and stylesheet):
  // the service worker puts a first screen only into the page it was taken from.
  return html.replace('<meta charset="utf-8">', (tag) => `${tag}\n  ${buildMetaTag(sha256(html).slice(0, 16))}`);
}

/** Copies every file of `from` that is served as it is to the same path in `to`. */
async function copyServedAsIs(from, to, copied) {
  for (const file of await filesUnder(from)) {
    if (!copied(file)) continue;
    const rel = posix(relative(from, file));
    await mkdir(dirname(join(to, rel)), { recursive: true });
    await copyFile(file, join(to, rel));
  }
}

/**
 * Bundles the service worker with the precache manifest and returns its version, which names
 * the worker's cache: it follows every file of the build and the worker's own code, so a change
 * to either is a new cache, and a rebuild of the same sources is not.
 */
async function buildServiceWorker({ from, to, minify, precache }) {
  const worker = (version) => esbuild.build({
    ...common(minify),
    entryPoints: [join(from, SERVICE_WORKER_SOURCE)],
    outfile: join(to, SERVICE_WORKER),
    entryNames: undefined,
    format: 'iife', // a classic worker: registered without { type: 'module' }, so every browser takes it
    // config.js's loadConfig() uses import.meta; the worker imports only validate(), and
    // esbuild drops the rest, so the warning about import.meta in a classic script is moot.
    logOverride: { 'empty-import-meta': 'silent' },
    define: { PRECACHE: JSON.stringify(precache), PRECACHE_VERSION: JSON.stringify(version) },
    write: version !== null,
  });
  const draft = await worker(null);
  const version = sha256(draft.outputFiles[0].contents).slice(0, 16);
  await worker(version);
  return version;
}

/**
 * Writes a .gz of each compressible file of assets/ next to it, for nginx's gzip_static, unless
 * gzip would make it bigger (a chunk of a few bytes, such as esbuild's helper two bundles share):
 * without a .gz nginx sends the file as it is.
 */
async function precompress(assets) {
  for (const file of await filesUnder(assets)) {
    if (!COMPRESSIBLE.has(extname(file))) continue;
    const original = await readFile(file);
    const compressed = gzipSync(original, { level: 9 });
    if (compressed.length < original.length) await writeFile(`${file}.gz`, compressed);
  }
}

/**
 * The facility hub. With `hub` given, the built config.json names it (the source stays as it
 * is). Whichever hub the built config names is the one place besides its own origin that a
 * page may connect to: its origins go into the pages' `connect-src`, and nothing else does
 * (the follow page's: the hub as phones reach it, `follow.hub`, when following is on).
 * (A facility that serves the page with the CSP header of deploy/ adds them there too.)
 */
async function connectToHub(to, pages, hub) {
  const configFile = join(to, CONFIG_FILE);
  const config = JSON.parse(await readFile(configFile, 'utf8'));
  if (hub !== undefined) {
    config.hub = { url: hub.length === 1 ? hub[0] : hub };
    await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`);
  }
  const urls = config.hub ? [config.hub.url].flat() : [];
  // Phones reach the hub where the facility's `follow.hub` says (a guest network's address),
  // and only the follow page connects from them.
  // Without a `follow` object yet, its default (the hub's own address), so that a facility that
  // turns following on in config.json later has a follow page that may already reach it.
  const followUrls = (followConfigOf(config).config?.urls ?? urls).filter((url) => typeof url === 'string');
  for (const page of pages) {
    const pageUrls = page === FOLLOW_PAGE ? followUrls : urls;
    if (pageUrls.length === 0) continue;
    const origins = [...new Set(pageUrls.map((url) => {
      const { protocol, host } = new URL(url);
      if (protocol !== 'ws:' && protocol !== 'wss:') throw new Error(`the hub's address must be ws:// or wss://, not ${url}`);
      return `${protocol}//${host}`;
    }))];
    const html = await readFile(join(to, page), 'utf8');
    if (!html.includes("connect-src 'self'")) throw new Error(`${page} has no connect-src 'self' to add the hub to`);
    await writeFile(join(to, page), html.replace("connect-src 'self'", `connect-src 'self' ${origins.join(' ')}`));
  }
}

/**
 * Preload hints for the language files the page asks for first (startup.js: English and each
 * language config.json offers), as the configuration is at build time. A facility that edits
 * config.json later only loses the hint for a language it adds; the page still asks for it.
 */
async function textsToPreload(from) {
  let languages = [];
  try {
    languages = JSON.parse(await readFile(join(from, CONFIG_FILE), 'utf8')).languages ?? [];
  } catch {
    // No config or a broken one: the page will say so; English is asked for anyway.
  }
  const codes = [...new Set([FALLBACK, ...(Array.isArray(languages) ? languages : [])])].filter(isLanguage);
  const present = await Promise.all(codes.map((code) => readFile(join(from, 'i18n', `${code}.json`)).then(() => true, () => false)));
  return codes.filter((_, i) => present[i]).map((code) => `<link rel="preload" href="i18n/${code}.json" as="fetch" crossorigin>`);
}

/** Whether a file of www/ (path relative to it) is served as it is, at the same path. */
function copiedAsIs(rel, pages) {
  const [top] = rel.split('/');
  return !BUNDLER_ONLY.has(top) && !CODE.has(extname(rel)) && !pages.includes(rel) && !basename(rel).startsWith('.');
}

function common(minify) {
  return {
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify,
    keepNames: minify, // error names such as MachineError and ConfigError stay readable
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    metafile: true,
    logLevel: 'warning',
    // The follow page imports its npm packages by name (@nats-io/nats-core, lean-qr): resolved
    // from the repository's node_modules wherever the www/ being built lies (tests copy it).
    nodePaths: [join(root, 'node_modules')],
    // The page registers the service worker only when built: www/ served as it is (development,
    // tests of the unbundled page) has none, so nothing is cached behind a developer's back.
    define: { KIOSK_SERVICE_WORKER: JSON.stringify(SERVICE_WORKER) },
  };
}

/** The src of every `<script type="module" src="…">` of a page. */
function scriptsOf(html) {
  return [...html.matchAll(/<script\b[^>]*\btype="module"[^>]*>/g)]
    .map(([tag]) => /\bsrc="([^"]+)"/.exec(tag)?.[1])
    .filter((src) => src && !/^[a-z]+:|^\//i.test(src));
}

/** The href of every `<link rel="stylesheet" href="…">` of a page. */
function stylesOf(html) {
  return [...html.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*>/g)]
    .map(([tag]) => /\bhref="([^"]+)"/.exec(tag)?.[1])
    .filter((href) => href && !/^[a-z]+:|^\//i.test(href));
}

const scriptTag = (src) => new RegExp(`<script\\b[^>]*\\bsrc="${src.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>`);

/**
 * `<link rel="modulepreload">` for the chunks an entry imports statically, and
 * `<link rel="preload" as="fetch">` for the files of those extensions its code references
 * with a literal new URL(…) (config.json). What the entry imports with import() gets none: it
 * is fetched when imported. (Hints for main.js and the wasm, which early.js imports once the
 * first screen is up, made that screen later: 7 interleaved cold starts at 4x, 785 ms with
 * them, 539 without; the page's main thread handles every response it preloads.) A fetch()
 * with cache: 'no-cache', as loadConfig makes, still takes the preloaded response.
 */
function preloadHints(entryOut, outputs, referenced, to, extensions, { loadsAtOnce = false } = {}) {
  const chunks = new Set();
  const visit = (out, kinds) => {
    for (const imported of outputs.get(out)?.imports ?? []) {
      if (!kinds.includes(imported.kind) || imported.external) continue;
      const path = resolve(imported.path);
      if (chunks.has(path)) continue;
      chunks.add(path);
      visit(path, ['import-statement']);
    }
  };
  visit(entryOut, ['import-statement']);
  // The page's first script loads the first screen's module at once (first.js: early.js), and
  // that module's chunks in turn: hinted too, rather than found one level after another.
  if (loadsAtOnce) for (const out of [entryOut, ...chunks]) visit(out, ['dynamic-import']);
  const fetched = new Set();
  for (const out of [entryOut, ...chunks]) {
    for (const input of Object.keys(outputs.get(out)?.inputs ?? {})) {
      for (const file of referenced.get(resolve(input)) ?? []) if (extensions.includes(extname(file))) fetched.add(file);
    }
  }
  const type = (file) => (extname(file) === '.wasm' ? ' type="application/wasm"' : '');
  return [
    ...[...chunks].map((path) => `<link rel="modulepreload" href="${posix(relative(to, path))}">`),
    ...[...fetched].map((file) => `<link rel="preload" href="${posix(relative(to, file))}" as="fetch"${type(file)} crossorigin>`),
  ];
}

/**
 * An esbuild plugin for `new URL('…', import.meta.url)`. A file that is served as it is
 * (config.json, a translation) keeps its URL: `keep(file)` gives its path from assets/. Of
 * the rest, a script becomes an entry point of its own (a worker), any other file (the .wasm)
 * is copied; both get content-hashed names in assets/. Every output lives in assets/, so a
 * rewritten path is the same from whichever chunk the code ends up in.
 */
function urlAssets({ assets, minify, referenced, keep }) {
  const done = new Map(); // absolute source path -> promise of its output name
  const emit = (path) => {
    if (!done.has(path)) done.set(path, emitOne(path));
    return done.get(path);
  };
  async function emitOne(path) {
    const kept = keep(path);
    if (kept) return kept;
    if (/\.m?js$/.test(path)) {
      const plugin = urlAssets({ assets, minify, referenced, keep });
      const result = await bundleScripts([path], { assets, minify, plugin });
      const [out] = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint);
      return basename(out);
    }
    const bytes = await readFile(path);
    const ext = extname(path);
    const name = `${basename(path, ext)}-${sha256(bytes).slice(0, 12)}${ext}`;
    await writeFile(join(assets, name), bytes);
    return name;
  }
  return {
    name: 'url-assets',
    setup(build) {
      build.onLoad({ filter: /\.m?js$/ }, async ({ path }) => {
        const source = await readFile(path, 'utf8');
        const refs = [...source.matchAll(URL_REFERENCE)].filter(([, , target]) => !/^[a-z]+:/i.test(target));
        if (refs.length === 0) return undefined;
        const names = new Map();
        for (const [, , target] of refs) names.set(target, await emit(resolve(dirname(path), target)));
        referenced.set(path, new Set([...names.values()].map((name) => resolve(assets, name))));
        const contents = source.replace(URL_REFERENCE, (whole, quote, target) =>
          (names.has(target) ? `new URL(${JSON.stringify(relativeUrl(names.get(target)))}, import.meta.url)` : whole));
        return { contents, loader: 'js', resolveDir: dirname(path) };
      });
    },
  };
}

const relativeUrl = (path) => (path.startsWith('../') ? path : `./${path}`);

async function filesUnder(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name)).sort();
}

/** Every file the page may need, with its SHA-256: all of `to` but the worker, .gz and config. */
async function precacheManifest(to) {
  const entries = [];
  for (const file of await filesUnder(to)) {
    const url = posix(relative(to, file));
    if (url === SERVICE_WORKER || url === CONFIG_FILE || url.endsWith('.gz')) continue;
    entries.push({ url, sha256: sha256(await readFile(file)) });
  }
  return entries;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [from, to] = process.argv.slice(2);
  // HUB_URL=ws://127.0.0.1:9222 make serve: the page uses that hub, with no file edited.
  const hub = process.env.HUB_URL ? process.env.HUB_URL.split(',').map((url) => url.trim()).filter(Boolean) : undefined;
  const { to: out, version, precache } = await buildSite({ from, to, hub });
  console.log(`${posix(relative(process.cwd(), out)) || '.'}/ built: ${precache.length} files precached, version ${version}`);
}
