// Helpers shared by the browser-driven Node tests: Debian's Chromium (Playwright's own browser
// download does not work offline), free ports, and waiting for a static server to answer.
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export function chromiumPath() {
  return process.env.CHROMIUM ?? execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
}

/** Flags for root in a sandbox with no network beyond this machine. */
export const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function waitForHttp(url, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Serves `dir` with Python's static server (as `make serve` does) on a free port: `{ origin, close }`. */
export async function serveDirectory(dir) {
  const port = await freePort();
  const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir],
    { stdio: 'ignore' });
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${origin}/`);
  } catch (error) {
    server.kill();
    throw error;
  }
  return { origin, close: () => server.kill() };
}
