// Sets a facility's hub up (the stream of operations and the three buckets); `make hub` runs
// it once the server is up. Safe to run again: what exists is kept (the stream's settings are
// brought up to date).
//   HUB_URL             the hub (default nats://127.0.0.1:4222)
//   HUB_ADMIN_USER      a user that may manage JetStream (default admin, see hub/accounts.conf)
//   HUB_ADMIN_PASSWORD  its password; without it, the demo one if the hub's accounts still have
//                       it, else it is asked for on the terminal
//   HUB_ACCOUNTS        the hub's accounts file (default hub/accounts.conf; `make hub` names the
//                       one it runs with)
//   HUB_REPLICAS        1 for one server, 3 for the three-node cluster (default 1)
//   HUB_CONFIG          the facility's starting configuration (default www/config.json): each
//                       of its departments that the hub has never configured gets its range and
//                       idle timeout from it, with this release's rules (HUB_RULES, default the
//                       version in Cargo.toml). Departments configured before are left alone:
//                       after that, the settings view is where a manager changes them.
import { readFileSync } from 'node:fs';
import bcrypt from 'bcryptjs';
import { connect } from '@nats-io/transport-node';
import { provision, configureNew } from '../js/hub/provision.js';
import { validate } from '../www/js/model/config.js';
import { engineConfig } from '../www/js/model/queue-rules.js'; // and with it the reader of config.json's queue rules
import { SHIPPED, hashes, demoPassword } from './lib/accounts-file.mjs';
import { askPassword, Interrupted } from './lib/ask-password.mjs';

const servers = (process.env.HUB_URL ?? 'nats://127.0.0.1:4222').split(',');
const replicas = Number(process.env.HUB_REPLICAS ?? 1);
const user = process.env.HUB_ADMIN_USER ?? 'admin';

/** The admin's password: given, the demo one while the accounts have it, or typed. */
async function adminPassword() {
  if (process.env.HUB_ADMIN_PASSWORD !== undefined) return process.env.HUB_ADMIN_PASSWORD;
  const hashed = hashes(readFileSync(process.env.HUB_ACCOUNTS ?? SHIPPED, 'utf8')).get(user);
  if (hashed !== undefined && bcrypt.compareSync(demoPassword(user), hashed)) return demoPassword(user);
  if (!process.stdin.isTTY) {
    console.error(`Set HUB_ADMIN_PASSWORD to ${user}'s password: the hub's stream and buckets are set up with it.`);
    process.exit(1);
  }
  try {
    return await askPassword(`The hub's ${user} password, to set its stream and buckets up: `);
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    process.exit(1);
  }
}
const configFile = () => process.env.HUB_CONFIG ?? new URL('../www/config.json', import.meta.url).pathname;

/** The departments' starting configuration, checked as the page checks it. */
function startingConfig() {
  return validate(JSON.parse(readFileSync(configFile(), 'utf8')));
}

/** The rules the pages of this release run: the crate's version, as the package's build sets it. */
function release() {
  if (process.env.HUB_RULES) return process.env.HUB_RULES;
  const cargo = readFileSync(new URL('../Cargo.toml', import.meta.url), 'utf8');
  return /^version = "([^"]+)"$/m.exec(cargo)[1];
}

const pass = await adminPassword();

// The server may still be starting: try for half a minute. A wrong password stays wrong.
let connection;
for (let attempt = 0; connection === undefined; attempt++) {
  try {
    connection = await connect({ servers, user, pass });
  } catch (error) {
    if (attempt >= 60 || /authorization/i.test(error?.message ?? '')) throw error;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
try {
  for (let attempt = 0; ; attempt++) {
    try {
      const done = await provision(connection, { replicas });
      const kept = (what) => (what === 'exists' ? 'kept' : what);
      console.log(`Hub ready: stream ${done.stream}, snapshot bucket ${kept(done.bucket)}, configuration bucket ${kept(done.config)}, `
        + `public bucket ${kept(done.public)} (${replicas} replica${replicas === 1 ? '' : 's'}).`);
      const departments = startingConfig().departments.map((dept) => ({ id: dept.id, ...engineConfig(dept) }));
      const configured = await configureNew(connection, departments, { rules: release() });
      if (configured.length > 0) console.log(`Configured from ${configFile()}: ${configured.join(', ')}.`);
      break;
    } catch (error) {
      // A new cluster needs a few seconds to elect its JetStream leader.
      if (attempt >= 60) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
} finally {
  await connection.close();
}
