// What one device remembers for itself, not shared with the facility: the counter each staff
// console calls to (per department), and whether each view speaks.
//
// Counter: kept in localStorage (the device's choice, for the next time the console opens)
// and in sessionStorage (this window's own choice, which survives its reloads). Two windows
// of one browser at two counters (a test set-up, or two screens on one PC) so keep their own
// counter across reloads, while a new window starts from the device's last choice.
//
// Sound: per view ('board', 'staff'), in localStorage: the board screen with the speakers
// speaks, the console at a desk next to it need not.
//
// No DOM: storages are passed in, and anything read back is checked (another version of the
// page, or a person, may have written it).

const PREFIX = 'take-a-number-deluxe/device/v1/';
const counterKey = (department) => `${PREFIX}counter/${department}`;
const soundKey = (view) => `${PREFIX}sound/${view}`;

export const SOUND_VIEWS = Object.freeze(['board', 'staff']);

export class DeviceSettings {
  #local;
  #session;

  /** @param local, session  Storage-like objects (getItem/setItem/removeItem); either may be null */
  constructor({ local = null, session = null } = {}) {
    this.#local = local;
    this.#session = session;
  }

  /**
   * The counter this window calls to in `department` (its config: { id, counters }), or null
   * when none is chosen yet, or the remembered one is no longer in the configuration.
   */
  counter(department) {
    const key = counterKey(department.id);
    for (const storage of [this.#session, this.#local]) {
      const saved = read(storage, key);
      if (saved !== null && department.counters.includes(saved)) return saved;
    }
    return null;
  }

  /** Remembers `counter` (one of the department's, or null to forget) for this window and device. */
  chooseCounter(department, counter) {
    if (counter !== null && !department.counters.includes(counter)) {
      throw new RangeError(`${department.id} has no counter ${JSON.stringify(counter)}`);
    }
    for (const storage of [this.#session, this.#local]) write(storage, counterKey(department.id), counter);
  }

  /** Whether `view` speaks on this device (off unless switched on). */
  sound(view) {
    return SOUND_VIEWS.includes(view) && read(this.#local, soundKey(view)) === 'on';
  }

  setSound(view, on) {
    if (!SOUND_VIEWS.includes(view)) throw new RangeError(`no sound setting for the view ${view}`);
    write(this.#local, soundKey(view), on ? 'on' : null);
  }
}

function read(storage, key) {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null; // storage blocked: nothing remembered
  }
}

function write(storage, key, value) {
  try {
    if (value === null) storage?.removeItem(key);
    else storage?.setItem(key, value);
  } catch {
    // Storage blocked or full: the choice holds for this page only.
  }
}

/** `win.localStorage` or `win.sessionStorage` (`name`), or null where the browser refuses them. */
export function storageOf(win, name) {
  try {
    return win[name];
  } catch {
    return null;
  }
}

/**
 * This window's DeviceSettings, made on first use: the customer view never needs them, and a
 * fresh profile's first touch of localStorage costs a slow kiosk tens of milliseconds at start.
 */
export function deviceSettingsOf(win) {
  let settings = null;
  return () => {
    settings ??= new DeviceSettings({ local: storageOf(win, 'localStorage'), session: storageOf(win, 'sessionStorage') });
    return settings;
  };
}
