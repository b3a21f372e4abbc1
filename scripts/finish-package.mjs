// Turns wasm-pack's `--target web` output in pkg/ into a package that works where npm users
// are: Node ESM (ready to use, no init call), browsers with native ES modules (`await init()`),
// and bundlers such as Vite. wasm-pack writes neither `exports` nor a Node entry, and its
// `--target web` glue cannot load itself in Node (it would `fetch` a file path).
import { readFile, writeFile, copyFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';

const pkgDir = new URL('../pkg/', import.meta.url);
const at = (name) => new URL(name, pkgDir);
const fromRepo = (path) => new URL(`../${path}`, import.meta.url);
const glue = 'take_a_number_deluxe.js';
const types = 'take_a_number_deluxe.d.ts';
const wasm = 'take_a_number_deluxe_bg.wasm';
const errorsModule = 'init-errors.js';
/** The hub entry's NATS clients: optional peers of the package, never bundled into it. */
const natsPackages = ['@nats-io/nats-core', '@nats-io/jetstream', '@nats-io/kv'];

/**
 * Each step reads what wasm-pack wrote or what an earlier step left (the minifier the patched
 * glue, the Node types the finished ones), so they run in this order. Runs from the file's last
 * line, once the constants below are defined.
 */
async function main() {
  const manifest = await readWasmPackManifest();
  await writeNodeEntry();
  await addInitErrors();
  await writeNodeTypes(await writeTypes());
  await minifyScripts();
  await writeSharedEntry();
  const natsDependencies = await natsPeerDependencies();
  await writeHubEntry(manifest.version);
  await copyReadmeAndLicense();
  const finished = await writePackageJson(manifest, natsDependencies);
  console.log(`pkg/ finished: ${finished.name}@${finished.version}`);
}

/** wasm-pack's package.json, checked against Cargo.toml: a stale pkg/ stops the build here. */
async function readWasmPackManifest() {
  const manifest = JSON.parse(await readFile(at('package.json'), 'utf8'));
  const cargo = await readFile(fromRepo('Cargo.toml'), 'utf8');
  const cargoVersion = /^version = "([^"]+)"/m.exec(cargo)?.[1];
  if (manifest.version !== cargoVersion) {
    throw new Error(`pkg/package.json has version ${manifest.version}, Cargo.toml ${cargoVersion}`);
  }
  return manifest;
}

/**
 * Node has no `fetch` for file paths, so its entry instantiates the wasm from the file next to
 * it, synchronously, at import time; then it is the same module as the browser entry.
 */
async function writeNodeEntry() {
  await writeFile(at('node.js'), `// Node entry: the wasm is read from this package and instantiated at import time.
import { readFileSync } from 'node:fs';
import { initSync } from './${glue}';

initSync({ module: readFileSync(new URL('./${wasm}', import.meta.url)) });

export * from './${glue}';
export { default } from './${glue}';
`);
}

// Loading the wasm is where a consumer's setup fails, and the generated glue then throws what the
// engine said ("failed to fetch Wasm: 404", "expected magic word", a TypeError from `wasm`
// being undefined). These patches route each step through src/init-errors.js, which checks
// init's argument and turns each failure into an InitError that names the fix.
const alreadyLoaded = '\n    if (wasm !== undefined) return wasm;\n';
const selfTypes = `/* @ts-self-types="./${types}" */\n`;
// Bundlers find the .wasm by this exact expression, so it stays as it is, inside a try.
const defaultUrl = `module_or_path = new URL('${wasm}', import.meta.url);`;
const GLUE_PATCHES = [
  [selfTypes, `${selfTypes}import { checkInitInput, checkInitSyncInput, compileSync, fetchWasm, instantiateSync, `
    + `loadWasm, noWasmUrl, notInitialised } from './${errorsModule}';\n`],
  ['    constructor(options) {\n', '    constructor(options) {\n        if (wasm === undefined) throw notInitialised();\n'],
  [`async function __wbg_init(module_or_path) {${alreadyLoaded}`,
    `async function __wbg_init(module_or_path) {${alreadyLoaded}    checkInitInput(module_or_path);\n`],
  [`function initSync(module) {${alreadyLoaded}`, `function initSync(module) {${alreadyLoaded}    checkInitSyncInput(module);\n`],
  [defaultUrl, `try { ${defaultUrl} } catch (error) { throw noWasmUrl(error); }`],
  ['module_or_path = fetch(module_or_path);', 'module_or_path = fetchWasm(module_or_path);'],
  ['await __wbg_load(await module_or_path, imports);', 'await loadWasm(__wbg_load, await module_or_path, imports);'],
  [`    if (!(module instanceof WebAssembly.Module)) {
        module = new WebAssembly.Module(module);
    }
    const instance = new WebAssembly.Instance(module, imports);`, `    module = compileSync(module);
    const instance = instantiateSync(module, imports);`],
];

/** Copies src/init-errors.js next to the glue and patches the glue to call it. */
async function addInitErrors() {
  await copyFile(fromRepo(`src/${errorsModule}`), at(errorsModule));
  const source = await readFile(at(glue), 'utf8');
  await writeFile(at(glue), GLUE_PATCHES.reduce(
    (patched, [anchor, replacement]) => replaceOnce(patched, anchor, replacement, glue), source));
}

/**
 * `anchor` replaced in `source`, where it must occur exactly once, so that a wasm-bindgen
 * upgrade that changes the generated file stops the build here instead of shipping it unpatched.
 */
function replaceOnce(source, anchor, replacement, file) {
  const found = source.split(anchor).length - 1;
  if (found !== 1) throw new Error(`${file}: expected one ${JSON.stringify(anchor)}, found ${found}: recheck this step`);
  return source.replace(anchor, () => replacement);
}

// The InitError types go before the init types, so that the Node entry's types have them too.
const INIT_ERROR_TYPES = `/** The stable codes of an \`InitError\`. */
export type InitErrorCode =
| "not_initialised"
| "bad_init_argument"
| "wasm_url_unknown"
| "wasm_fetch_failed"
| "wasm_not_found"
| "wasm_invalid"
| "wasm_mismatch"
| "wasm_blocked_by_csp";

/**
 * Loading the wasm failed (\`init()\`, \`initSync()\`), or \`new Machine()\` ran before it was
 * loaded: an \`Error\` whose \`name\` is \`"InitError"\`, with a stable \`code\`, a message that
 * names the fix, and the engine's own error as \`cause\` where there is one.
 */
export interface InitError extends Error {
    name: "InitError";
    code: InitErrorCode;
}

`;

/** Rewrites the generated types for consumers' compilers and adds InitError; returns them. */
async function writeTypes() {
  const dts = await readFile(at(types), 'utf8');
  // The generated InitOutput lists raw wasm exports typed any; nothing public should be.
  const initOutput = /export interface InitOutput \{[^}]*\}/;
  if (!initOutput.test(dts)) throw new Error(`no InitOutput interface in ${types}`);
  // `[Symbol.dispose]` needs TypeScript's esnext lib: with it in the types, a consumer on an ES2022
  // lib cannot compile at all. `free()` stays; only `using` is lost.
  const dispose = /^\s*\[Symbol\.dispose\]\(\): void;\n/m;
  if (!dispose.test(dts)) throw new Error(`no [Symbol.dispose] in ${types}: recheck this step`);
  const finishedTypes = dts
    .replace(initOutput, (block) => block.replace(/\bany\b/g, 'unknown'))
    .replace(dispose, '')
    .replace('export type InitInput', `${INIT_ERROR_TYPES}export type InitInput`);
  await writeFile(at(types), finishedTypes);
  return finishedTypes;
}

/**
 * Types for the Node entry. The generated init types name DOM types (RequestInfo, Response,
 * BufferSource, WebAssembly), which a Node project on an ES lib without "dom" does not have:
 * with them, such a project could not compile at all. The Node entry has already
 * instantiated the module, so its init functions only hand back the exports.
 */
async function writeNodeTypes(finishedTypes) {
  const initTypes = finishedTypes.indexOf('export type InitInput');
  if (initTypes < 0) throw new Error(`no InitInput type in ${types}: recheck this step`);
  await writeFile(at('node.d.ts'), `${finishedTypes.slice(0, initTypes)}
/** The wasm instance's exports. */
export interface InitOutput {
  readonly memory: unknown;
  readonly [name: string]: unknown;
}

/** Nothing to do in Node: importing this entry instantiated the module. Returns its exports. */
export default function init(): Promise<InitOutput>;

/** Nothing to do in Node: importing this entry instantiated the module. Returns its exports. */
export function initSync(): InitOutput;
`);
}

/**
 * The JS glue ships minified, like the wasm: a kiosk page downloads it (about 5.5 KB gzipped
 * as generated, 3.2 KB minified). The types and the README keep the documentation. Names are
 * kept where a user sees them (a machine prints as `Machine`); init-errors.js has none to keep.
 */
async function minifyScripts() {
  const scripts = [glue, errorsModule, ...(await readdir(at('snippets/'), { recursive: true }))
    .filter((file) => file.endsWith('.js'))
    .map((file) => `snippets/${file}`)];
  for (const file of scripts) {
    const source = await readFile(at(file), 'utf8');
    const keepNames = file !== errorsModule;
    const { code } = await transform(source, { minify: true, keepNames, format: 'esm', target: 'es2022' });
    await writeFile(at(file), code);
  }
}

/** `take-a-number-deluxe/shared`: the windows-of-one-browser layer (js/shared/). */
async function writeSharedEntry() {
  await bundleEntry('shared/index.js', 'shared.js');
  await copyFile(fromRepo('js/shared/shared.d.ts'), at('shared.d.ts'));
}

/** The NATS clients' versions as the repository pins them, for the package's peerDependencies. */
async function natsPeerDependencies() {
  const devManifest = JSON.parse(await readFile(fromRepo('package.json'), 'utf8'));
  return Object.fromEntries(natsPackages.map((name) => {
    const version = devManifest.devDependencies[name];
    if (!version) throw new Error(`${name} is not a devDependency of the repository`);
    return [name, version];
  }));
}

/**
 * `take-a-number-deluxe/hub`: the facility hub (js/hub/). The NATS client packages stay
 * (optional peer) dependencies, not bundled in: a project that uses them too gets one copy, and
 * a kiosk page bundles its own (scripts/bundle-hub.mjs). The rules version is the package's.
 */
async function writeHubEntry(version) {
  await bundleEntry('hub/index.js', 'hub.js', {
    external: natsPackages,
    define: { __TAN_VERSION__: JSON.stringify(version) },
  });
  await copyFile(fromRepo('js/hub/hub.d.ts'), at('hub.d.ts'));
  // In Node the hub runs without an init() call, as the main entry does: its Node entry loads the
  // main Node entry first, which instantiates the wasm of the glue module that hub.js imports.
  await writeFile(at('hub-node.js'), `// Node entry of take-a-number-deluxe/hub: instantiate the wasm first (node.js), then the hub.
import './node.js';
export * from './hub.js';
`);
}

/**
 * Bundles a subpath entry of the package from js/ into pkg/ as one ES module. Its import of the
 * package's own entry stays an import of the glue next to it, so that a page that loads both
 * has one Machine class (and one wasm instance).
 */
function bundleEntry(source, out, options = {}) {
  return build({
    entryPoints: [fileURLToPath(fromRepo(`js/${source}`))],
    outfile: fileURLToPath(at(out)),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    keepNames: true,
    logLevel: 'warning',
    plugins: [{
      name: 'self',
      setup(build) {
        build.onResolve({ filter: /^take-a-number-deluxe$/ }, () => ({ path: `./${glue}`, external: true }));
      },
    }],
    ...options,
  });
}

/**
 * The package's own README (wasm-pack copied the repository's, which is about the kiosk): how to
 * use it in each bundler and runtime, tested by tests/package/bundlers.test.mjs.
 */
async function copyReadmeAndLicense() {
  await copyFile(fromRepo('LICENSE'), at('LICENSE'));
  await copyFile(fromRepo('docs/package-README.md'), at('README.md'));
}

/** Replaces wasm-pack's package.json with one that has `exports` for each entry and runtime. */
async function writePackageJson(manifest, natsDependencies) {
  const finished = {
    name: manifest.name,
    version: manifest.version,
    description: manifest.description,
    license: manifest.license,
    repository: manifest.repository,
    keywords: manifest.keywords,
    type: 'module',
    exports: {
      '.': {
        // First, so that TypeScript in a Node project picks the Node types.
        node: { types: './node.d.ts', default: './node.js' },
        types: `./${types}`,
        default: `./${glue}`,
      },
      './shared': { types: './shared.d.ts', default: './shared.js' },
      './hub': { types: './hub.d.ts', node: './hub-node.js', default: './hub.js' },
      [`./${wasm}`]: `./${wasm}`,
      './package.json': './package.json',
    },
    main: `./${glue}`,
    module: `./${glue}`,
    types: `./${types}`,
    files: [glue, types, wasm, errorsModule, 'snippets/', 'node.js', 'node.d.ts', 'shared.js', 'shared.d.ts', 'hub.js', 'hub-node.js', 'hub.d.ts', 'README.md', 'LICENSE'],
    // Optional peers: only an app that imports `take-a-number-deluxe/hub` needs the NATS
    // clients (and gets one copy of them, shared with its own use); everyone else installs nothing.
    peerDependencies: natsDependencies,
    peerDependenciesMeta: Object.fromEntries(Object.keys(natsDependencies).map((name) => [name, { optional: true }])),
    // Importing node.js instantiates the module; the browser glue has no side effects.
    sideEffects: ['./node.js', './hub-node.js'],
    engines: { node: '>=20' },
  };
  await writeFile(at('package.json'), `${JSON.stringify(finished, null, 2)}\n`);
  return finished;
}

await main();
