// The kiosk's service worker (www/js/boot/service-worker.js) in Node, with the browser's parts
// it uses made by hand: `self`, the Cache Storage and `fetch`, so that the test decides when
// each network answer arrives. What the browser tests cannot do on demand: answers that
// arrive out of order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { CHECK_CONFIG, message } from '../../www/js/boot/sw-protocol.js';

const scope = 'https://kiosk.example/';
const shipped = JSON.parse(await readFile(new URL('../../www/config.json', import.meta.url), 'utf8'));

/** One cache of the Cache Storage API, keyed by URL, holding Responses. */
class FakeCache {
  #entries = new Map();
  async match(url) { return this.#entries.get(String(url))?.clone(); }
  async put(url, response) { this.#entries.set(String(url), response.clone()); }
}

/** The worker's world: its event listeners, its caches, and the server's answers, held until released. */
function world() {
  const listeners = new Map();
  const caches = new Map();
  const requests = []; // { url, answer(text) }
  const told = [];
  globalThis.self = {
    registration: { scope },
    location: new URL(scope),
    addEventListener: (type, listener) => listeners.set(type, listener),
    clients: { matchAll: async () => [{ postMessage: (data) => told.push(data.type) }] },
    skipWaiting: async () => {},
  };
  globalThis.caches = {
    open: async (name) => { if (!caches.has(name)) caches.set(name, new FakeCache()); return caches.get(name); },
    has: async (name) => caches.has(name),
    delete: async (name) => caches.delete(name),
    keys: async () => [...caches.keys()],
    match: async (url) => { for (const cache of caches.values()) { const hit = await cache.match(url); if (hit) return hit; } return undefined; },
  };
  globalThis.fetch = (url) => new Promise((resolve) => {
    requests.push({ url: String(url), answer: (text) => resolve(new Response(text, { headers: { 'content-type': 'application/json' } })) });
  });
  globalThis.PRECACHE = [];
  globalThis.PRECACHE_VERSION = 'test';
  /** Sends the worker a message from a page; resolves once the worker is done with it. */
  const post = async (data) => {
    const waits = [];
    listeners.get('message')({ data, waitUntil: (promise) => waits.push(promise) });
    await Promise.all(waits);
  };
  const kept = async () => (await (await caches.get('take-a-number-deluxe/config')?.match(`${scope}config.json`))?.json());
  return { listeners, post, requests, kept, told, caches };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

test('a config.json fetched earlier but answered later never replaces the newer one kept meanwhile', async () => {
  const w = world();
  await import(`../../www/js/boot/service-worker.js?${Date.now()}`);
  const config = await globalThis.caches.open('take-a-number-deluxe/config');
  await config.put(`${scope}config.json`, new Response(JSON.stringify(shipped)));
  const renamed = { ...shipped, facility: `${shipped.facility} (renamed)` };

  // Two checks: the first one's request is answered with the file as it was, but only after
  // the second's, made once the file had changed, has been answered and kept.
  const first = w.post(message(CHECK_CONFIG));
  await settle();
  const second = w.post(message(CHECK_CONFIG));
  await settle();
  assert.equal(w.requests.length, 2);
  w.requests[1].answer(JSON.stringify(renamed));
  await second;
  assert.equal((await w.kept()).facility, renamed.facility, 'the newer file is kept');
  w.requests[0].answer(JSON.stringify(shipped));
  await first;
  assert.equal((await w.kept()).facility, renamed.facility, 'the older answer, arriving last, does not bring the old file back');
  assert.deepEqual(w.told, ['config-changed'], 'the pages are told of one change, not of a change back');
});
