// The chime and the spoken call-out ("Number 104, counter 2"), in the language of the window
// that speaks. Which window speaks is the page's choice (speaker.js: any window whose view has
// its sound switched on, for every new call it sees in the shared record).
//
// Browsers play sound only after the page has had a tap or key press ("user activation"):
// the AudioContext starts suspended, and Chrome refuses speechSynthesis.speak(). So the
// context is made or resumed on a gesture (the switch itself, or `unlockOnGesture`), and
// `blocked` says when a window that should speak cannot yet (a board needs one tap after each
// start: docs/running-the-kiosk.md).
//
// A language no voice of the device speaks is not handed to speechSynthesis (it would say
// nothing, or say it in another language's voice): the chime alone calls it (voices.js).
import { voicesOf, voiceFor } from './voices.js';

export class Announcer {
  #context = null;
  #win;
  #voices = null; // until the browser has listed them

  constructor(win = globalThis) {
    this.#win = win;
    const synth = win.speechSynthesis;
    /** Resolves with the device's voices once listed, or [] when none came in time. */
    this.voices = synth ? voicesOf(synth).then((voices) => { this.#voices = voices; return voices; }) : Promise.resolve([]);
    // A list that comes later (a slow speech-dispatcher), or changes, counts from then on.
    synth?.addEventListener?.('voiceschanged', () => { this.#voices = synth.getVoices(); });
  }

  /** Whether a voice of this device speaks `language`: null until the voices are listed. */
  canSpeak(language) {
    return this.#voices === null ? null : voiceFor(this.#voices, language) !== null;
  }

  /** Whether this page may make sound yet (it has had a tap or a key press). */
  get allowed() {
    return this.#win.navigator?.userActivation?.hasBeenActive ?? true;
  }

  /** Prepares sound; call from a click or key handler (a user gesture). */
  wake() {
    const AudioContext = this.#win.AudioContext;
    if (!this.#context && typeof AudioContext === 'function') this.#context = new AudioContext();
    if (this.#context?.state === 'suspended') this.#context.resume().catch(() => {});
  }

  /** Wakes sound on the page's first tap or key press, for a window whose sound was on at load. */
  unlockOnGesture(doc = this.#win.document) {
    const once = () => {
      this.wake();
      for (const type of ['pointerdown', 'keydown']) doc.removeEventListener(type, once, true);
    };
    for (const type of ['pointerdown', 'keydown']) doc.addEventListener(type, once, true);
  }

  /**
   * Chimes, then says each of `sayings` (`{ text, language }`, one after the other) where a
   * voice speaks its language. Does nothing before the page may make sound. Resolves once all
   * have been said (or failed), at once when nothing is said: the board shows a call until
   * then (call-queue.js).
   */
  announce(sayings) {
    if (!this.allowed) return Promise.resolve();
    this.wake();
    this.#chime();
    return Promise.all(sayings.map(({ text, language }) => this.#say(text, language))).then(() => {});
  }

  #say(text, language) {
    const { speechSynthesis, SpeechSynthesisUtterance } = this.#win;
    if (!speechSynthesis || typeof SpeechSynthesisUtterance !== 'function') return Promise.resolve();
    const voice = this.#voices === null ? null : voiceFor(this.#voices, language);
    if (this.#voices !== null && voice === null) return Promise.resolve();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = language;
    if (voice !== null) utterance.voice = voice;
    const said = typeof utterance.addEventListener === 'function'
      ? new Promise((resolve) => {
        utterance.addEventListener('end', resolve, { once: true });
        utterance.addEventListener('error', resolve, { once: true });
      })
      : Promise.resolve();
    // Queued, not cancelled: two counters calling at once are both heard.
    speechSynthesis.speak(utterance);
    return said;
  }

  #chime() {
    const ctx = this.#context;
    if (!ctx) return;
    // Two soft notes, like a doorbell.
    [[659.25, 0], [523.25, 0.25]].forEach(([frequency, at]) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, ctx.currentTime + at);
      gain.gain.exponentialRampToValueAtTime(0.3, ctx.currentTime + at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + at + 0.6);
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + at);
      osc.stop(ctx.currentTime + at + 0.65);
    });
  }
}
