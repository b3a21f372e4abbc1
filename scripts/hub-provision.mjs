// Sets a facility's hub up (the stream of operations and the two buckets); `make hub` runs
// it once the server is up. Safe to run again: what exists is kept (the stream's settings are
// brought up to date).
//   HUB_URL             the hub (default nats://127.0.0.1:4222)
//   HUB_ADMIN_USER      a user that may manage JetStream (default admin, see hub/accounts.conf)
//   HUB_ADMIN_PASSWORD  its password (default the demo one: change it)
//   HUB_REPLICAS        1 for one server, 3 for the three-node cluster (default 1)
import { connect } from '@nats-io/transport-node';
import { provision } from '../js/hub/provision.js';

const servers = (process.env.HUB_URL ?? 'nats://127.0.0.1:4222').split(',');
const replicas = Number(process.env.HUB_REPLICAS ?? 1);

// The server may still be starting: try for half a minute.
let connection;
for (let attempt = 0; connection === undefined; attempt++) {
  try {
    connection = await connect({
      servers,
      user: process.env.HUB_ADMIN_USER ?? 'admin',
      pass: process.env.HUB_ADMIN_PASSWORD ?? 'admin-demo',
    });
  } catch (error) {
    if (attempt >= 60) throw error;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
try {
  for (let attempt = 0; ; attempt++) {
    try {
      const done = await provision(connection, { replicas });
      const kept = (what) => (what === 'exists' ? 'kept' : 'created');
      console.log(`Hub ready: stream ${done.stream}, snapshot bucket ${kept(done.bucket)}, configuration bucket ${kept(done.config)} (${replicas} replica${replicas === 1 ? '' : 's'}).`);
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
