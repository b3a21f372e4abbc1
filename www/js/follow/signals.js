// How a phone gets the customer's attention: vibration, a beep, a notification, and a screen
// kept on. Every one of these APIs may be missing, refused or throw (iOS has no vibration,
// Android Chrome throws on `new Notification` in a page, a phone in power saving refuses the
// wake lock): each is tried on its own and a failure is dropped, so that nothing here can stop
// the page from showing the queue, which is the alert that always works.

/** Two short pulses; a call gets three, longer. */
const PATTERNS = { near: [200, 100, 200], called: [400, 150, 400, 150, 400] };
/** The beep: two tones for "near", three for the call; quiet enough not to startle. */
const TONES = { near: 2, called: 3 };

export class Signals {
  #win;
  #audio = null;
  #wakeLock = null;
  #wantsWakeLock = false;

  /** `win`: the page's window (a test's stand-in elsewhere). */
  constructor(win) {
    this.#win = win;
    // A phone that locks its screen releases the wake lock; coming back takes it again.
    win.document?.addEventListener?.('visibilitychange', () => {
      if (win.document.visibilityState === 'visible' && this.#wantsWakeLock) this.#lockScreen();
    });
  }

  /**
   * Turns the alerts on, from the customer's tap (phones allow sound, and the permission
   * question, only then). Resolves to what the phone allows: `{ notifications }`, true when
   * notifications will show. Never rejects.
   */
  async turnOn() {
    try {
      const AudioContext = this.#win.AudioContext ?? this.#win.webkitAudioContext;
      if (!this.#audio && AudioContext) this.#audio = new AudioContext();
      await this.#audio?.resume?.();
    } catch {
      this.#audio = null; // no sound, the rest still goes
    }
    this.#wantsWakeLock = true;
    await this.#lockScreen();
    let notifications = false;
    try {
      const { Notification } = this.#win;
      if (Notification?.permission === 'default') await Notification.requestPermission();
      notifications = Notification?.permission === 'granted';
    } catch {
      notifications = false;
    }
    this.beep('near'); // the customer hears what an alert sounds like, and iOS unlocks audio
    return { notifications };
  }

  /** Alerts of `kind` ('near' or 'called'), with a notification `title` and `body`. */
  async alert(kind, { title, body, tag, lang }) {
    try {
      this.#win.navigator?.vibrate?.(PATTERNS[kind]);
    } catch {
      // no vibration on this phone
    }
    this.beep(kind);
    await this.#notify(title, { body, tag, lang, renotify: true }).catch(() => {});
  }

  /** The alert's tones, when the customer turned sound on. */
  beep(kind) {
    const audio = this.#audio;
    if (!audio) return;
    try {
      if (audio.state === 'suspended') audio.resume().catch(() => {});
      const start = audio.currentTime;
      for (let i = 0; i < TONES[kind]; i++) {
        const oscillator = audio.createOscillator();
        const gain = audio.createGain();
        oscillator.frequency.value = i % 2 === 0 ? 880 : 660;
        gain.gain.value = 0.2;
        oscillator.connect(gain).connect(audio.destination);
        oscillator.start(start + i * 0.3);
        oscillator.stop(start + i * 0.3 + 0.2);
      }
    } catch {
      // the audio system went away (a call on the phone, say)
    }
  }

  /** A notification where the phone allows one: through the page's service worker if it has
   * one (the only way on Android), else the page's own. */
  async #notify(title, options) {
    const { Notification, navigator } = this.#win;
    if (Notification?.permission !== 'granted') return;
    const registration = await navigator?.serviceWorker?.getRegistration?.().catch(() => undefined);
    if (registration?.showNotification) {
      await registration.showNotification(title, options);
      return;
    }
    new Notification(title, options); // eslint-disable-line no-new -- shown by being made
  }

  async #lockScreen() {
    try {
      if (this.#wakeLock && !this.#wakeLock.released) return;
      this.#wakeLock = (await this.#win.navigator?.wakeLock?.request?.('screen')) ?? null;
    } catch {
      this.#wakeLock = null; // refused (battery saver, a hidden page): the advice on the page stays
    }
  }
}
