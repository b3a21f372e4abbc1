// Real nats-server processes for the hub tests and benchmarks: the shipped configuration
// (hub/hub.conf, hub/cluster.conf, hub/accounts.conf) on free loopback ports, with its data in a
// temporary folder, provisioned with the shipped admin user as `make hub` does. Nodes can be
// stopped, killed and started again on the same ports and data.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import { freePort } from './browser.mjs';
import { readFileSync } from 'node:fs';
import { provision, configureNew } from '../../js/hub/provision.js';
import { validate } from '../../www/js/model/config.js';
import { engineConfig } from '../../www/js/model/queue-rules.js';

/** The rules the built package runs: the crate's version (scripts/finish-package.mjs). */
export const RELEASE = /^version = "([^"]+)"$/m.exec(readFileSync(new URL('../../Cargo.toml', import.meta.url), 'utf8'))[1];

/**
 * Gives the departments of a kiosk's config.json (or `{ id, minNumber, maxNumber, … }`, engine
 * configurations) their first configuration on the hub at `servers`, as `make hub` does
 * (js/hub/provision.js, scripts/hub-provision.mjs): a department never configured refuses every
 * operation.
 */
export async function configureDepartments(servers, departments, { rules = RELEASE } = {}) {
  const admin = await connectAs('admin', servers);
  const engineShaped = (d) => (d.name === undefined ? d : { id: d.id, ...declared(d) });
  try {
    return await configureNew(admin, departments.map(engineShaped), { rules });
  } finally {
    await admin.close();
  }
}

/**
 * What a device of the page declares for department `d` of a config.json (its range, idle
 * timeout and queue rules: www/js/model/queue-rules.js), for a counter driven from Node.
 */
export const declared = (d) => engineConfig(validate({ departments: [d] }).departments[0]);

/** The shipped hub configuration (hub.conf, cluster.conf, accounts.conf). */
export const hubDir = fileURLToPath(new URL('../../hub/', import.meta.url));

/** Debian installs the server in /usr/sbin, which is not on every user's PATH. */
export const NATS_SERVER = process.env.NATS_SERVER
  ?? (existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server');

/** The shipped demo credentials (hub/accounts.conf). */
export const USERS = Object.freeze({
  kiosk: { user: 'kiosk', pass: 'kiosk-demo' },
  board: { user: 'board', pass: 'board-demo' },
  staff: { user: 'staff', pass: 'staff-demo' },
  manager: { user: 'manager', pass: 'manager-demo' },
  admin: { user: 'admin', pass: 'admin-demo' },
  // The public edge's leaf connection (hub/edge.conf).
  edge: { user: 'edge', pass: 'edge-demo' },
  // Public by design: a phone's follow page carries it. Its replies come to its own inbox prefix.
  visitor: { user: 'visitor', pass: 'visitor', inboxPrefix: '_INBOX_public' },
});

// A test process that dies leaves no server behind.
const live = new Set();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** One nats-server process, restartable on the same ports and data. */
export class Node {
  #config;
  #env;
  #child = null;
  #exited = null;
  log = '';

  /** The folder of the configuration the next start() reads: a copy may replace hub/. */
  configDir = hubDir;

  /** `monitorPort`: where the server answers its monitoring endpoints (/connz), if anywhere. */
  constructor(config, env, { monitorPort = null } = {}) {
    this.#config = config;
    this.#env = env;
    this.monitorPort = monitorPort;
  }

  get port() {
    return Number(this.#env.HUB_PORT ?? this.#env.EDGE_PORT);
  }

  get wsPort() {
    return Number(this.#env.HUB_WS_PORT ?? this.#env.EDGE_WS_PORT);
  }

  /** Where a public edge links to this hub (hub.conf's leafnodes). */
  get leafPort() {
    return Number(this.#env.HUB_LEAF_PORT);
  }

  get url() {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** The server's process id (to freeze it with SIGSTOP, say). */
  get pid() {
    return this.#child?.pid;
  }

  get running() {
    return this.#child !== null;
  }

  /** Starts the server and resolves once it accepts clients. */
  async start(ready = /Server is ready/) {
    this.log = '';
    const monitor = this.monitorPort === null ? [] : ['-m', String(this.monitorPort)];
    const child = spawn(NATS_SERVER, ['-c', join(this.configDir, this.#config), ...monitor], {
      env: { ...process.env, ...this.#env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('exit', resolve));
    live.add(child);
    child.once('exit', () => live.delete(child));
    const seen = new Promise((resolve, reject) => {
      const onData = (chunk) => {
        this.log += chunk;
        if (ready.test(this.log)) resolve();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`nats-server exited (${code}):\n${this.log}`)));
      child.once('error', reject);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    try {
      await seen;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The hub accounts of the clients connected now, one entry per connection, as the server
   * itself lists them (its monitoring endpoint): what a page has really closed, not what it says.
   */
  async connectedUsers() {
    const response = await fetch(`http://127.0.0.1:${this.monitorPort}/connz?auth=true&limit=1024`);
    if (!response.ok) throw new Error(`connz: HTTP ${response.status}`);
    return (await response.json()).connections.map((c) => c.authorized_user).sort();
  }

  /** Stops it: SIGTERM is a clean shutdown, SIGKILL a crash. */
  async stop(signal = 'SIGTERM') {
    const child = this.#child;
    if (child === null) return;
    this.#child = null;
    child.kill(signal);
    await this.#exited;
  }
}

async function ports(count) {
  const found = new Set();
  while (found.size < count) found.add(await freePort());
  return [...found];
}

/** Connects to `servers` as `who` (a key of USERS), reconnecting forever, as a device does. */
export function connectAs(who, servers, options = {}) {
  return connect({
    servers,
    ...USERS[who],
    maxReconnectAttempts: -1,
    reconnectTimeWait: 100,
    reconnectJitter: 50,
    pingInterval: 2000,
    maxPingOut: 2,
    ...options,
  });
}

/** Provisions the stream and bucket, retrying while a new cluster elects its JetStream leader. */
async function provisionHub(servers, replicas) {
  const admin = await connectAs('admin', servers);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        return await provision(admin, { replicas });
      } catch (error) {
        if (attempt >= 60) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  } finally {
    await admin.close();
  }
}

/**
 * The public edge (hub/edge.conf) of `hub` (startHub's) on free ports, linked as a leaf node with
 * the edge user's `login`: `{ node, servers, wsPort, close() }` once the hub has the link. `origin`:
 * the follow page's origin.
 */
export async function startEdge(hub, { origin = 'http://127.0.0.1:1', login = USERS.edge } = {}) {
  const [port, wsPort] = await ports(2);
  const node = new Node('edge.conf', {
    EDGE_NAME: 'edge', EDGE_HOST: '127.0.0.1', EDGE_PORT: String(port), EDGE_WS_PORT: String(wsPort),
    EDGE_ORIGIN: origin, EDGE_VISITOR_PASS: USERS.visitor.pass,
    EDGE_HUB_URL: `nats-leaf://${login.user}:${login.pass}@127.0.0.1:${hub.node.leafPort}`,
  });
  await node.start(/Leafnode connection created/);
  return { node, servers: [node.url], wsPort, close: () => node.stop() };
}

/** One hub on free ports (hub/hub.conf), provisioned. `origin`: the kiosk page's origin. */
export async function startHub({ origin = 'http://127.0.0.1:1' } = {}) {
  const data = await mkdtemp(join(tmpdir(), 'tan-hub-'));
  const [port, wsPort, monitorPort, leafPort] = await ports(4);
  const node = new Node('hub.conf', {
    HUB_NAME: 'hub', HUB_HOST: '127.0.0.1', HUB_PORT: String(port), HUB_WS_PORT: String(wsPort),
    HUB_LEAF_PORT: String(leafPort), HUB_ORIGIN: origin, HUB_DATA: data,
  }, { monitorPort });
  await node.start();
  await provisionHub([node.url], 1);
  return {
    node,
    servers: [node.url],
    configure: (departments) => configureDepartments([node.url], departments),
    async close() {
      await node.stop();
      await rm(data, { recursive: true, force: true });
    },
  };
}

/** Three nodes (hub/cluster.conf) with the stream and bucket on all three, provisioned. */
export async function startCluster({ origin = 'http://127.0.0.1:1' } = {}) {
  const data = await mkdtemp(join(tmpdir(), 'tan-cluster-'));
  const all = await ports(9);
  const routes = [0, 1, 2].map((i) => `nats-route://127.0.0.1:${all[6 + i]}`);
  const nodes = [0, 1, 2].map((i) => new Node('cluster.conf', {
    HUB_NAME: `hub-${'abc'[i]}`, HUB_HOST: '127.0.0.1', HUB_PORT: String(all[i]), HUB_WS_PORT: String(all[3 + i]),
    HUB_CLUSTER_PORT: String(all[6 + i]), HUB_ROUTE_A: routes[0], HUB_ROUTE_B: routes[1], HUB_ROUTE_C: routes[2],
    HUB_ORIGIN: origin, HUB_DATA: join(data, `node-${i}`),
  }));
  await Promise.all(nodes.map((node) => node.start()));
  const servers = nodes.map((node) => node.url);
  await provisionHub(servers, 3);
  return {
    nodes,
    servers,
    configure: (departments) => configureDepartments(servers, departments),
    async close() {
      await Promise.all(nodes.map((node) => node.stop()));
      await rm(data, { recursive: true, force: true });
    },
  };
}
