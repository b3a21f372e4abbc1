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

/** Where the device's hub account is kept, per origin. */
export const DEVICE_LOGIN_KEY = 'take-a-number-deluxe/hub/device-login';

/** The page's hub bundle (the package's hub entry with the NATS client inside). */
const loadBundle = () => import('../pkg/hub-browser.js');

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
    // One try, not the device's patient retries: staff wait for an answer.
    return await connectHub({ url, user, pass, waitOnFirstConnect: false, timeout: 5000 });
  } catch (error) {
    if (error?.name === 'AuthorizationError') return null;
    throw error;
  }
}
