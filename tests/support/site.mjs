// The built site as a facility serves it, for the tests of hub mode and following: built as
// `make site` builds it, config.json edited as a facility would, served by Python's static
// server on the port whose origin the hub admits.
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitForHttp } from './browser.mjs';
import { buildSite } from '../../scripts/build-site.mjs';

/**
 * Builds the site into `to` with config.json naming the hub at `hub` (its WebSocket addresses;
 * left out: no hub), applies `change(config)` to it, and serves it on `port`. Resolves once it
 * answers with `{ origin, to, config, close() }`.
 */
export async function serveBuiltSite({ to, port, hub, change = () => {} }) {
  await buildSite({ to, hub, compress: false });
  const configFile = join(to, 'config.json');
  const config = JSON.parse(await readFile(configFile, 'utf8'));
  change(config);
  await writeFile(configFile, JSON.stringify(config));
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', to], { stdio: 'ignore' });
  try {
    await waitForHttp(`${origin}/`);
  } catch (error) {
    child.kill();
    throw error;
  }
  return { origin, to, config, close: () => child.kill() };
}
