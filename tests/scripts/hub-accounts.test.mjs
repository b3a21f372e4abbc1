// A facility's own hub passwords, end to end: `scripts/hub-accounts.mjs` run without a terminal
// (the passwords from the environment, as a script would give them), then `make hub` itself
// running a real nats-server with what it wrote, and refusing to listen beyond loopback while a
// password is still a demo one. `make -o setup` skips the tool installation these tests do not
// need (`make test-scripts` runs it first).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcryptjs';
import { connect } from '@nats-io/transport-node';
import { freePort } from '../support/browser.mjs';
import { until } from '../support/wait.mjs';
import { SHIPPED, hashes, isFrom } from '../../scripts/lib/accounts-file.mjs';
import { isLoopback } from '../../scripts/lib/loopback.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
// The commands run with this environment and nothing of the caller's hub settings (nor of an
// outer make's, whose jobserver they cannot reach).
const ENV = Object.fromEntries(Object.entries(process.env)
  .filter(([name]) => !name.startsWith('HUB_') && !['MAKEFLAGS', 'MFLAGS', 'MAKELEVEL'].includes(name)));
const USERS = ['kiosk', 'board', 'staff', 'manager', 'admin', 'edge'];
/** The public one: phones get its password in the follow page's config.json. */
const VISITOR = 'visitor';
/** Each user's own password, as the facility would choose it. */
const OWN = Object.fromEntries(USERS.map((user) => [user, `${user} at riverside, 2026`]));
const variable = (user) => `HUB_PASSWORD_${user.toUpperCase()}`;
/** The environment that gives hub-accounts.mjs `passwords` (user → password; undefined: none). */
const passwordsFor = (passwords) => Object.fromEntries(Object.entries(passwords)
  .filter(([, pass]) => pass !== undefined).map(([user, pass]) => [variable(user), pass]));

let scratch;
let etc;
let accounts;
let written;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'tan-hub-accounts-'));
  etc = join(scratch, 'etc');
  accounts = join(etc, 'accounts.conf');
  written = run('node', ['scripts/hub-accounts.mjs', accounts], passwordsFor(OWN));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Runs a command in the repository, without a terminal; `env` on top of ENV. */
function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: repo, env: { ...ENV, ...env }, encoding: 'utf8', stdio: 'pipe' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let tries = 0;
/** Runs hub-accounts.mjs into `file` (a fresh folder's) with `passwords` (user → password). */
async function writeAccounts(passwords, file = join(scratch, `try-${++tries}`, 'accounts.conf')) {
  return { file, ...run('node', ['scripts/hub-accounts.mjs', file], passwordsFor(passwords)) };
}

/** Whether something accepts connections on loopback `port`. */
const listening = (port) => new Promise((resolve) => {
  const socket = tcpConnect(port, '127.0.0.1');
  socket.once('connect', () => { socket.destroy(); resolve(true); });
  socket.once('error', () => resolve(false));
});

// A test that dies leaves no hub behind.
const groups = new Set();
process.once('exit', () => {
  for (const group of groups) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // gone already
    }
  }
});

/**
 * `make hub` with the facility accounts of `hubEtc` (if any) on free ports, in a process group
 * of its own, so that `stop()` reaches every process of it, as Ctrl-C does.
 */
async function makeHub(hubEtc, { env = {}, host = '127.0.0.1' } = {}) {
  const [port, wsPort, leafPort] = [await freePort(), await freePort(), await freePort()];
  const data = join(scratch, `data-${port}`);
  const make = spawn('make', ['-o', 'setup', 'hub', `HUB_HOST=${host}`, `HUB_ETC=${hubEtc}`, `HUB_DATA=${data}`,
    `HUB_PORT=${port}`, `HUB_WS_PORT=${wsPort}`, `HUB_LEAF_PORT=${leafPort}`], { cwd: repo, env: { ...ENV, ...env }, detached: true });
  groups.add(make.pid);
  let output = '';
  make.stdout.on('data', (chunk) => { output += chunk; });
  make.stderr.on('data', (chunk) => { output += chunk; });
  let ended = false;
  const exited = new Promise((resolve) => make.once('exit', (code) => {
    groups.delete(make.pid);
    ended = true;
    resolve(code);
  }));
  return {
    servers: [`nats://127.0.0.1:${port}`],
    port,
    data,
    exited,
    get ended() {
      return ended;
    },
    output: () => output,
    /** Resolves once the hub is set up; fails if make ends first. */
    async ready() {
      await until(() => /Hub ready/.test(output) || ended, 'make hub to set the hub up', 20_000);
      if (!/Hub ready/.test(output)) assert.fail(`make hub ended:\n${output}`);
    },
    async stop() {
      if (groups.has(make.pid)) process.kill(-make.pid, 'SIGINT');
      const timer = setTimeout(() => groups.has(make.pid) && process.kill(-make.pid, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Whether `user` gets in with `pass`. */
async function signsIn(servers, user, pass) {
  try {
    await (await connect({ servers, user, pass })).close();
    return true;
  } catch (error) {
    assert.match(error.message, /Authorization Violation/);
    return false;
  }
}

test('hub-accounts writes the shipped accounts with each user\'s own password, readable by its owner only', async () => {
  assert.equal(written.code, 0, written.stderr);
  assert.match(written.stdout, /kiosk new, board new, staff new, manager new, admin new, edge new, visitor kept/);
  assert.equal((await stat(accounts)).mode & 0o777, 0o600);
  assert.equal((await stat(etc)).mode & 0o777, 0o700);
  const text = await readFile(accounts, 'utf8');
  const own = hashes(text);
  assert.deepEqual([...own.keys()], [...USERS, VISITOR]);
  for (const user of USERS) assert.ok(bcrypt.compareSync(OWN[user], own.get(user)), `${user}'s hash is of its password`);
  // Public by design: kept as shipped, and written as it is (no bcrypt for the hub to pay at each phone's sign-in).
  assert.equal(own.get(VISITOR), 'visitor');
  assert.ok(isFrom(await readFile(SHIPPED, 'utf8'), text), 'the shipped users and permissions, nothing else changed');
});

test('make hub runs with the facility\'s accounts: their passwords let each user in, the demo ones no longer', async () => {
  const hub = await makeHub(etc, { env: { HUB_ADMIN_PASSWORD: OWN.admin } });
  try {
    await hub.ready();
    assert.match(hub.output(), new RegExp(`accounts in ${accounts}`));
    for (const user of USERS) {
      assert.equal(await signsIn(hub.servers, user, OWN[user]), true, `${user} with its own password`);
      assert.equal(await signsIn(hub.servers, user, `${user}-demo`), false, `${user} with the demo password`);
    }
    assert.equal(await signsIn(hub.servers, VISITOR, 'visitor'), true, 'the visitor with its public password');
  } finally {
    await hub.stop();
  }
  assert.equal(await listening(hub.port), false, 'Ctrl-C stopped the server');
});

test('make hub without a facility\'s accounts runs the demo ones on loopback, as before', async () => {
  const hub = await makeHub(join(scratch, 'no-accounts-here'));
  try {
    await hub.ready();
    for (const user of USERS) assert.equal(await signsIn(hub.servers, user, `${user}-demo`), true, user);
    assert.equal(await signsIn(hub.servers, VISITOR, 'visitor'), true, VISITOR);
  } finally {
    await hub.stop();
  }
});

test('hub-accounts refuses a short password, a demo one, one given to two users, and a missing one, and writes nothing', async () => {
  const cases = [
    [{ ...OWN, kiosk: 'short' }, /HUB_PASSWORD_KIOSK: kiosk's password is shorter than 12 characters/],
    [{ ...OWN, manager: 'manager-demo' }, /HUB_PASSWORD_MANAGER: manager's password is the demo one/],
    [{ ...OWN, staff: OWN.kiosk }, /HUB_PASSWORD_STAFF: staff's password is kiosk's too/],
    [{ ...OWN, board: undefined }, /board has no password yet: set HUB_PASSWORD_BOARD/],
    // The visitor's password is public: no other user may have it, either way round.
    [{ ...OWN, staff: 'staff-at-riverside', visitor: 'staff-at-riverside' }, /HUB_PASSWORD_VISITOR: visitor's password is staff's too, and visitor's is public/],
    [{ ...OWN, admin: 'visitor' }, /HUB_PASSWORD_ADMIN: admin's password is shorter than 12 characters/],
    [{ ...OWN, visitor: 'say "hello"' }, /HUB_PASSWORD_VISITOR: visitor's password must be 1 to 64 printable characters/],
  ];
  for (const [passwords, message] of cases) {
    const { file, code, stderr } = await writeAccounts(passwords);
    assert.equal(code, 1, stderr);
    assert.match(stderr, message);
    assert.match(stderr, /Nothing written/);
    assert.equal(existsSync(file), false);
  }
});

test('hub-accounts run again changes the passwords it is given and keeps the others', async () => {
  const file = join(scratch, 'again', 'accounts.conf');
  await mkdir(join(scratch, 'again'));
  await writeFile(file, await readFile(accounts));
  const before = hashes(await readFile(file, 'utf8'));
  const { code, stdout, stderr } = await writeAccounts({ board: 'a new board password' }, file);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /kiosk kept, board new, staff kept, manager kept, admin kept/);
  const now = hashes(await readFile(file, 'utf8'));
  assert.ok(bcrypt.compareSync('a new board password', now.get('board')));
  for (const user of USERS.filter((u) => u !== 'board')) assert.equal(now.get(user), before.get(user), user);
  // The demo accounts are not kept: they are there to be replaced.
  const demo = join(scratch, 'demo', 'accounts.conf');
  await mkdir(join(scratch, 'demo'));
  await writeFile(demo, await readFile(SHIPPED));
  const refused = await writeAccounts({ board: 'a new board password' }, demo);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /kiosk has no password yet/);
});

test('hub-accounts sets the visitor\'s public password as it is, short or shipped, and make hub lets phones in with it', async () => {
  const { file, code, stdout, stderr } = await writeAccounts({ ...OWN, visitor: 'riverside' });
  assert.equal(code, 0, stderr);
  assert.match(stdout, /visitor new/);
  assert.equal(hashes(await readFile(file, 'utf8')).get(VISITOR), 'riverside');
  const again = await writeAccounts({ kiosk: 'a new kiosk password' }, file);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(hashes(await readFile(file, 'utf8')).get(VISITOR), 'riverside', 'kept');
  const same = await writeAccounts({ visitor: 'riverside-follow', kiosk: 'riverside-follow' }, file);
  assert.equal(same.code, 1);
  assert.match(same.stderr, /HUB_PASSWORD_VISITOR: visitor's password is kiosk's too, and visitor's is public/);
  const longer = await writeAccounts({ ...OWN, visitor: 'riverside-follow-2026' });
  assert.equal(longer.code, 0, longer.stderr);
  const taken = await writeAccounts({ manager: 'riverside-follow-2026' }, longer.file);
  assert.equal(taken.code, 1, 'a secret user cannot take the public password either');
  assert.match(taken.stderr, /HUB_PASSWORD_MANAGER: manager's password is visitor's too, and visitor's is public/);
  // A facility's file from before the visitor: it gets the shipped one.
  const older = join(scratch, 'before-visitor', 'accounts.conf');
  await mkdir(join(scratch, 'before-visitor'));
  await writeFile(older, (await readFile(accounts, 'utf8')).replace(/\s*\{\s*# A customer's phone[\s\S]*?\n      \}\n/, '\n'));
  assert.equal(hashes(await readFile(older, 'utf8')).has(VISITOR), false);
  const upgraded = await writeAccounts({}, older);
  assert.equal(upgraded.code, 0, upgraded.stderr);
  assert.equal(hashes(await readFile(older, 'utf8')).get(VISITOR), 'visitor');
  // A hub with the facility's passwords beyond loopback lets phones in with the public one.
  const etcOwn = join(scratch, 'visitor-etc');
  await mkdir(etcOwn);
  await writeFile(join(etcOwn, 'accounts.conf'), await readFile(file));
  const hub = await makeHub(etcOwn, { env: { HUB_ADMIN_PASSWORD: OWN.admin }, host: '127.0.0.1' });
  try {
    await hub.ready();
    assert.equal(await signsIn(hub.servers, VISITOR, 'riverside'), true);
    assert.equal(await signsIn(hub.servers, VISITOR, 'visitor'), false);
  } finally {
    await hub.stop();
  }
});

test('make hub refuses to listen beyond loopback while any user has its demo password, and starts nothing', async () => {
  // A facility's accounts with one demo password left (the manager's, copied in by hand).
  const oneLeft = join(scratch, 'one-left');
  await mkdir(oneLeft);
  const own = await readFile(accounts, 'utf8');
  const demoManager = hashes(await readFile(SHIPPED, 'utf8')).get('manager');
  await writeFile(join(oneLeft, 'accounts.conf'), own.replace(hashes(own).get('manager'), demoManager));
  const cases = [
    [join(scratch, 'no-accounts-here'), /refusing to listen on 0\.0\.0\.0: kiosk, board, staff, manager, admin, edge still have their demo password \(hub\/accounts\.conf\)/],
    [oneLeft, /refusing to listen on 0\.0\.0\.0: manager still has its demo password \(.*one-left\/accounts\.conf\)/],
  ];
  for (const [hubEtc, message] of cases) {
    const hub = await makeHub(hubEtc, { host: '0.0.0.0' });
    try {
      // Had it started, it would run until stopped.
      await until(() => hub.ended, 'make hub to refuse', 20_000);
      assert.notEqual(await hub.exited, 0);
      assert.match(hub.output(), message);
      assert.match(hub.output(), /Run `make hub-accounts`/);
      assert.equal(existsSync(hub.data), false, 'no data folder made');
      assert.equal(await listening(hub.port), false, 'no server started');
      assert.equal(existsSync(join(hubEtc, 'hub.conf')), false, 'no server configuration written');
    } finally {
      await hub.stop();
    }
  }
});

test('the check lets the facility\'s own passwords listen beyond loopback, the demo ones on loopback, and warns of out-of-date accounts', async () => {
  const check = (host, file) => run('node', ['scripts/hub-check.mjs', file], { HUB_HOST: host });
  assert.equal(check('0.0.0.0', accounts).code, 0, 'the visitor\'s shipped password is no secret');
  assert.equal(check('127.0.0.1', SHIPPED).code, 0);
  assert.equal(check('', SHIPPED).code, 1, 'an empty host: nats-server listens everywhere');
  for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]']) assert.equal(isLoopback(host), true, host);
  for (const host of ['0.0.0.0', '', '192.168.1.20', '::', '0:0:0:0:0:0:0:1', 'hub.riverside.example', '127.example']) {
    assert.equal(isLoopback(host), false, host);
  }
  // Written from an older hub/accounts.conf: it still runs, but says so.
  const older = join(scratch, 'older.conf');
  await writeFile(older, (await readFile(accounts, 'utf8')).replace('"tan.ops.*.take", ', ''));
  const { code, stderr } = check('127.0.0.1', older);
  assert.equal(code, 0);
  assert.match(stderr, /was not written from this repository's hub\/accounts\.conf as it is now/);
  assert.equal(check('127.0.0.1', accounts).stderr, '');
});
