// `make bench`, part two: what each bundler ships for the matrix's tiny app (tests/package/apps.mjs),
// built from the packed tarball as the package tests build it, and weighed by what Chromium
// actually downloads: every JS and wasm response, gzipped at level 9. A figure, not a test.
import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, freePort, waitForHttp } from '../tests/support/browser.mjs';
import { makeApp, packedTarball, root, targets, toolVersion, visitApp } from '../tests/package/apps.mjs';

const scratch = join(root, 'target', 'bench', 'bundle-apps');
await rm(scratch, { recursive: true, force: true });
await mkdir(scratch, { recursive: true });
const tarball = await packedTarball();
const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
const rows = [];
try {
  for (const target of targets.filter((t) => t.kind === 'browser')) {
    const app = await makeApp(target, tarball, scratch);
    const port = await freePort();
    const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1',
      '--directory', join(app.dir, target.served)], { stdio: 'ignore' });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/`);
      const { text, shipped } = await visitApp(browser, `http://127.0.0.1:${port}/`);
      if (text.startsWith('failed')) throw new Error(`${target.name}: ${text}`);
      const version = (await toolVersion(target)) ?? `Chromium ${browser.version()}`;
      rows.push({ name: target.name, version, js: shipped.js, wasm: shipped.wasm, files: shipped.files });
    } finally {
      server.kill();
    }
  }
} finally {
  await browser.close();
}

const fmt = (n) => n.toLocaleString('en-US');
console.log('\nWhat each bundler ships for the tiny app, gzipped (level 9), as Chromium downloads it\n');
console.log('| bundler | version | JS | wasm | total |');
console.log('|---|---|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.name} | ${r.version} | ${fmt(r.js)} B | ${fmt(r.wasm)} B | ${fmt(r.js + r.wasm)} B |`);
await mkdir(join(root, 'target', 'bench'), { recursive: true });
await writeFile(join(root, 'target', 'bench', 'bundles.json'), JSON.stringify(rows, null, 2));
