// Hub mode: when config.json names a facility hub, every department is a HubMachine on the
// hub (js/hub/) instead of a SharedMachine of this browser. No DOM here.
//
// Who connects with what:
// - The device's own account (a customer kiosk's `kiosk`, a board's `board`) is entered once on
//   the device, at #hub-setup, and kept in its storage. It is not a secret worth much: it lets
//   the device do what its screen already lets anyone in front of it do (take a number, read).
//   The customer view and the board use it.
// - Staff sign in at the console with their own account; the hub checks it (it replaces the PIN
//   in hub mode) and the console's departments use that connection until the console locks.
// The hub enforces what each account may do; the page only asks.

import { Lockout } from '../staff/lockout.js';

/** Where the device's hub account is kept, per origin. */
export const DEVICE_LOGIN_KEY = 'take-a-number-deluxe/hub/device-login';

/** The page's hub bundle (the package's hub entry with the NATS client inside). */
export const loadHubBundle = () => import('../../pkg/hub-browser.js');

/** The account each staff connection signed in with (hub -> user name). */
const accounts = new WeakMap();

/** The account `hub` signed in with, or null (a device's own connection). */
export const accountOf = (hub) => accounts.get(hub) ?? null;
const loadBundle = loadHubBundle;

/** The device's own hub account, in `storage` (localStorage). */
export class DeviceLogin {
  #storage;

  constructor(storage = globalThis.localStorage) {
    this.#storage = storage;
  }

  /** `{ user, pass }`, or null when none is set up (or what is stored is not one). */
  get() {
    let saved;
    try {
      saved = JSON.parse(this.#storage.getItem(DEVICE_LOGIN_KEY) ?? 'null');
    } catch {
      return null;
    }
    return isLogin(saved) ? { user: saved.user, pass: saved.pass } : null;
  }

  /** Keeps `{ user, pass }`; throws a readable Error for an empty or odd one. */
  save(login) {
    if (!isLogin(login)) throw new Error('Enter the user name and the password of this device\'s hub account.');
    this.#storage.setItem(DEVICE_LOGIN_KEY, JSON.stringify({ user: login.user, pass: login.pass }));
  }

  clear() {
    this.#storage.removeItem(DEVICE_LOGIN_KEY);
  }
}

const isLogin = (value) => typeof value === 'object' && value !== null
  && typeof value.user === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(value.user)
  && typeof value.pass === 'string' && value.pass.length > 0 && value.pass.length <= 256;

/**
 * Connects the device's account; resolves with its Hub. Waits for the hub when it is down and
 * reconnects by itself afterwards, so a kiosk switched on before the hub comes up by itself.
 */
export async function connectDevice({ url, login, load = loadBundle }) {
  const { connectHub } = await load();
  return connectHub({ url, user: login.user, pass: login.pass });
}

/**
 * A staff sign-in: resolves with the staff's Hub when the hub accepts `user` and `pass`, with
 * null when it refuses them (a wrong password counts towards the lockout), and rejects when the
 * hub cannot be reached (which does not count: nobody guessed anything).
 */
export async function signInStaff({ url, user, pass, load = loadBundle }) {
  const { connectHub } = await load();
  try {
    // One try, not the device's patient retries: staff wait for an answer. The account is
    // remembered with the connection: the settings saved through it say who saved them.
    const hub = await connectHub({ url, user, pass, waitOnFirstConnect: false, timeout: 5000 });
    accounts.set(hub, user);
    return hub;
  } catch (error) {
    if (error?.code === 'refused') return null;
    throw error;
  }
}

/** Where this device keeps the count of wrong staff sign-ins (the PIN's count is its own). */
export const HUB_LOCKOUT_KEY = 'take-a-number-deluxe/staff/v1/hub-lockout';

/**
 * Staff access in hub mode, with StaffAccess's surface for the lock view (views/staff-lock.js):
 * there is no PIN to set up or change; the hub checks each sign-in, through the same lockout
 * as the PIN (5 free wrong answers, then a growing wait, shared by every window). The hub's
 * own limit is in its configuration: bcrypt-hashed passwords, slow to check.
 */
export class HubStaffAccess {
  kind = 'hub';
  #records;
  #lockout;
  #signIn;

  /**
   * @param records  the device's shared records (staff-records.js IdbRecords)
   * @param signIn   (user, pass) => Promise<Hub | null>, rejecting when the hub is out of reach
   * @param now, withLock, policy  as for Lockout (tests)
   */
  constructor({ records, signIn, now, withLock, policy }) {
    this.#records = records;
    this.#signIn = signIn;
    this.#lockout = new Lockout({
      store: records, key: HUB_LOCKOUT_KEY,
      ...(now ? { now } : {}), ...(withLock ? { withLock } : {}), ...(policy ? { policy } : {}),
    });
  }

  async snapshot() {
    const [lockout, notices] = await Promise.all([this.#lockout.status(), this.notices()]);
    return { state: 'hub', lockout, notices };
  }

  subscribe(listener) {
    return this.#records.subscribe(listener);
  }

  /**
   * Signs in through the lockout: { ok: true, hub } with the staff's Hub, or a refusal as
   * StaffAccess.unlock gives. Rejects when the hub cannot be reached (not counted).
   */
  async unlock({ user, pass }) {
    let hub = null;
    try {
      const outcome = await this.#lockout.attempt(async () => {
        hub = await this.#signIn(String(user ?? ''), String(pass ?? ''));
        return hub !== null;
      });
      return outcome.ok ? { ok: true, hub } : outcome;
    } catch (error) {
      // The hub took the password but the sign-in could not be counted (storage failed): the
      // console stays locked, so nobody would ever close this connection with staff's rights.
      hub?.close();
      throw error;
    }
  }

  /** Each lockout, as StaffAccess lists the PIN's (`code` 'hub-lockout' for the page's texts). */
  async notices() {
    return (await this.#lockout.status()).lockouts.map(({ at, waitMs, failures }) => ({
      at: new Date(at),
      text: `Staff sign-in: ${failures} wrong passwords in a row; sign-in paused.`,
      code: 'hub-lockout',
      params: { count: failures, waitMs },
    }));
  }
}

/**
 * A department's stand-in while this window has no connection to the hub: nothing known, every
 * call refused. Its status says why: 'connecting', 'offline' (the hub does not answer),
 * 'not-set-up' (the device has no hub account yet) or 'refused' (the hub refused it).
 */
export class NoHubMachine {
  #status;
  #listeners = new Set();

  constructor(status = 'connecting') {
    this.#status = status;
  }

  get state() { return null; }
  get status() { return this.#status; }
  get ready() { return Promise.resolve(); }
  get isHost() { return false; }
  get alive() { return false; }

  /** Says why there is no connection now, to whoever listens. */
  setStatus(status) {
    if (status === this.#status) return;
    this.#status = status;
    for (const listener of this.#listeners) listener(null);
  }

  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  queueNewNumber() { return this.#refuse(); }
  serveNextQueuedNumber() { return this.#refuse(); }
  reportState() { return this.#refuse(); }
  wake() { return this.#refuse(); }
  note() { return this.#refuse(); }
  reset() { return this.#refuse(); }
  reclaim() { return this.#refuse(); }
  configure() { return this.#refuse(); }
  useConfiguration() {}
  resetState() {}
  send() {}
  close() {}

  #refuse() {
    const error = new Error('this device is not connected to the facility hub');
    error.name = 'MachineError';
    error.code = 'offline';
    return Promise.reject(error);
  }
}
