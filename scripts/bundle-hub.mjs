// The kiosk page's hub client: js/hub/browser.js with the NATS client packages bundled in, written
// next to the page's copy of the package (www/pkg/hub-browser.js) so that it imports the very
// same glue module as the page, whose init() the page has already called. The page loads it with
// a dynamic import only when config.json names a hub.
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';
import { withoutNkeys } from './lib/without-nkeys.mjs';

const out = new URL(`../${process.argv[2] ?? 'www/pkg'}/`, import.meta.url);
const manifest = JSON.parse(await readFile(new URL('package.json', out), 'utf8'));

const result = await build({
  entryPoints: [fileURLToPath(new URL('../js/hub/browser.js', import.meta.url))],
  outfile: fileURLToPath(new URL('hub-browser.js', out)),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  keepNames: true,
  metafile: true,
  logLevel: 'warning',
  define: { __TAN_VERSION__: JSON.stringify(manifest.version) },
  plugins: [withoutNkeys, {
    name: 'self',
    setup(build) {
      build.onResolve({ filter: /^take-a-number-deluxe$/ }, () => ({ path: './take_a_number_deluxe.js', external: true }));
    },
  }],
});
const bytes = Object.values(result.metafile.outputs)[0].bytes;
console.log(`www hub bundle: ${fileURLToPath(new URL('hub-browser.js', out))} (${bytes} bytes)`);
