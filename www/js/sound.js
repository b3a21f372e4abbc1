// The optional chime and spoken call-out when a number is served. Browsers allow sound only
// after a user gesture, so it starts off and staff switch it on (that click is the gesture).

export class Announcer {
  #context = null;
  enabled = false;

  /** Switches sound on or off; call from a click handler. */
  setEnabled(on) {
    this.enabled = on;
    if (on && !this.#context && typeof AudioContext === 'function') this.#context = new AudioContext();
    if (on) this.#context?.resume?.();
  }

  /** Chimes and says "Number 104, Pharmacy" when sound is on. */
  call(number, department) {
    if (!this.enabled) return;
    this.#chime();
    if ('speechSynthesis' in globalThis && typeof SpeechSynthesisUtterance === 'function') {
      speechSynthesis.cancel();
      speechSynthesis.speak(new SpeechSynthesisUtterance(`Number ${number}, ${department}`));
    }
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
