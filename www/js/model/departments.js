// The facility's departments in this window. In one browser every window of it shares one
// SharedMachine per department (js/shared/); with a facility hub every device does, through the
// hub (hub/connections.js), and until this window is connected a stand-in says why not.
import { SharedMachine } from '../../pkg/shared.js';
import { Department } from './department.js';
import { kioskRecord } from './ticket-record.js';
import { legacySeed } from './legacy-saves.js';
import { DeviceLogin, connectDevice } from '../hub/hub-mode.js';
import { HubConnections } from '../hub/connections.js';
import { storageOf } from './device-settings.js';

/**
 * Starts the departments of `config` (validated config.json). Returns `{ departments, login,
 * connect(), useStaff(hub), followHub(listener), close() }`: the Department objects, the device's hub account (DeviceLogin, null
 * without a hub), `connect()` to connect the device to the hub (hub mode), `useStaff(hub)` for
 * the staff's own connection, `followHub` for the Hub the page's calls go through
 * (HubConnections.followHub), and `close()` if the page cannot start after all. Throws with
 * code 'unsupported' where the browser lacks what a SharedMachine needs.
 */
export function startDepartments(config, win = window) {
  const record = kioskRecord({ timeZone: config.timeZone });
  if (config.hub === null) {
    const machines = config.departments.map((dept) => new SharedMachine({
      name: dept.id,
      minNumber: dept.minNumber,
      maxNumber: dept.maxNumber,
      autoShutdownTimeout: dept.autoShutdownTimeout,
      record,
      seed: () => legacySeed(win.localStorage, dept, record),
    }));
    return {
      departments: config.departments.map((dept, i) => new Department({ config: dept, machine: machines[i] })),
      login: null,
      connect() {},
      useStaff() {},
      followHub: () => () => {},
      close: () => { for (const machine of machines) machine.close(); },
    };
  }
  const login = new DeviceLogin(storageOf(win, 'localStorage'));
  const hub = new HubConnections({
    configs: config.departments, record, login, connect: (device) => connectDevice({ url: config.hub.urls, login: device }),
  });
  const departments = config.departments.map((dept) => new Department({ config: dept, machine: hub.standIn(dept.id) }));
  return {
    departments,
    login,
    connect: () => hub.start(departments),
    useStaff: (staff) => hub.useStaff(staff),
    followHub: (listener) => hub.followHub(listener),
    close() {},
  };
}
