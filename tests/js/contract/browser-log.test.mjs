// The department contract (cases.mjs) on the browser's own log: windows of one simulated browser
// profile (tests/support/windows.mjs) sharing a SharedMachine, with the real package's Machine.
import { after } from 'node:test';
import { Machine } from '../../../pkg/node.js';
import { SharedMachine } from '../../../js/shared/client.js';
import { World } from '../../support/windows.mjs';
import { departmentContract } from './cases.mjs';

const opened = [];
after(() => {
  for (const machine of opened) machine.close();
});

departmentContract({
  name: 'browser log',
  async world() {
    const world = new World();
    return {
      place: () => world.window(),
      configure: async () => {},
      open(window, options) {
        const machine = new SharedMachine(options, { Machine, ...window.deps });
        opened.push(machine);
        return machine;
      },
    };
  },
});
