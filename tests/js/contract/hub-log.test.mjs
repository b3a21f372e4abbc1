// The department contract (cases.mjs) on the hub's log: devices on their own connections to a
// real nats-server with the shipped configuration (hub/), each department a HubMachine. Manager
// credentials (they may do everything, configure too): the contract is about the log, not about
// who may do what (hub/devices.test.mjs and hub/permissions.test.mjs are).
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
    const place = async () => {
      const connection = await connectAs('manager', server.servers);
      const hub = new Hub({ connection, Machine, rules: '1.0.0' });
      cleanups.push(async () => {
        hub.close();
        if (!connection.isClosed()) await connection.close();
      });
      return hub;
    };
    return {
      place: () => place(),
      async configure(options) {
        const manager = await place();
        const machine = manager.machine(options);
        await machine.ready;
        await machine.configure(options);
        machine.close();
      },
      open: (hub, options) => hub.machine(options),
    };
  },
});
