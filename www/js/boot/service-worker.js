// The kiosk's service worker: offline first. scripts/build-site.mjs bundles it into sw.js with
// the precache manifest (PRECACHE: every file of the build and its SHA-256) and a version
// derived from that list and this worker's code, so each build that changes either is a new
// worker with a new cache.
//
// - install: every file of the build is taken from an earlier build's cache when its content
//   is unchanged, fetched otherwise, and checked against its SHA-256 (a half-copied deploy
//   fails the install, which the browser retries later, instead of caching a mix).
// - fetch: the page and its files come from the cache, so a reload, a browser restart or a
//   reboot works with the server down. config.json, the facility's own file, comes from the
//   last good copy, and is fetched again in the background: a new one that is valid JSON and
//   passes the page's own validation replaces it (the page reloads at a quiet moment); a
//   missing or broken one never does.
// - the page itself comes with the customer's first screen that early-screen.js last showed
//   (kept-screen.js), while the configuration it was shown for is still the one kept here and
//   only into the page it was taken from, so that a start from the cache is usable before
//   early-screen.js runs;
// - a new build waits until the page says it is quiet (APPLY_UPDATE), never mid-ticket;
//   activating deletes the other builds' caches.
import { validate } from '../model/config.js';
import '../model/config-groups.js'; // validate reads the departments' queue rules with it
import { configKey, isFirstScreen, withFirstScreen } from './kept-screen.js';
import { APPLY_UPDATE, CHECK_CONFIG, CONFIG_CHANGED, CONFIG_REJECTED, message } from './sw-protocol.js';

/* global PRECACHE, PRECACHE_VERSION -- defined by scripts/build-site.mjs */
const PREFIX = 'take-a-number-deluxe/';
const BUILD_PREFIX = `${PREFIX}build/`;
const BUILD_CACHE = `${BUILD_PREFIX}${PRECACHE_VERSION}`;
const CONFIG_CACHE = `${PREFIX}config`;

const scope = self.registration.scope;
const CONFIG_URL = new URL('config.json', scope).href;
const INDEX_URL = new URL('index.html', scope).href;
/** Where the first screen is kept: in this build's cache, as it is a screen of this build's page. */
const FIRST_SCREEN_URL = new URL('first-screen', scope).href;
/** URL (no query) -> SHA-256 of its content in this build. */
const BUILD = new Map(PRECACHE.map(({ url, sha256 }) => [new URL(url, scope).href, sha256]));

const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
const sha256 = async (response) => hex(await crypto.subtle.digest('SHA-256', await response.clone().arrayBuffer()));

self.addEventListener('install', (event) => event.waitUntil(install()));
self.addEventListener('activate', (event) => event.waitUntil(activate()));
self.addEventListener('fetch', onFetch);
self.addEventListener('message', (event) => {
  const type = event.data?.type;
  if (type === APPLY_UPDATE) event.waitUntil(self.skipWaiting());
  else if (type === CHECK_CONFIG) event.waitUntil(refreshConfig().catch(() => {}));
  else if (isFirstScreen(event.data)) event.waitUntil(keepFirstScreen(event.data).catch(() => {}));
});

async function install() {
  try {
    await precache();
  } catch (error) {
    await caches.delete(BUILD_CACHE); // no half-filled cache left behind; the next try starts clean
    throw error;
  }
  // A kiosk installed while its config.json is good keeps it; a broken one is not an install
  // failure (the page shows the configuration problem, as without a worker).
  await refreshConfig({ notify: false }).catch(() => {});
}

async function precache() {
  const cache = await caches.open(BUILD_CACHE);
  await Promise.all([...BUILD].map(async ([url, expected]) => {
    const earlier = await caches.match(url); // any build's cache: unchanged files are not downloaded again
    if (earlier && await sha256(earlier) === expected) {
      await cache.put(url, earlier);
      return;
    }
    // The HTTP cache first (the page has just loaded most of these); a copy that is not this
    // build's is fetched again from the server, and if that is not it either, the install fails.
    for (const mode of ['default', 'reload']) {
      const response = await fetch(url, { cache: mode });
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      if (await sha256(response) === expected) {
        await cache.put(url, response);
        return;
      }
    }
    throw new Error(`${url} is not the file of build ${PRECACHE_VERSION}`);
  }));
}

async function activate() {
  for (const name of await caches.keys()) {
    if (name.startsWith(BUILD_PREFIX) && name !== BUILD_CACHE) await caches.delete(name);
  }
  // The page that installed the first worker is controlled at once, so it works offline
  // without a reload first.
  await self.clients.claim();
}

function onFetch(event) {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const key = url.origin + url.pathname;
  if (key === CONFIG_URL) {
    event.respondWith(config(event));
    return;
  }
  const target = request.mode === 'navigate' ? pageFor(key) : BUILD.has(key) ? key : null;
  if (target) event.respondWith(fromBuild(target, request));
}

/** The cached page for a navigation: the scope itself is index.html. */
function pageFor(key) {
  if (key === scope || key === `${scope}index.html`) return INDEX_URL;
  if (BUILD.has(key)) return key;
  if (key.endsWith('/') && BUILD.has(`${key}index.html`)) return `${key}index.html`;
  return null;
}

async function fromBuild(url, request) {
  const cache = await caches.open(BUILD_CACHE);
  const cached = await cache.match(url);
  if (!cached) return fetch(request);
  if (url !== INDEX_URL) return cached;
  return (await withCustomersScreen(cache, cached).catch(() => null)) ?? cached;
}

async function keepFirstScreen({ config, build, lang, title, body }) {
  // Not into a cache a newer build's worker has just deleted (caches.open would make it again).
  if (!await caches.has(BUILD_CACHE)) return;
  const kept = JSON.stringify({ config, build, lang, title, body });
  await (await caches.open(BUILD_CACHE)).put(FIRST_SCREEN_URL, new Response(kept, { headers: { 'content-type': 'application/json' } }));
}

/** `page` (index.html) with the kept first screen, or null when none fits the config.json kept now. */
async function withCustomersScreen(cache, page) {
  const [kept, config] = await Promise.all([
    cache.match(FIRST_SCREEN_URL),
    caches.open(CONFIG_CACHE).then((configs) => configs.match(CONFIG_URL)),
  ]);
  if (!kept || !config) return null;
  const screen = await kept.json();
  if (screen.config !== configKey(validate(JSON.parse(await config.text())))) return null;
  const html = withFirstScreen(await page.clone().text(), screen);
  if (html === null) return null;
  const headers = new Headers(page.headers);
  headers.delete('content-length'); // of the page without its screen
  headers.delete('content-encoding'); // a cached body is already decoded
  return new Response(html, { status: page.status, statusText: page.statusText, headers });
}

/** The last good config.json at once (refreshed in the background), or the server's answer
 * the first time, when there is none yet. */
async function config(event) {
  const cached = await (await caches.open(CONFIG_CACHE)).match(CONFIG_URL);
  const refreshed = refreshConfig();
  if (cached) {
    event.waitUntil(refreshed.catch(() => {}));
    return cached;
  }
  return (await refreshed).response;
}

/** Why `text` is not a usable config.json, or null when it is. */
function configProblem(text) {
  try {
    validate(JSON.parse(text));
    return null;
  } catch (error) {
    return error instanceof SyntaxError ? 'it is not valid JSON' : error.message;
  }
}

/** Refreshes of config.json started so far, and which one's answer is the one kept. */
let refreshes = 0;
let keptFrom = 0;

/**
 * Fetches config.json; keeps it when it is valid. Tells the pages when a good one changed
 * (CONFIG_CHANGED) or when the server's cannot be used (CONFIG_REJECTED).
 */
async function refreshConfig({ notify = true } = {}) {
  const refresh = ++refreshes;
  const cache = await caches.open(CONFIG_CACHE);
  // Past the HTTP cache altogether: an edit within the same second as the last one keeps the
  // file's Last-Modified, and a revalidation would then bring back the old text.
  const response = await fetch(CONFIG_URL, { cache: 'no-store' });
  const text = await response.clone().text();
  const problem = response.ok ? configProblem(text) : `the server answered HTTP ${response.status}`;
  const previous = await (await cache.match(CONFIG_URL))?.text();
  // Refreshes overlap (a page's start, the periodic check, a page asking): one started later
  // has kept its answer meanwhile, so this one's, however late it came, is older news.
  if (refresh < keptFrom) return { response };
  if (problem) {
    if (notify && previous !== undefined) await tell(message(CONFIG_REJECTED, { problem }));
  } else {
    // Set before the put, which awaits: a refresh finishing meanwhile sees it.
    keptFrom = refresh;
    if (text !== previous) {
      await cache.put(CONFIG_URL, response.clone());
      if (notify && previous !== undefined) await tell(message(CONFIG_CHANGED));
    }
  }
  return { response };
}

async function tell(data) {
  for (const client of await self.clients.matchAll({ type: 'window' })) client.postMessage(data);
}
