// Hub mode's connections, without the DOM: which connection each department uses, and how the
// device's own connection comes back after the hub refused or dropped it.
//
// Every department starts on a stand-in (NoHubMachine) that says why there is no connection
// yet. Once the device's account is connected, the departments use it; while staff are signed
// in at the console, their own connection instead, so that what they do goes out on their
// account. The NATS client reconnects by itself, except that it gives up for good once the hub
// has refused the account twice in a row (its password changed on the hub, or a hub restarted
// with other accounts). Then the device starts over, and keeps trying, less often each time
// (each try costs the hub a bcrypt check), so that it comes back by itself once the hub accepts
// it again.
import { NoHubMachine } from './hub-mode.js';

/** How long a hub may take to answer at start-up before the page says it is out of reach. */
export const PATIENCE_MS = 3000;
const FIRST_RETRY_MS = 5000;
const MAX_RETRY_MS = 5 * 60_000;

/** The wait before the next try after `failures` failed ones in a row: 5 s, doubling, at most 5 min. */
export const retryDelay = (failures) => Math.min(FIRST_RETRY_MS * 2 ** failures, MAX_RETRY_MS);

export class HubConnections {
  #record;
  #login;
  #connect;
  #timers;
  #standIns;
  #departments = [];
  #device = new Map(); // department id -> machine on the device's connection
  #staff = null; // the staff's Hub while the console is open
  #deviceHub = null;
  #hubListeners = new Set();
  #failures = 0;
  #status = 'connecting'; // what the stand-ins say, and a new department's says too
  #transfers;

  /**
   * @param configs  the departments of config.json
   * @param record   the kiosk record (ticket-record.js kioskRecord), for each machine
   * @param login    the device's DeviceLogin (hub-mode.js)
   * @param connect  (login) => Promise<Hub>: connects the device's account (hub-mode.js connectDevice)
   * @param timers   { setTimeout, clearTimeout } (tests)
   * @param transfers the page's Transfers (js/engine/transfers.js), given each department's machine in use
   */
  constructor({ configs, record, login, connect, timers = globalThis, transfers = null }) {
    this.#transfers = transfers;
    this.#record = record;
    this.#login = login;
    this.#connect = connect;
    this.#timers = timers;
    this.#standIns = new Map(configs.map((config) => [config.id, new NoHubMachine()]));
  }

  /** The machine a department starts with: a stand-in until the device is connected. */
  standIn(id) {
    if (!this.#standIns.has(id)) this.#standIns.set(id, new NoHubMachine(this.#status));
    return this.#standIns.get(id);
  }

  /** Connects the device's account, and moves `departments` (Department objects) onto it. */
  start(departments) {
    this.#departments = departments;
    this.#connectDevice();
  }

  /**
   * The facility's departments are now `departments` (a newer version of its settings, applied
   * without a reload): a new one gets a stand-in and, once connected, a machine on the device's
   * connection (or the staff's while the console is open); a removed one's device machine is
   * closed. Departments kept keep their machines (Department.reconfigure declares the new range).
   */
  update(departments) {
    const ids = new Set(departments.map((dept) => dept.config.id));
    for (const [id, machine] of this.#device) {
      if (ids.has(id)) continue;
      machine.close();
      this.#device.delete(id);
    }
    for (const id of this.#standIns.keys()) {
      if (ids.has(id)) continue;
      this.#standIns.delete(id);
      this.#transfers?.remove(id);
    }
    const known = new Set(this.#departments.map((dept) => dept.config.id));
    this.#departments = departments;
    for (const dept of departments) {
      const { id } = dept.config;
      this.standIn(id);
      if (this.#deviceHub !== null && !this.#device.has(id)) this.#device.set(id, this.#machineOn(this.#deviceHub, dept.config));
      if (!known.has(id)) this.#use(dept);
    }
  }

  /** Staff signed in with `hub` (their Hub), or locked the console (null): their calls move with it. */
  useStaff(hub) {
    if (hub === null && this.#staff === null) return;
    this.#staff?.close();
    this.#staff = hub;
    this.#useConnection();
    this.#hubsChanged();
  }

  /**
   * Calls `listener(hub)` with the Hub this page's calls go through (the staff's while the
   * console is open, else the device's; null while neither is connected), now and after each
   * change. Returns an unsubscribe.
   */
  followHub(listener) {
    this.#hubListeners.add(listener);
    listener(this.#staff ?? this.#deviceHub);
    return () => this.#hubListeners.delete(listener);
  }

  #hubsChanged() {
    for (const listener of this.#hubListeners) listener(this.#staff ?? this.#deviceHub);
  }

  /** Each department on the staff's connection while the console is open, else on the device's. */
  #useConnection() {
    for (const dept of this.#departments) this.#use(dept);
  }

  #use(dept) {
    const { id } = dept.config;
    const machine = this.#staff ? this.#machineOn(this.#staff, dept.config) : this.#device.get(id) ?? this.#standIns.get(id);
    dept.use(machine);
    // The machine the page's calls go through carries transfers too: on the staff's connection
    // at once; on a kiosk's, whose account may not, it backs off (js/engine/transfers.js).
    this.#transfers?.add(id, machine);
  }

  #machineOn(hub, { id, minNumber, maxNumber, autoShutdownTimeout, opening }) {
    return hub.machine({ name: id, minNumber, maxNumber, autoShutdownTimeout, opening, record: this.#record });
  }

  #standBy(status) {
    this.#status = status;
    for (const standIn of this.#standIns.values()) standIn.setStatus(status);
  }

  async #connectDevice() {
    const login = this.#login.get();
    if (login === null) {
      this.#standBy('not-set-up');
      return;
    }
    // A hub that does not answer at start-up is said to be out of reach within seconds; the
    // connection keeps trying, and the departments come once it is there.
    const patience = this.#timers.setTimeout(() => this.#standBy('offline'), PATIENCE_MS);
    let hub;
    try {
      hub = await this.#connect(login);
    } catch (error) {
      this.#startOver(error);
      return;
    } finally {
      this.#timers.clearTimeout(patience);
    }
    this.#failures = 0;
    for (const dept of this.#departments) this.#device.set(dept.config.id, this.#machineOn(hub, dept.config));
    this.#deviceHub = hub;
    if (this.#staff === null) this.#useConnection();
    this.#hubsChanged();
    hub.connectionClosed().then((error) => {
      hub.close();
      this.#device.clear();
      this.#deviceHub = null;
      if (this.#staff === null) this.#useConnection();
      this.#hubsChanged();
      this.#startOver(error);
    });
  }

  #startOver(error) {
    this.#standBy(error?.code === 'refused' ? 'refused' : 'offline');
    this.#timers.setTimeout(() => this.#connectDevice(), retryDelay(this.#failures++));
  }
}
