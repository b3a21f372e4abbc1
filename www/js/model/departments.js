// The facility's departments in this window. In one browser every window of it shares one
// SharedMachine per department (js/shared/); with a facility hub every device does, through the
// hub (hub/connections.js), and until this window is connected a stand-in says why not.
// The list is live: facility.js.
import { SharedMachine, Transfers } from '../../pkg/shared.js';
import { Department } from './department.js';
import { kioskRecord } from './ticket-record.js';
import { legacySeed } from './legacy-saves.js';
import { DeviceLogin, connectDevice, loadHubBundle } from '../hub/hub-mode.js';
import { HubConnections } from '../hub/connections.js';
import { storageOf } from './device-settings.js';
import { Facility } from './facility.js';

/**
 * Starts the departments of `config` (validated config.json). Returns `{ facility, login,
 * connect(), useStaff(hub), followHub(listener) }`: the Facility, the device's hub account
 * (DeviceLogin, null without a hub), `connect()` to connect the device to the hub (hub mode),
 * `useStaff(hub)` for the staff's own connection, and `followHub` for the Hub the page's calls
 * go through (HubConnections.followHub). Throws with code 'unsupported' where the browser lacks
 * what a SharedMachine needs.
 */
export function startDepartments(config, win = window) {
  let current = config;
  // The record's day ends at the facility's midnight, in the time zone of the settings in use.
  const record = kioskRecord({ timeZone: () => current.timeZone });
  const follow = (facility) => facility.subscribe(() => { current = facility.config; });
  // Every window carries the transfers between departments it sees (js/engine/transfers.js):
  // the first to act carries each, and the others' repeats change nothing.
  if (config.hub === null) {
    const transfers = new Transfers();
    const facility = new Facility({
      config,
      start: (dept) => {
        const machine = new SharedMachine({
          name: dept.id,
          minNumber: dept.minNumber,
          maxNumber: dept.maxNumber,
          autoShutdownTimeout: dept.autoShutdownTimeout,
          opening: dept.opening,
          record,
          seed: () => legacySeed(win.localStorage, dept, record),
        });
        transfers.add(dept.id, machine);
        return new Department({ config: dept, machine });
      },
    });
    // A department the settings no longer have is carried no more (its machine is closed).
    let carried = new Set(config.departments.map((dept) => dept.id));
    facility.subscribe(() => {
      const ids = new Set(facility.departments.map((dept) => dept.config.id));
      for (const id of carried) if (!ids.has(id)) transfers.remove(id);
      carried = ids;
    });
    follow(facility);
    return { facility, login: null, connect() {}, useStaff() {}, followHub: () => () => {} };
  }
  const login = new DeviceLogin(storageOf(win, 'localStorage'));
  const hub = new HubConnections({
    configs: config.departments, record, login, transfers: hubTransfers(), connect: (device) => connectDevice({ url: config.hub.urls, login: device }),
  });
  const facility = new Facility({
    config,
    start: (dept) => new Department({ config: dept, machine: hub.standIn(dept.id) }),
    changed: (departments) => hub.update(departments),
  });
  follow(facility);
  return {
    facility,
    login,
    connect: () => hub.start(facility.departments),
    useStaff: (staff) => hub.useStaff(staff),
    followHub: (listener) => hub.followHub(listener),
  };
}

/**
 * The Transfers of hub mode: the hub bundle's own, loaded with it. Transfers reach a machine
 * through the bundle's private symbols, so the shared bundle's Transfers cannot drive a
 * HubMachine (each bundle has its own copy of js/engine). Departments added before the bundle
 * has loaded are carried once it has.
 */
function hubTransfers() {
  let transfers = null;
  const waiting = new Map(); // id -> machine, until the bundle is there
  loadHubBundle().then((bundle) => {
    transfers = new bundle.Transfers();
    for (const [id, machine] of waiting) transfers.add(id, machine);
    waiting.clear();
  }, () => {}); // a bundle that does not load says so where the page connects (hub-mode.js)
  return {
    add(id, machine) {
      if (transfers === null) waiting.set(id, machine);
      else transfers.add(id, machine);
    },
    remove(id) {
      waiting.delete(id);
      transfers?.remove(id);
    },
  };
}
