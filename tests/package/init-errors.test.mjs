// The web entry's loading errors, from the packed tarball, in Node (which has fetch, Response
// and WebAssembly like a browser): every way to call init() or initSync() wrongly, and every
// way the .wasm can fail to arrive, ends in an InitError whose code is stable and whose
// message says what to do; a failed init() leaves the package ready for a correct one.
// (The same errors in Chromium, from real bundles, are in bundlers.test.mjs.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { install, packedTarball, pkg, root } from './apps.mjs';

const dir = join(root, 'target', 'package-init-errors');
let web; // the web entry, imported by path: Node itself would pick the Node entry
let wasmBytes;
let server;
let base;

before(async () => {
  await install(dir, await packedTarball(), 'init-errors');
  const installed = join(dir, 'node_modules', pkg);
  web = await import(pathToFileURL(join(installed, 'take_a_number_deluxe.js')).href);
  wasmBytes = await readFile(join(installed, 'take_a_number_deluxe_bg.wasm'));
  // A real server with the answers a misconfigured one gives: 404, 500, an HTML fallback page.
  server = createServer((request, response) => {
    if (request.url === '/missing.wasm') response.writeHead(404, 'Not Found').end('not found');
    else if (request.url === '/broken.wasm') response.writeHead(500, 'Internal Server Error').end();
    else if (request.url === '/fallback.wasm') response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title>');
    else response.writeHead(200, { 'content-type': 'application/wasm' }).end(wasmBytes);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(async () => {
  server?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The InitError that `promise` rejects with (or `fn` throws), checked for name and code. */
async function initError(code, attempt) {
  let error;
  try {
    await attempt();
  } catch (caught) {
    error = caught;
  }
  assert.ok(error instanceof Error, `expected an InitError ${code}, got ${error}`);
  assert.equal(error.name, 'InitError', error.stack);
  assert.equal(error.code, code, error.message);
  assert.match(error.message, /^take-a-number-deluxe: /);
  return error;
}

/** A wasm module of one function import, as a .wasm from another build would have. */
function wasmImporting(module, field) {
  const text = (s) => [s.length, ...Buffer.from(s)];
  const types = [1, 0x60, 0, 0];
  const imports = [1, ...text(module), ...text(field), 0, 0];
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, types.length, ...types, 2, imports.length, ...imports]);
}

const recipe = /import wasmUrl from 'take-a-number-deluxe\/take_a_number_deluxe_bg\.wasm'.*init\(\{ module_or_path: wasmUrl \}\)/;

test('new Machine() before init() is not_initialised and says to await init() first', async () => {
  const error = await initError('not_initialised', () => new web.Machine({ minNumber: 1, maxNumber: 9 }));
  assert.match(error.message, /`await init\(\)` \(the default export\) once first/);
});

test('init() with something it cannot load is bad_init_argument, naming what it got', async () => {
  const cases = [
    [42, /takes a URL, a Response, the bytes or a WebAssembly\.Module, not 42\./],
    [null, /not null\./],
    [true, /not true\./],
    [{ module: wasmBytes }, /init\(\) takes \{ module_or_path \}, not \{ module \}/],
    [{ module_or_path: 7 }, /not 7\./],
    [() => wasmBytes, /not a function \(a bundler's wasm loader\? pass the \.wasm's URL\)/],
    [Object.create(null), /not an object \(a module namespace\?\)/],
    [[wasmBytes], /not an object \(Array\)/],
    [{ module_or_path: Promise.resolve(`${base}/x.wasm`) }, /got a promise of "http:.*x\.wasm", not of a Response/],
  ];
  for (const [argument, message] of cases) {
    const error = await initError('bad_init_argument', () => web.default(argument));
    assert.match(error.message, message);
  }
});

test('initSync() with anything but the bytes or a module is bad_init_argument', async () => {
  await initError('bad_init_argument', () => web.initSync());
  const url = await initError('bad_init_argument', () => web.initSync({ module: `${base}/x.wasm` }));
  assert.match(url.message, /for a URL, use `await init\(\{ module_or_path \}\)`/);
  const key = await initError('bad_init_argument', () => web.initSync({ module_or_path: wasmBytes }));
  assert.match(key.message, /initSync\(\) takes \{ module \}, not \{ module_or_path \}/);
});

test('a 404 for the .wasm is wasm_not_found, with the URL and the bundler recipe', async () => {
  const error = await initError('wasm_not_found', () => web.default({ module_or_path: `${base}/missing.wasm` }));
  assert.match(error.message, /fetched http:\/\/127\.0\.0\.1:\d+\/missing\.wasm and got 404: the \.wasm is not there/);
  assert.match(error.message, recipe);
  // The same from a Response the caller fetched.
  await initError('wasm_not_found', () => web.default({ module_or_path: fetch(`${base}/missing.wasm`) }));
});

test('other HTTP errors and failed fetches are wasm_fetch_failed, with the cause', async () => {
  const status = await initError('wasm_fetch_failed', () => web.default({ module_or_path: `${base}/broken.wasm` }));
  assert.match(status.message, /broken\.wasm and got 500\.$/);
  const refused = await initError('wasm_fetch_failed', () => web.default({ module_or_path: 'http://127.0.0.1:1/x.wasm' }));
  assert.match(refused.message, /could not fetch http:\/\/127\.0\.0\.1:1\/x\.wasm \(fetch failed\)/);
  assert.ok(refused.cause instanceof Error, 'the fetch error is the cause');
  // The default URL in Node is a file: URL, which fetch cannot read.
  const file = await initError('wasm_fetch_failed', () => web.default());
  assert.match(file.message, /could not fetch file:.*take_a_number_deluxe_bg\.wasm .*Or pass the bytes/);
});

test("an HTML page where the .wasm should be is wasm_invalid, and says it is the server's fallback", async () => {
  const error = await initError('wasm_invalid', () => web.default({ module_or_path: `${base}/fallback.wasm` }));
  assert.match(error.message, /fallback\.wasm \(text\/html\) is an HTML page, not the \.wasm/);
  assert.match(error.message, recipe);
  assert.equal(error.cause?.name, 'CompileError');
  const bytes = await initError('wasm_invalid', () => web.default({ module_or_path: new Uint8Array([0, 97, 115]) }));
  assert.match(bytes.message, /the \.wasm given is not a valid \.wasm/);
  await initError('wasm_invalid', () => web.initSync({ module: new Uint8Array([1, 2, 3]) }));
});

test('a .wasm from another build is wasm_mismatch, whether a function or a whole module is missing', async () => {
  const missingFunction = wasmImporting('./take_a_number_deluxe_bg.js', '__wbg_removed_in_this_build');
  const error = await initError('wasm_mismatch', () => web.default({ module_or_path: missingFunction }));
  assert.match(error.message, /a \.wasm from another build: load the one from this version of the package/);
  assert.equal(error.cause?.name, 'LinkError');
  const missingModule = wasmImporting('./snippets/take-a-number-deluxe-0000000000000000/src/replies.js', 'f');
  await initError('wasm_mismatch', () => web.default({ module_or_path: missingModule }));
  await initError('wasm_mismatch', () => web.initSync({ module: missingFunction }));
});

test('after failed attempts, init() with the right URL loads the wasm and machines work as ever', async () => {
  const exports = await web.default({ module_or_path: `${base}/take_a_number_deluxe_bg.wasm` });
  assert.ok(exports.memory instanceof WebAssembly.Memory);
  const machine = new web.Machine({ minNumber: 1, maxNumber: 2 });
  assert.equal(await machine.queueNewNumber(), 1);
  assert.equal(await machine.serveNextQueuedNumber(), 1);
  const empty = await machine.serveNextQueuedNumber().catch((e) => e);
  assert.equal(empty.name, 'MachineError');
  assert.equal(empty.code, 'empty_queue');
  // Once loaded, init and initSync hand back the exports and ignore their argument, as before.
  assert.equal(await web.default(42), exports);
  assert.equal(web.initSync(), exports);
});
