// deploy/ for real: the shipped nginx configuration in Debian's nginx (on a free port, every
// path in a temporary folder, serving build/www/), fetched raw to check compression and
// headers, then the kiosk running from it in Chromium; and the kiosk launcher, with a stand-in
// browser that records what it was given and with Debian's Chromium itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../support/browser.mjs';
import { startNginx } from '../support/nginx.mjs';
import { openConsole } from '../support/staff.mjs';
import { wallControls } from '../support/kiosk-page.mjs';

const built = fileURLToPath(new URL('../../build/www/', import.meta.url));
const launcher = fileURLToPath(new URL('../../deploy/kiosk/take-a-number-kiosk', import.meta.url));
const scratch = await mkdtemp(join(tmpdir(), 'take-a-number-deploy-'));
const root = join(scratch, 'srv');
let nginx;

before(async () => {
  await cp(built, root, { recursive: true });
  nginx = await startNginx({ root });
});

after(async () => {
  await nginx?.stop();
  await rm(scratch, { recursive: true, force: true });
});

/** A raw GET: the body as sent (still compressed), the headers as sent. */
function get(path, headers = {}) {
  return new Promise((resolve, reject) => {
    request(`${nginx.origin}${path}`, { headers }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject).end();
  });
}
const gzip = { 'accept-encoding': 'gzip, deflate, br' };

const directives = (policy) => new Map(policy.split(';').map((d) => d.trim()).filter(Boolean)
  .map((d) => [d.split(/\s+/)[0], d.split(/\s+/).slice(1).join(' ')]));

function assertSecurityHeaders(headers, what) {
  assert.equal(headers['x-frame-options'], 'DENY', what);
  assert.equal(headers['x-content-type-options'], 'nosniff', what);
  assert.equal(headers['referrer-policy'], 'no-referrer', what);
  assert.equal(headers['cross-origin-opener-policy'], 'same-origin', what);
  assert.match(headers['permissions-policy'] ?? '', /camera=\(\)/, what);
  assert.equal(directives(headers['content-security-policy'] ?? '').get('frame-ancestors'), "'none'", what);
  assert.equal(headers.server, 'nginx', `${what}: no version in the Server header`);
}

test('the page: compressed, never long-cached, and the CSP header is the meta CSP plus frame-ancestors', async () => {
  const html = await readFile(join(root, 'index.html'), 'utf8');
  const page = await get('/', gzip);
  assert.equal(page.status, 200);
  assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(page.headers['content-encoding'], 'gzip');
  assert.match(page.headers.vary ?? '', /Accept-Encoding/);
  assert.equal(gunzipSync(page.body).toString(), html);
  assert.equal(page.headers['cache-control'], 'no-cache');
  assertSecurityHeaders(page.headers, '/');

  const meta = directives(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)[1]);
  const header = directives(page.headers['content-security-policy']);
  assert.deepEqual(new Map([...header].filter(([name]) => name !== 'frame-ancestors')), meta,
    'the header enforces exactly what the page itself declares, plus frame-ancestors');

  const plain = await get('/');
  assert.equal(plain.headers['content-encoding'], undefined, 'uncompressed for a client that asks for that');
  assert.equal(plain.body.toString(), html);
});

test('assets/: served precompressed (gzip -9 from the build) and cached for a year as immutable', async () => {
  const files = (await readdir(join(root, 'assets'))).filter((f) => !f.endsWith('.gz'));
  const types = { '.js': 'application/javascript; charset=utf-8', '.css': 'text/css', '.wasm': 'application/wasm' };
  assert.deepEqual(new Set(files.map((f) => f.slice(f.lastIndexOf('.')))), new Set(Object.keys(types)));
  for (const file of files) {
    const response = await get(`/assets/${file}`, gzip);
    assert.equal(response.status, 200, file);
    assert.equal(response.headers['content-type'], types[file.slice(file.lastIndexOf('.'))], file);
    const original = await readFile(join(root, 'assets', file));
    if (!existsSync(join(root, 'assets', `${file}.gz`))) {
      // The build writes no .gz that gzip would make bigger (a helper chunk of a few bytes):
      // such a file is sent as it is.
      assert.ok(gzipSync(original, { level: 9 }).length >= original.length, `${file} has no .gz, yet gzip would shrink it`);
      assert.equal(response.headers['content-encoding'], undefined, file);
      assert.deepEqual(response.body, original, file);
    } else {
      assert.equal(response.headers['content-encoding'], 'gzip', file);
      assert.deepEqual(response.body, await readFile(join(root, 'assets', `${file}.gz`)), `${file}: the build's .gz, not compressed again`);
      assert.deepEqual(gunzipSync(response.body), original, file);
    }
    assert.equal(response.headers['cache-control'], 'public, max-age=31536000, immutable', file);
    assertSecurityHeaders(response.headers, file);
  }
});

test('sw.js, config.json, the manifest and icons are revalidated every time; an edited config.json is served as edited', async () => {
  for (const [path, type] of [
    ['/sw.js', 'application/javascript; charset=utf-8'],
    ['/config.json', 'application/json'],
    ['/manifest.webmanifest', 'application/manifest+json'],
    ['/icons/icon-192.png', 'image/png'],
  ]) {
    const response = await get(path, gzip);
    assert.equal(response.status, 200, path);
    assert.equal(response.headers['content-type'], type, path);
    assert.equal(response.headers['cache-control'], 'no-cache', path);
    assertSecurityHeaders(response.headers, path);
  }
  const config = JSON.parse(await readFile(join(root, 'config.json'), 'utf8'));
  await writeFile(join(root, 'config.json'), JSON.stringify({ ...config, facility: 'Edited on the server' }, null, 2));
  const edited = await get('/config.json', gzip);
  assert.equal(edited.headers['content-encoding'], 'gzip');
  assert.equal(JSON.parse(gunzipSync(edited.body)).facility, 'Edited on the server');
  await writeFile(join(root, 'config.json'), JSON.stringify(config, null, 2));

  const missing = await get('/no-such-file', gzip);
  assert.equal(missing.status, 404);
  assertSecurityHeaders(missing.headers, 'a 404');
});

test('the kiosk runs from nginx in Chromium: tickets, its worker, no CSP violation, and no page can frame it', async () => {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
  const problems = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1080, height: 1920 } });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(`${nginx.origin}/`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.locator('.department-card').first().getByRole('button', { name: 'Take a number' }).click();
    await page.waitForFunction(() => document.getElementById('ticket-number').textContent === '1');
    await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated');
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.locator('.card-status').first().textContent(), '1 person waiting');

    const framer = await context.newPage();
    await framer.evaluate((src) => new Promise((resolve) => {
      const frame = document.createElement('iframe');
      frame.addEventListener('load', resolve, { once: true });
      frame.src = src;
      document.body.append(frame);
    }), `${nginx.origin}/`);
    const frame = framer.frames()[1];
    assert.notEqual(frame.url(), `${nginx.origin}/`, 'the browser refused to show the kiosk in a frame');
    assert.equal(await frame.locator('#facility').count(), 0);
    await context.close();
  } finally {
    await browser.close();
  }
  assert.deepEqual(problems, []);
});

/** Runs the launcher with `env`; resolves with its exit code. */
function runLauncher(env, options = {}) {
  const child = spawn(launcher, [], { env: { PATH: process.env.PATH, HOME: scratch, ...env }, stdio: 'ignore', ...options });
  return { child, exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal))) };
}

/** Runs the launcher with a stand-in for Chromium that records its arguments and the
 * Preferences it would have read; returns that record. */
async function launchRecorded(profile, env = {}) {
  const record = join(scratch, 'launched.json');
  const fake = join(scratch, 'fake-chromium');
  await writeFile(fake, `#!/bin/sh
exec node -e 'const fs = require("fs"); const [record, prefs, ...args] = process.argv.slice(1);
const preferences = fs.existsSync(prefs) ? fs.readFileSync(prefs, "utf8") : null;
fs.writeFileSync(record, JSON.stringify({ args, preferences }))' ${JSON.stringify(record)} ${JSON.stringify(join(profile, 'Default/Preferences'))} "$@"
`);
  await chmod(fake, 0o755);
  await rm(record, { force: true });
  const { exited } = runLauncher({ CHROMIUM: fake, TAKE_A_NUMBER_PROFILE: profile, ...env });
  assert.equal(await exited, 0);
  return JSON.parse(await readFile(record, 'utf8'));
}

test('the launcher: kiosk mode, silent printing, the profile kept, and a power cut forgotten', async () => {
  const profile = join(scratch, 'profile-fake');
  await mkdir(join(profile, 'Default'), { recursive: true });
  // How Chromium leaves its Preferences after a power cut (the next test sees it do so).
  await writeFile(join(profile, 'Default/Preferences'),
    '{"profile":{"exit_type":"Crashed","exited_cleanly":false,"name":"Person 1"},"sessions":{"event_log":[]}}');
  const { args, preferences } = await launchRecorded(profile,
    { TAKE_A_NUMBER_URL: 'http://127.0.0.1:9/', TAKE_A_NUMBER_FLAGS: '--force-device-scale-factor=1.5' });
  for (const flag of ['--kiosk', '--kiosk-printing', '--enable-speech-dispatcher', '--hide-crash-restore-bubble', '--no-first-run', `--user-data-dir=${profile}`, '--force-device-scale-factor=1.5']) {
    assert.ok(args.includes(flag), `${flag} in ${args.join(' ')}`);
  }
  assert.equal(args.at(-1), 'http://127.0.0.1:9/', 'the page comes last');
  assert.deepEqual(JSON.parse(preferences).profile, { exit_type: 'Normal', exited_cleanly: true, name: 'Person 1' },
    'the crash is forgotten before Chromium reads its Preferences');
  assert.equal((await launchRecorded(join(scratch, 'profile-new'))).args.at(-1), 'http://127.0.0.1/', 'the default page: deploy/nginx/');
});

/**
 * Starts the launcher on Debian's Chromium (headless, with a DevTools port) at `url`, with
 * `env` added to its environment, and attaches to it: `{ child, exited, browser, page }`, the
 * page once it is ready.
 */
async function startKiosk({ profile, url, env = {} }) {
  // A process group of its own: stopKiosk stops every process of this Chromium (stopKiosk).
  const launched = runLauncher({
    CHROMIUM: chromiumPath(),
    TAKE_A_NUMBER_PROFILE: profile,
    TAKE_A_NUMBER_URL: url,
    // Headless here; the port file appears in the profile.
    TAKE_A_NUMBER_FLAGS: `${chromiumArgs.join(' ')} --headless --remote-debugging-port=0`,
    ...env,
  }, { detached: true });
  try {
    let port = null;
    for (let i = 0; i < 300 && port === null; i++) {
      port = await readFile(join(profile, 'DevToolsActivePort'), 'utf8').then((text) => text.split('\n')[0]).catch(() => null);
      if (port === null) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(port, 'Chromium started and opened its DevTools port');
    // Attaching while Chromium is still creating its own start-up UI can stall: try again.
    for (let attempt = 1; !launched.browser; attempt++) {
      try {
        launched.browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`, { timeout: 10_000 });
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    for (let i = 0; i < 300 && !launched.page; i++) {
      launched.page = launched.browser.contexts()[0]?.pages().find((p) => p.url().startsWith(nginx.origin));
      if (!launched.page) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(launched.page, 'the kiosk page is open');
    await launched.page.waitForSelector('body[data-ready="true"]');
    return launched;
  } catch (error) {
    await stopKiosk(launched, 'SIGKILL');
    throw error;
  }
}

/**
 * Stops the kiosk's Chromium as a power cut would: every process of its group, not the browser
 * process alone, whose renderer and helper processes would otherwise go on a moment and write
 * into the profile (the test after, or the removal of the scratch folder, would meet their
 * files: ENOTEMPTY). Resolves once none of them is left.
 */
async function stopKiosk(launched, signal) {
  const group = -launched.child.pid;
  const alive = () => {
    try {
      process.kill(group, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (alive()) process.kill(group, signal);
  await launched.exited;
  for (let i = 0; i < 200 && alive(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(alive(), false, 'every process of the kiosk\'s Chromium has stopped');
  await launched.browser?.close().catch(() => {});
}

test('the launcher starts Debian\'s Chromium on the kiosk; after a power cut it starts clean, with the tickets', async () => {
  const profile = join(scratch, 'profile-real');
  const running = new Set(); // every browser this test started, stopped whatever happens
  const start = async () => {
    const launched = await startKiosk({ profile, url: `${nginx.origin}/` });
    running.add(launched);
    return launched;
  };
  const stop = async (launched, signal) => {
    await stopKiosk(launched, signal);
    running.delete(launched);
  };

  try {
    const first = await start();
    await first.page.locator('.department-card').first().getByRole('button', { name: 'Take a number' }).click();
    await first.page.waitForFunction(() => document.getElementById('ticket-number').textContent === '1');
    await first.page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    // Chromium writes its Preferences a few seconds after start, marked as crashed until it exits.
    const preferencesFile = join(profile, 'Default/Preferences');
    const crashedMark = () => readFile(preferencesFile, 'utf8').then((text) => JSON.parse(text).profile?.exit_type).catch(() => null);
    for (let i = 0; i < 600 && await crashedMark() !== 'Crashed'; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    await rm(join(profile, 'DevToolsActivePort'));
    await stop(first, 'SIGKILL'); // the power cut
    assert.equal(await crashedMark(), 'Crashed', 'Chromium marks its profile as crashed while it runs');
    const { preferences } = await launchRecorded(profile);
    assert.equal(JSON.parse(preferences).profile.exit_type, 'Normal', 'the launcher clears the mark Chromium itself wrote');
    assert.notEqual(JSON.parse(preferences).profile.exited_cleanly, false, 'older versions mark it here too');

    const second = await start();
    assert.equal(await second.page.locator('.card-status').first().textContent(), '1 person waiting');
  } finally {
    for (const launched of running) await stop(launched, 'SIGKILL');
  }
});

/**
 * speech-dispatcher as the kiosk has it (Debian's packages, started by Chromium itself), but
 * played into ALSA's null device: this machine has no sound card, and Debian's default output
 * (PulseAudio) would leave the first utterance started and never ended. A runtime folder of
 * its own, so that no other speech-dispatcher's socket (of another configuration) is reused.
 */
async function speechSetUp() {
  const home = join(scratch, 'speech');
  const config = join(home, 'config');
  const runtime = join(home, 'run');
  await mkdir(join(config, 'speech-dispatcher'), { recursive: true });
  await mkdir(runtime, { recursive: true, mode: 0o700 });
  await writeFile(join(config, 'speech-dispatcher/speechd.conf'), [
    'AudioOutputMethod "alsa"',
    'AudioALSADevice "null"',
    'AddModule "espeak-ng" "sd_espeak-ng" "espeak-ng.conf"',
    'DefaultModule espeak-ng',
    '',
  ].join('\n'));
  return { XDG_CONFIG_HOME: config, XDG_RUNTIME_DIR: runtime };
}

test('the launcher\'s Chromium says the calls through speech-dispatcher: three calls within a second, each said to its end, in order, in English and in Spanish', async () => {
  const launched = await startKiosk({ profile: join(scratch, 'profile-speech'), url: `${nginx.origin}/#board`, env: await speechSetUp() });
  try {
    const board = launched.page;
    // Every utterance's events, as the page hands them to the real speechSynthesis.
    await board.evaluate(() => {
      window.heard = [];
      const speak = speechSynthesis.speak.bind(speechSynthesis);
      speechSynthesis.speak = (utterance) => {
        for (const type of ['start', 'end', 'error']) {
          utterance.addEventListener(type, (event) => window.heard.push({ type, text: utterance.text, voice: utterance.voice?.name ?? null, error: event.error }));
        }
        speak(utterance);
      };
    });
    await wallControls(board);
    await board.getByLabel('Chime and call out numbers on this screen').check(); // the tap browsers ask for
    // Each call the board shows over its tiles, in the order shown.
    await board.evaluate(() => {
      window.overlaid = [];
      const overlay = document.querySelector('.call-overlay');
      new MutationObserver(() => window.overlaid.push(overlay.querySelector('.call-line').textContent))
        .observe(overlay, { attributes: true, attributeFilter: ['data-call'] });
    });
    const context = launched.browser.contexts()[0];
    const kiosk = await context.newPage();
    await kiosk.goto(`${nginx.origin}/`);
    await kiosk.waitForSelector('body[data-ready="true"]');
    for (const id of ['reception', 'pharmacy', 'blood-tests', 'reception', 'pharmacy', 'blood-tests']) {
      const before = await kiosk.textContent(`#status-${id}`);
      await kiosk.click(`.take[data-department="${id}"]`);
      // A department with queue groups asks which: the first.
      await kiosk.evaluate(() => document.querySelector('#group-picker:not([hidden]) .group-choice')?.click());
      await kiosk.waitForFunction(([dept, text]) => document.getElementById(`status-${dept}`).textContent !== text, [id, before]);
    }
    const staff = await context.newPage();
    await openConsole(staff, nginx.origin);
    await staff.selectOption('#counter-blood-tests', '3');
    /** Staff call the next number in each of the three departments, one after the other. */
    const callThree = async () => {
      await staff.bringToFront(); // a page behind another has its frames held back
      const started = Date.now();
      for (const id of ['reception', 'pharmacy', 'blood-tests']) {
        const result = staff.locator(`#staff-departments [data-department="${id}"] .staff-result`);
        const before = await result.textContent();
        await staff.click(`#staff-departments [data-department="${id}"] [data-action="serve"]`);
        await staff.waitForFunction(([dept, text]) => document.querySelector(`#staff-departments [data-department="${dept}"] .staff-result`).textContent !== text, [id, before]);
      }
      return Date.now() - started;
    };
    const said = async (count) => {
      await board.waitForFunction((n) => window.heard.filter((e) => e.type !== 'start').length >= n, count, { timeout: 60_000 });
      return board.evaluate(() => window.heard.map(({ type, text, error }) => (type === 'error' ? `error ${error}: ${text}` : `${type} ${text}`)));
    };

    const englishMs = await callThree();
    assert.deepEqual(await said(3), [
      'start Number 1, Reception', 'end Number 1, Reception',
      'start Number 100, Pharmacy', 'end Number 100, Pharmacy',
      'start Number 200, counter 3', 'end Number 200, counter 3',
    ]);
    await board.bringToFront();
    await wallControls(board);
    await board.getByRole('button', { name: 'Español' }).click();
    const spanishMs = await callThree();
    assert.deepEqual((await said(6)).slice(6), [
      'start Número 2, Recepción', 'end Número 2, Recepción',
      'start Número 101, Farmacia', 'end Número 101, Farmacia',
      'start Número 201, puesto 3', 'end Número 201, puesto 3',
    ]);
    assert.deepEqual(await board.evaluate(() => window.overlaid), ['1→Reception', '100→Pharmacy', '200→Counter 3', '2→Recepción', '101→Farmacia', '201→Puesto 3'],
      'shown over the board in the order made, as each was said');
    const voices = await board.evaluate(() => [...new Set(window.heard.map((e) => e.voice))]);
    console.log(`# figures: ${JSON.stringify({ speech: 'speech-dispatcher, espeak-ng, ALSA null', callsMs: [englishMs, spanishMs], voices })}`);
    // The board shows them too, the newest first in the last calls.
    assert.equal(await board.textContent('.board-tile[data-department="blood-tests"] .board-calls li.newest .call-number'), '201');
  } finally {
    await stopKiosk(launched, 'SIGKILL');
  }
});
