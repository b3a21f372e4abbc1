// Which languages this device can speak. A browser lists its voices (speechSynthesis.getVoices),
// and Chromium on Debian lists none at all unless speech-dispatcher and espeak-ng are installed
// and it was started with --enable-speech-dispatcher (docs/kiosk-computer.md): then an
// utterance is silently dropped. So the page asks which voices there are, speaks only a
// language one of them has, chimes alone otherwise, and tells staff (speaker.js).

/**
 * How long to wait for a browser to list its voices before going by none: Chromium with
 * speech-dispatcher lists espeak-ng's about 2.5 s after the first ask. A list that comes later
 * still counts (Announcer follows `voiceschanged`).
 */
export const VOICES_WITHIN_MS = 5000;

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
 * one named for exactly that tag first (espeak-ng's 'es' is Spain's Spanish; its 'es-419' Latin
 * America's), else any of that language; among those the browser's default, else one on this
 * device (no network needed), else the first listed (espeak-ng lists a voice before its
 * '+variant's).
 */
export function voiceFor(voices, language) {
  const exact = voices.filter((voice) => String(voice.lang).toLowerCase() === language.toLowerCase());
  const speaking = exact.length > 0 ? exact : voices.filter((voice) => primary(voice.lang) === primary(language));
  return speaking.find((voice) => voice.default) ?? speaking.find((voice) => voice.localService) ?? speaking[0] ?? null;
}
