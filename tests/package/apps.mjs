// The package's bundler and runtime matrix: one tiny app per bundler or runtime, written as a
// new user would write it with the package README's recipe, installed from `make pack`'s
// tarball, built with the bundler that `make setup` installed, and run in Chromium or from
// the command line. `bundlers.test.mjs` checks the answers; `bench/bundles.mjs` weighs what
// each bundler ships. The rows here are the rows of the README's matrix.
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

const run = promisify(execFile);
export const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
export const pkg = 'take-a-number-deluxe';

/**
 * The package's subpath exports. Every app imports each one and checks it; the TypeScript test
 * type-checks each. One line per subpath, for example
 *   { specifier: `${pkg}/shared`, imports: '{ SharedMachine }', check: "typeof SharedMachine === 'function'", browserOnly: true },
 * `check` is an expression over the imported names that must be true; `browserOnly` leaves the
 * subpath out of the Node, Bun and Deno apps.
 */
export const subpaths = [
  // A real shared machine (Web Locks, BroadcastChannel, IndexedDB): a fresh name, so its first number.
  {
    specifier: `${pkg}/shared`,
    imports: '{ SharedMachine }',
    check: "await new SharedMachine({ name: `matrix-${Date.now()}`, minNumber: 5, maxNumber: 9 }).queueNewNumber() === 5",
    browserOnly: true,
  },
  // The facility hub's client loads with its NATS clients (no hub to talk to here: the hub
  // tests in tests/js/hub/devices.test.mjs and package.test.mjs do that against a real nats-server).
  // The NATS clients are CommonJS, which a browser cannot import without a bundler, and their
  // types need TypeScript's esnext lib (Symbol.asyncDispose).
  {
    specifier: `${pkg}/hub`,
    imports: '{ Hub, CONNECTION_OPTIONS }',
    check: "typeof Hub === 'function' && CONNECTION_OPTIONS !== null",
    bundlerOnly: true,
    lib: ['esnext', 'dom'],
  },
];

// Each target writes its app's files into `dir` and builds it; a browser app ends up as static
// files in `dir/<served>` (index.html first), a runtime app runs `command` in `dir`.
export const page = (script, head = '') => `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${pkg} in a bundler</title>${head}</head>
<body><output id="result">loading</output>${script}</body></html>
`;
export const moduleScript = (src) => `<script type="module" src="${src}"></script>`;

export const targets = [
  {
    id: 'vite', name: 'Vite', kind: 'browser', tool: 'vite', needs: 'nothing',
    async build(dir) {
      await writeFile(join(dir, 'index.html'), page(moduleScript('/main.js')));
      await run(bin('vite'), ['build', '--logLevel', 'error'], { cwd: dir });
    },
    served: 'dist',
  },
  {
    id: 'webpack', name: 'webpack 5', kind: 'browser', tool: 'webpack', needs: 'nothing',
    async build(dir) {
      // webpack's Node API, as webpack-cli would call it with `webpack --mode production`.
      await writeFile(join(dir, 'build.mjs'), `import webpack from 'webpack';
import { resolve } from 'node:path';
webpack({ mode: 'production', entry: './main.js', output: { path: resolve('dist') } }, (error, stats) => {
  if (error || stats.hasErrors()) {
    console.error(error ?? stats.toString('errors-only'));
    process.exitCode = 1;
  }
});
`);
      await run('node', ['build.mjs'], { cwd: dir });
      await writeFile(join(dir, 'dist', 'index.html'), page('<script src="main.js"></script>'));
    },
    served: 'dist',
  },
  {
    id: 'esbuild', name: 'esbuild', kind: 'browser', tool: 'esbuild', wasmUrl: true,
    needs: "`--loader:.wasm=file`; import the .wasm's URL and pass it to `init`",
    async build(dir) {
      await run(bin('esbuild'), ['main.js', '--bundle', '--format=esm', '--minify', '--loader:.wasm=file',
        '--outdir=dist', '--log-level=error'], { cwd: dir });
      await writeFile(join(dir, 'dist', 'index.html'), page(moduleScript('main.js')));
    },
    served: 'dist',
  },
  {
    id: 'rollup', name: 'Rollup', kind: 'browser', tool: 'rollup', wasmUrl: true,
    needs: "`@rollup/plugin-url` for the .wasm (and `@rollup/plugin-node-resolve`, as for any npm package); import the .wasm's URL and pass it to `init`; for the hub entry, `@rollup/plugin-commonjs` (the NATS clients are CommonJS)",
    async build(dir) {
      await writeFile(join(dir, 'rollup.config.mjs'), `import { nodeResolve } from '@rollup/plugin-node-resolve';
import commonjs from '@rollup/plugin-commonjs';
import url from '@rollup/plugin-url';

export default {
  input: 'main.js',
  output: { dir: 'dist', format: 'es' },
  plugins: [nodeResolve({ browser: true }), commonjs(), url({ include: ['**/*.wasm'], limit: 0 })],
};
`);
      await run(bin('rollup'), ['-c', '--silent'], { cwd: dir });
      await writeFile(join(dir, 'dist', 'index.html'), page(moduleScript('main.js')));
    },
    served: 'dist',
  },
  {
    id: 'parcel', name: 'Parcel', kind: 'browser', tool: 'parcel',
    needs: 'nothing; for the hub entry, `packageExports` on (the NATS clients have only an `exports` map)',
    async build(dir) {
      await writeFile(join(dir, 'index.html'), page(moduleScript('./main.js')));
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
      manifest['@parcel/resolver-default'] = { packageExports: true };
      await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      await run(bin('parcel'), ['build', 'index.html', '--dist-dir', 'dist', '--no-cache', '--no-autoinstall',
        '--no-source-maps', '--log-level', 'error'], { cwd: dir });
    },
    served: 'dist',
  },
  {
    id: 'browser', name: 'Browser, no bundler', kind: 'browser', tool: null,
    needs: 'an import map (or the path of the package\'s JS file); the hub entry needs a bundler',
    async build(dir) {
      const manifest = JSON.parse(await readFile(join(dir, 'node_modules', pkg, 'package.json'), 'utf8'));
      const imports = Object.fromEntries([pkg, ...subpaths.map((s) => s.specifier)]
        .map((specifier) => [specifier, `/node_modules/${pkg}/${browserFile(manifest, specifier)}`]));
      const importMap = `<script type="importmap">${JSON.stringify({ imports })}</script>`;
      await writeFile(join(dir, 'index.html'), page(`${importMap}${moduleScript('/main.js')}`));
    },
    served: '.',
  },
  { id: 'node', name: 'Node', kind: 'runtime', tool: null, needs: 'nothing (no `init` call)', command: ['node', 'app.mjs'] },
  {
    id: 'node-require', name: 'Node, CommonJS `require`', kind: 'runtime', tool: null, format: 'cjs',
    needs: 'Node 20.19 or later (`require` of an ES module)', command: ['node', 'app.cjs'],
  },
  { id: 'bun', name: 'Bun', kind: 'runtime', tool: 'bun', needs: 'nothing', command: () => [bunBinary(), 'app.mjs'] },
  {
    id: 'deno', name: 'Deno', kind: 'runtime', tool: 'deno', needs: '`--allow-read` (the package reads its .wasm)',
    command: () => [bin('deno'), 'run', '--allow-read', 'app.mjs'],
  },
];

/** The version of a target's tool that `make setup` installed, from its package.json. */
export async function toolVersion(target) {
  if (!target.tool) return target.kind === 'runtime' ? process.versions.node : null;
  const manifest = JSON.parse(await readFile(join(root, 'node_modules', target.tool, 'package.json'), 'utf8'));
  return manifest.version;
}

/** The answers every app reports, when the package works. */
export function expectedAnswers(target) {
  const browser = target.kind === 'browser';
  return {
    // The web entry needs init() first and checks its argument; the runtimes' Node entry has
    // loaded the wasm on import, so it takes both calls in its stride.
    beforeInit: browser ? 'not_initialised' : 'constructed',
    badInit: browser ? 'bad_init_argument' : 'accepted',
    taken: [10, 11],
    served: 10,
    missing: 'priority_number_not_found',
    queue: [11],
    subpaths: Object.fromEntries(subpathsOf(target).map((s) => [s.specifier, true])),
  };
}

const subpathsOf = (target) => subpaths.filter((s) => (target.kind === 'browser' || !s.browserOnly)
  && !(target.id === 'browser' && s.bundlerOnly));

/** The app's source: the same checks everywhere, in the target's module format. */
export function appSource(target) {
  const cjs = target.format === 'cjs';
  const load = (names, specifier) => (cjs ? `const ${requireNames(names)} = require('${specifier}');`
    : `import ${names} from '${specifier}';`);
  const imports = [
    load('init, { Machine }', pkg),
    ...(target.wasmUrl ? [load('wasmUrl', `${pkg}/take_a_number_deluxe_bg.wasm`)] : []),
    ...subpathsOf(target).map((s) => load(s.imports, s.specifier)),
  ];
  const checks = subpathsOf(target).map((s) => `    ${JSON.stringify(s.specifier)}: ${s.check},`);
  const body = `${imports.join('\n')}

async function check() {
  const answers = {};
  try {
    new Machine({ minNumber: 1, maxNumber: 2 });
    answers.beforeInit = 'constructed';
  } catch (error) {
    answers.beforeInit = error.code;
  }
  answers.badInit = await init(42).then(() => 'accepted', (error) => error.code);
  await init(${target.wasmUrl ? '{ module_or_path: wasmUrl }' : ''});
  const machine = new Machine({ minNumber: 10, maxNumber: 12 });
  answers.taken = [await machine.queueNewNumber(), await machine.queueNewNumber()];
  answers.served = await machine.serveNextQueuedNumber();
  answers.missing = await machine.serveNextQueuedNumber(99).then(String, (error) => error.code);
  answers.queue = (await machine.reportState()).queue;
  answers.subpaths = {
${checks.join('\n')}
  };
  return answers;
}
`;
  if (target.kind === 'runtime') return `${body}\ncheck().then((answers) => console.log(JSON.stringify(answers)));\n`;
  return `${body}
const result = document.getElementById('result');
check().then((answers) => {
  result.textContent = JSON.stringify(answers);
}, (error) => {
  result.textContent = \`failed: \${error.name} \${error.code}: \${error.message}\`;
});
`;
}

/** An import clause (`a`, `{ a as b }`, `a, { b }`, `* as a`) as what `require` gives destructures. */
function requireNames(clause) {
  const namespace = /^\*\s+as\s+(\w+)$/.exec(clause.trim());
  if (namespace) return namespace[1];
  const [, defaultName, named] = /^\s*(\w+)?\s*,?\s*(?:\{([^}]*)\})?\s*$/.exec(clause);
  const parts = (named ?? '').split(',').map((part) => part.trim()).filter(Boolean)
    .map((part) => part.replace(/\s+as\s+/, ': '));
  if (defaultName) parts.unshift(`default: ${defaultName}`);
  return `{ ${parts.join(', ')} }`;
}

/** A scratch project with the tarball installed, offline: it has no dependencies of its own. */
export async function install(dir, tarball, name, extra = []) {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({ name, private: true, type: 'module' }, null, 2)}\n`);
  // The hub entry's NATS clients are optional peer dependencies: an app that uses the hub
  // installs them itself, as the package README says. They come from npm's cache, which
  // `make setup` filled (they are devDependencies of this repository), so this stays offline.
  const packages = [...hubPeers, ...extra].map((name) => `${name}@${devDependency(name)}`);
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tarball, ...packages], { cwd: dir });
}

/** The packages an app of `take-a-number-deluxe/hub` installs beside it. */
export const hubPeers = ['@nats-io/nats-core', '@nats-io/jetstream', '@nats-io/kv'];

const devManifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
function devDependency(name) {
  const version = devManifest.devDependencies[name];
  if (!version) throw new Error(`${name} is not a devDependency of the repository`);
  return version;
}

/** Writes and builds one target's app in `scratch/<id>`; returns where it is. */
export async function makeApp(target, tarball, scratch) {
  const dir = join(scratch, target.id);
  await install(dir, tarball, `app-${target.id}`);
  const file = target.kind === 'browser' ? 'main.js' : `app.${target.format === 'cjs' ? 'cjs' : 'mjs'}`;
  await writeFile(join(dir, file), appSource(target));
  if (target.build) await target.build(dir);
  return { target, dir };
}

/** The tarball `make pack` wrote. */
export async function packedTarball() {
  const dist = join(root, 'dist');
  const tarballs = existsSync(dist) ? (await readdir(dist)).filter((f) => f.endsWith('.tgz')) : [];
  if (tarballs.length !== 1) throw new Error(`expected one tarball in dist/ (run make pack), found ${tarballs}`);
  return join(dist, tarballs[0]);
}

/** Runs a runtime app; resolves with its answers as printed. */
export async function runApp({ target, dir }) {
  const [command, ...args] = typeof target.command === 'function' ? target.command() : target.command;
  const { stdout } = await run(command, args, { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
  return JSON.parse(stdout);
}

/**
 * Opens a browser app in `browser` (served from `url`) and waits for its answers. Also counts
 * what it downloaded: each JS and wasm response, gzipped at level 9.
 */
export async function visitApp(browser, url, { routes = {} } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  for (const [pattern, handler] of Object.entries(routes)) await page.route(pattern, handler);
  const errors = [];
  const bodies = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
  });
  page.on('response', (response) => {
    const kind = /\.wasm$/.test(new URL(response.url()).pathname) ? 'wasm'
      : response.request().resourceType() === 'script' ? 'js' : null;
    if (kind) bodies.push(response.body().then((body) => ({ kind, url: response.url(), body }), () => null));
  });
  try {
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById('result').textContent !== 'loading', null,
      { timeout: 30_000 });
    const text = await page.textContent('#result');
    const shipped = { js: 0, wasm: 0, files: [] };
    for (const file of await Promise.all(bodies)) {
      if (!file) continue;
      const gzipped = gzipSync(file.body, { level: 9 }).length;
      shipped[file.kind] += gzipped;
      shipped.files.push({ url: file.url, bytes: file.body.length, gzipped });
    }
    return { text, errors, shipped };
  } finally {
    await context.close();
  }
}

/** The file a browser gets for `specifier` from the package's `exports` (no `node`, no types). */
export function browserFile(manifest, specifier) {
  const subpath = specifier === pkg ? '.' : `.${specifier.slice(pkg.length)}`;
  const pick = (entry) => {
    if (typeof entry === 'string') return entry;
    for (const [condition, value] of Object.entries(entry ?? {})) {
      if (['browser', 'import', 'module', 'default'].includes(condition)) return pick(value);
    }
    throw new Error(`no browser file for ${specifier} in the exports map`);
  };
  return pick(manifest.exports[subpath]).replace(/^\.\//, '');
}

/** Bun's binary: npm's postinstall links it into the `bun` package; without it, use the platform package. */
function bunBinary() {
  const candidates = [
    join(root, 'node_modules', 'bun', 'bin', 'bun.exe'),
    join(root, 'node_modules', '@oven', `bun-${process.platform}-${process.arch}`, 'bin', 'bun'),
  ];
  // The unlinked bun.exe is a small placeholder script that only prints how to run the postinstall.
  return candidates.find((file) => existsSync(file) && statSync(file).size > 1_000_000) ?? candidates[0];
}
