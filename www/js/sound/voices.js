// Which languages this device can speak. A browser lists its voices (speechSynthesis.getVoices),
// and Chromium on Debian lists none at all unless speech-dispatcher and espeak-ng are installed
// and it was started with --enable-speech-dispatcher (docs/kiosk-computer.md): then an
// utterance is silently dropped. So the page asks which voices there are, speaks only a
// language one of them has, chimes alone otherwise, and tells staff (speaker.js).

/** How long a browser may take to list its voices (Chromium lists them after a first ask). */
export const VOICES_WITHIN_MS = 3000;

/**
 * The voices of `synth` (a SpeechSynthesis): at once if listed, else after its first
 * `voiceschanged`, or [] after `within` ms without one (a browser with no voices may never say).
 */
export function voicesOf(synth, { within = VOICES_WITHIN_MS, timers = globalThis } = {}) {
  const listed = synth.getVoices();
  if (listed.length > 0) return Promise.resolve(listed);
  return new Promise((resolve) => {
    const done = () => {
      synth.removeEventListener('voiceschanged', done);
      timers.clearTimeout(timer);
      resolve(synth.getVoices());
    };
    const timer = timers.setTimeout(done, within);
    synth.addEventListener('voiceschanged', done);
  });
}

/** The primary language of a BCP 47 tag: 'es-ES' and 'es_ES' (as espeak-ng names some) are 'es'. */
const primary = (tag) => String(tag).toLowerCase().split(/[-_]/)[0];

/**
 * The voice to say `language` with (a page language: 'en', 'es'), or null when none speaks it:
 * the browser's default among those that do, else one on this device (no network needed),
 * else the first.
 */
export function voiceFor(voices, language) {
  const speaking = voices.filter((voice) => primary(voice.lang) === primary(language));
  return speaking.find((voice) => voice.default) ?? speaking.find((voice) => voice.localService) ?? speaking[0] ?? null;
}
