// The department contract (cases.mjs) on the hub's log: devices on their own connections to a
// real nats-server with the shipped configuration (hub/), each department a HubMachine. Staff
// credentials: the contract is about the log, not about who may do what (hub/devices.test.mjs is).
import { after } from 'node:test';
import { Machine } from '../../../pkg/node.js';
import { Hub } from '../../../js/hub/hub.js';
import { startHub, connectAs } from '../../support/nats.mjs';
import { departmentContract } from './cases.mjs';

const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

let server = null;

departmentContract({
  name: 'hub log',
  async world() {
    if (server === null) {
      server = await startHub();
      cleanups.push(() => server.close());
    }
    return {
      async place() {
        const connection = await connectAs('staff', server.servers);
        const hub = new Hub({ connection, Machine, rules: '1.0.0' });
        cleanups.push(async () => {
          hub.close();
          if (!connection.isClosed()) await connection.close();
        });
        return hub;
      },
      open: (hub, options) => hub.machine(options),
    };
  },
});
