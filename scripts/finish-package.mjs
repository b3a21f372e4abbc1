// Turns wasm-pack's `--target web` output in pkg/ into a package that works where npm users
// are: Node ESM (ready to use, no init call), browsers with native ES modules (`await init()`),
// and bundlers such as Vite. wasm-pack writes neither `exports` nor a Node entry, and its
// `--target web` glue cannot load itself in Node (it would `fetch` a file path).
import { readFile, writeFile, copyFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';

const pkgDir = new URL('../pkg/', import.meta.url);
const at = (name) => new URL(name, pkgDir);
const glue = 'take_a_number_deluxe.js';
const types = 'take_a_number_deluxe.d.ts';
const wasm = 'take_a_number_deluxe_bg.wasm';

const manifest = JSON.parse(await readFile(at('package.json'), 'utf8'));
const cargo = await readFile(new URL('../Cargo.toml', import.meta.url), 'utf8');
const cargoVersion = /^version = "([^"]+)"/m.exec(cargo)?.[1];
if (manifest.version !== cargoVersion) {
  throw new Error(`pkg/package.json has version ${manifest.version}, Cargo.toml ${cargoVersion}`);
}

// Node has no `fetch` for file paths, so its entry instantiates the wasm from the file next to
// it, synchronously, at import time; then it is the same module as the browser entry.
await writeFile(at('node.js'), `// Node entry: the wasm is read from this package and instantiated at import time.
import { readFileSync } from 'node:fs';
import { initSync } from './${glue}';

initSync({ module: readFileSync(new URL('./${wasm}', import.meta.url)) });

export * from './${glue}';
export { default } from './${glue}';
`);

// The generated InitOutput lists raw wasm exports typed any; nothing public should be.
const dts = await readFile(at(types), 'utf8');
const initOutput = /export interface InitOutput \{[^}]*\}/;
if (!initOutput.test(dts)) throw new Error(`no InitOutput interface in ${types}`);
// `[Symbol.dispose]` needs TypeScript's esnext lib: with it in the types, a consumer on an ES2022
// lib cannot compile at all. `free()` stays; only `using` is lost.
const dispose = /^\s*\[Symbol\.dispose\]\(\): void;\n/m;
if (!dispose.test(dts)) throw new Error(`no [Symbol.dispose] in ${types}: recheck this step`);
const finishedTypes = dts
  .replace(initOutput, (block) => block.replace(/\bany\b/g, 'unknown'))
  .replace(dispose, '');
await writeFile(at(types), finishedTypes);

// Types for the Node entry. The generated init types name DOM types (RequestInfo, Response,
// BufferSource, WebAssembly), which a Node project on an ES lib without "dom" does not have:
// with them, such a project could not compile at all. The Node entry has already
// instantiated the module, so its init functions only hand back the exports.
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

// The JS glue ships minified, like the wasm: a kiosk page downloads it (about 5.5 KB gzipped
// as generated, 3.2 KB minified). The types and the README keep the documentation.
const scripts = [glue, ...(await readdir(at('snippets/'), { recursive: true }))
  .filter((file) => file.endsWith('.js'))
  .map((file) => `snippets/${file}`)];
for (const file of scripts) {
  const source = await readFile(at(file), 'utf8');
  const { code } = await transform(source, { minify: true, keepNames: true, format: 'esm', target: 'es2022' });
  await writeFile(at(file), code);
}

// `take-a-number-deluxe/shared`: the windows-of-one-browser layer (js/shared/), one module that
// imports the package's own entry, so a page that loads both has one Machine class.
await build({
  entryPoints: [fileURLToPath(new URL('../js/shared/index.js', import.meta.url))],
  outfile: fileURLToPath(at('shared.js')),
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
});
await copyFile(new URL('../js/shared/shared.d.ts', import.meta.url), at('shared.d.ts'));

await copyFile(new URL('../LICENSE', import.meta.url), at('LICENSE'));

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
    [`./${wasm}`]: `./${wasm}`,
    './package.json': './package.json',
  },
  main: `./${glue}`,
  module: `./${glue}`,
  types: `./${types}`,
  files: [glue, types, wasm, 'snippets/', 'node.js', 'node.d.ts', 'shared.js', 'shared.d.ts', 'README.md', 'LICENSE'],
  // Importing node.js instantiates the module; the browser glue has no side effects.
  sideEffects: ['./node.js'],
  engines: { node: '>=20' },
};
await writeFile(at('package.json'), `${JSON.stringify(finished, null, 2)}\n`);
console.log(`pkg/ finished: ${finished.name}@${finished.version}`);
