// The JS half of loading the wasm: checks what `init()` and `initSync()` are given, and turns a
// failed load into an `InitError` that says what happened and what to do. Loading is where a
// bundler setup goes wrong (the .wasm not emitted next to the bundle, a server's fallback page
// served in its place), so the messages name the fix. `scripts/finish-package.mjs` copies this
// file into the package and patches the generated glue to call it. Every browser downloads these
// messages, so they are one or two sentences; the package README has the whole recipe.

const recipe = 'If a bundler built this page, it did not emit the .wasm: '
  + "`import wasmUrl from 'take-a-number-deluxe/take_a_number_deluxe_bg.wasm'` "
  + '(esbuild: --loader:.wasm=file; Rollup: @rollup/plugin-url) and '
  + '`await init({ module_or_path: wasmUrl })`. See "Bundlers" in the README.';

/** An InitError: an Error with a stable `code`, and the error it explains as `cause`. */
export function initError(code, message, cause) {
  const error = new Error(`take-a-number-deluxe: ${message}`, { cause });
  error.name = 'InitError';
  error.code = code;
  return error;
}

const badArgument = (message) => initError('bad_init_argument', message);

/** For `new Machine()` in the web entry before the wasm is loaded. */
export const notInitialised = () => initError('not_initialised',
  'new Machine() before the wasm was loaded: `await init()` (the default export) once first.');

/** Throws unless `arg` is what `init()` takes; a promise is checked once it settles. */
export function checkInitInput(arg) {
  const input = unwrap(arg, 'init', 'module_or_path');
  if (input !== undefined && !isUrl(input) && !isLoadable(input) && typeof input?.then !== 'function') {
    throw badArgument(`init({ module_or_path }) takes a URL, a Response, the bytes or a WebAssembly.Module, not ${describe(input)}.`);
  }
}

/** Throws unless `arg` is what `initSync()` takes. */
export function checkInitSyncInput(arg) {
  const input = unwrap(arg, 'initSync', 'module');
  if (!isBytes(input)) {
    throw badArgument(`initSync({ module }) takes the .wasm's bytes or a WebAssembly.Module, not ${describe(input)}`
      + `${isUrl(input) ? ': for a URL, use `await init({ module_or_path })`' : ''}.`);
  }
}

/** `new URL(wasm, import.meta.url)` threw: the bundle has no usable `import.meta.url`. */
export const noWasmUrl = (cause) => initError('wasm_url_unknown',
  `the .wasm's URL is unknown: this bundle has no import.meta.url (esbuild: --format=esm). ${recipe}`, cause);

/** `fetch`, with a network failure (no server, CORS, CSP connect-src, a file: URL) explained. */
export function fetchWasm(request) {
  return fetch(request).catch((cause) => {
    throw initError('wasm_fetch_failed', `could not fetch ${request.url ?? request} (${cause?.message}): `
      + 'is it served over http(s), allowed by CORS and by the page\'s CSP connect-src? '
      + 'Or pass the bytes: init({ module_or_path: bytes }).', cause);
  });
}

/**
 * Runs the glue's `load(input, imports)` and explains its failures: an HTTP error, something
 * that is not the .wasm, a .wasm of another build, a Content-Security-Policy that forbids wasm.
 */
export async function loadWasm(load, input, imports) {
  if (!isLoadable(input)) {
    throw badArgument(`init({ module_or_path }) got a promise of ${describe(input)}, `
      + 'not of a Response, the bytes or a WebAssembly.Module.');
  }
  if (isA(input, 'Response') && !input.ok) {
    const got = `fetched ${input.url || 'the .wasm'} and got ${input.status}`;
    throw input.status === 404
      ? initError('wasm_not_found', `${got}: the .wasm is not there. ${recipe}`)
      : initError('wasm_fetch_failed', `${got}.`);
  }
  try {
    return await load(input, imports);
  } catch (error) {
    throw explain(error, input);
  }
}

/** `initSync`'s compile step, explained as `loadWasm` does. */
export function compileSync(module) {
  try {
    return module instanceof WebAssembly.Module ? module : new WebAssembly.Module(module);
  } catch (error) {
    throw explain(error, module);
  }
}

/** `initSync`'s instantiate step, explained as `loadWasm` does. */
export function instantiateSync(module, imports) {
  try {
    return new WebAssembly.Instance(module, imports);
  } catch (error) {
    throw explain(error, module);
  }
}

function explain(error, input) {
  const message = String(error?.message);
  const type = isA(input, 'Response') ? input.headers.get('content-type') : null;
  const what = type === null ? 'the .wasm given' : `${input.url || 'the Response'} (${type})`;
  if (/Content.Security.Policy|unsafe-eval|\bCSP\b/i.test(message)) {
    return initError('wasm_blocked_by_csp',
      "the page's Content-Security-Policy forbids WebAssembly: add 'wasm-unsafe-eval' to its script-src.", error);
  }
  if (error?.name === 'CompileError') {
    return initError('wasm_invalid', /html/i.test(type)
      ? `${what} is an HTML page, not the .wasm (the server's fallback for a missing file?). ${recipe}`
      : `${what} is not a valid .wasm (${message}).`, error);
  }
  // Imports that do not match: LinkError for a function, TypeError for a whole module.
  if (error?.name === 'LinkError' || (error?.name === 'TypeError' && /import/i.test(message))) {
    return initError('wasm_mismatch',
      `${what} is a .wasm from another build: load the one from this version of the package.`, error);
  }
  return error;
}

/** The input inside `{ [key]: input }`; throws for any other key. */
function unwrap(arg, name, key) {
  if (arg === null || typeof arg !== 'object' || Object.getPrototypeOf(arg) !== Object.prototype) return arg;
  const others = Object.keys(arg).filter((k) => k !== key);
  if (others.length > 0) throw badArgument(`${name}() takes { ${key} }, not { ${others} }.`);
  return arg[key];
}

const isA = (value, name) => typeof globalThis[name] === 'function' && value instanceof globalThis[name];
const isUrl = (value) => typeof value === 'string' || isA(value, 'URL') || isA(value, 'Request');
const isLoadable = (value) => isA(value, 'Response') || isBytes(value);

function isBytes(value) {
  // By tag, not instanceof: bytes from another realm (a worker, an iframe, Node's vm) count too.
  const tag = Object.prototype.toString.call(value);
  return ArrayBuffer.isView(value) || tag === '[object ArrayBuffer]' || tag === '[object WebAssembly.Module]';
}

function describe(value) {
  if (typeof value === 'function') return "a function (a bundler's wasm loader? pass the .wasm's URL)";
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  return `an object (${Object.getPrototypeOf(value)?.constructor?.name ?? 'a module namespace?'})`;
}
