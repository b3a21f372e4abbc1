// Which languages a device can speak, without a browser (www/js/sound/voices.js, announcer.js,
// speaker.js): the voices as a browser lists them (late, or never), the voice for a page
// language, a call in a language no voice speaks chimed and not spoken, and staff told once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { voicesOf, voiceFor, VOICES_WITHIN_MS } from '../../www/js/sound/voices.js';
import { Announcer } from '../../www/js/sound/announcer.js';
import { startSpeaker } from '../../www/js/sound/speaker.js';
import { PageLanguage } from '../../www/js/language/page-language.js';
import { english, spanish } from '../support/www-files.mjs';

const voice = (name, lang, more = {}) => ({ name, lang, localService: true, default: false, ...more });
const ENGLISH = voice('English (America)', 'en-US');
const SPANISH = voice('Spanish (Spain)', 'es_ES');

/** A SpeechSynthesis that lists `voices` once `list()` is called (as Chromium does, late). */
class FakeSynth extends EventTarget {
  #voices = [];
  spoken = [];
  getVoices() { return this.#voices; }
  list(voices) {
    this.#voices = voices;
    this.dispatchEvent(new Event('voiceschanged'));
  }
  speak(utterance) { this.spoken.push({ text: utterance.text, lang: utterance.lang, voice: utterance.voice?.name ?? null }); }
}

/** setTimeout on a clock that moves only when told to. */
function fakeTimers() {
  const due = new Map();
  let next = 1;
  return {
    setTimeout: (fn, ms) => { due.set(next, { fn, ms }); return next++; },
    clearTimeout: (id) => { due.delete(id); },
    runAll() { for (const [id, { fn }] of due) { due.delete(id); fn(); } },
    get pending() { return [...due.values()].map((t) => t.ms); },
  };
}

/** A window with speech (`synth`) and a chime that counts its notes; a tap has been made. */
function fakeWindow(synth) {
  const win = {
    notes: 0,
    speechSynthesis: synth,
    SpeechSynthesisUtterance: class { constructor(text) { this.text = text; this.lang = ''; this.voice = null; } },
    navigator: { userActivation: { hasBeenActive: true } },
    AudioContext: class {
      state = 'running';
      currentTime = 0;
      destination = {};
      createOscillator() { return { frequency: {}, connect: (g) => g, start: () => { win.notes += 1; }, stop() {} }; }
      createGain() { return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: (d) => d }; }
    },
  };
  return win;
}

test('the voices: listed at once, after the browser lists them, or none after a while', async () => {
  const now = new FakeSynth();
  now.list([ENGLISH]);
  assert.deepEqual(await voicesOf(now), [ENGLISH]);

  const late = new FakeSynth();
  const timers = fakeTimers();
  const asked = voicesOf(late, { timers });
  late.list([ENGLISH, SPANISH]);
  assert.deepEqual(await asked, [ENGLISH, SPANISH]);
  assert.deepEqual(timers.pending, [], 'the wait ends with the list');

  const never = new FakeSynth();
  const waiting = voicesOf(never, { timers });
  assert.deepEqual(timers.pending, [VOICES_WITHIN_MS]);
  timers.runAll();
  assert.deepEqual(await waiting, []);
});

test('the voice for a page language: its primary language, the default first, else one on the device', () => {
  const remote = voice('Google español', 'es-US', { localService: false });
  const usual = voice('Default English', 'en-GB', { default: true, localService: false });
  assert.equal(voiceFor([ENGLISH, SPANISH], 'es'), SPANISH, 'es_ES, as espeak-ng names it, speaks es');
  assert.equal(voiceFor([ENGLISH, usual], 'en'), usual);
  assert.equal(voiceFor([remote, SPANISH], 'es'), SPANISH);
  assert.equal(voiceFor([remote], 'es'), remote);
  assert.equal(voiceFor([ENGLISH], 'es'), null);
  assert.equal(voiceFor([], 'en'), null);
  // espeak-ng's Spanish voices as Chromium lists them: Latin America's first, and variants.
  const latin = voice('Spanish (Latin America) espeak-ng', 'es-419');
  const spain = voice('Spanish (Spain) espeak-ng', 'es');
  assert.equal(voiceFor([latin, voice('Spanish (Latin America)+Adam espeak-ng', 'es-419'), spain, voice('Spanish (Spain)+Adam espeak-ng', 'es')], 'es'), spain,
    'the voice named for exactly the page\'s tag, before its variants');
});

test('a call in a language no voice speaks is chimed, not handed to speech; one that has a voice is said with it', async () => {
  const synth = new FakeSynth();
  synth.list([ENGLISH]);
  const win = fakeWindow(synth);
  const announcer = new Announcer(win);
  await announcer.voices;
  assert.equal(announcer.canSpeak('en'), true);
  assert.equal(announcer.canSpeak('es'), false);
  await announcer.announce([{ text: 'Número 104', language: 'es' }]);
  assert.deepEqual(synth.spoken, []);
  assert.equal(win.notes, 2, 'the chime (two notes)');
  await announcer.announce([{ text: 'Number 104', language: 'en' }]);
  assert.deepEqual(synth.spoken, [{ text: 'Number 104', lang: 'en', voice: 'English (America)' }]);
  // A Spanish voice listed later (the device was set up meanwhile) is used from then on.
  synth.list([ENGLISH, SPANISH]);
  assert.equal(announcer.canSpeak('es'), true);
  await announcer.announce([{ text: 'Número 105', language: 'es' }]);
  assert.deepEqual(synth.spoken.at(-1), { text: 'Número 105', lang: 'es', voice: 'Spanish (Spain)' });
});

test('staff are told, once, which offered language this device cannot say, when a view here has its sound on', async () => {
  const synth = new FakeSynth();
  const i18n = new PageLanguage({ messages: new Map([['en', english], ['es', spanish]]), defaultLanguage: 'en', offered: ['en', 'es'] });
  const sound = { board: false, staff: false };
  const settings = () => ({ sound: (view) => sound[view], setSound: (view, on) => { sound[view] = on; } });
  const notices = [];
  const speaker = startSpeaker({
    win: { ...fakeWindow(synth), document: new EventTarget() }, settings, i18n, calls: { subscribe() {} }, soundOf: () => 'board',
    addNotice: (key, params) => notices.push([key, params]),
  });
  synth.list([ENGLISH]);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(notices, [], 'no view speaks here: nothing to tell');
  speaker.switchOf('board').set(true);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(notices, [['notice.no-voice', { language: 'Español' }]]);
  speaker.switchOf('staff').set(true);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(notices.length, 1, 'once per language');
});

test('the board says a call in each of the facility\'s call-out languages, one after the other, after one chime; the console in its own', async () => {
  const synth = new FakeSynth();
  synth.list([ENGLISH, SPANISH]);
  const win = Object.assign(fakeWindow(synth), { document: new EventTarget() });
  const i18n = new PageLanguage({ messages: new Map([['en', english], ['es', spanish]]), defaultLanguage: 'en', offered: ['en', 'es'] });
  const sound = { board: true, staff: true };
  let view = 'board';
  let listen;
  const speaker = startSpeaker({
    win, settings: () => ({ sound: (v) => sound[v] }), i18n, calls: { subscribe(listener) { listen = listener; } }, soundOf: () => view,
    callOutLanguages: () => ['es', 'en'],
  });
  await new Promise((resolve) => setImmediate(resolve));
  const news = { dept: { config: { names: { en: 'Blood tests', es: 'Análisis de sangre' } } }, call: { number: 200, counter: null, at: 0 }, again: false, onBoard: true };
  await speaker.sayOnBoard(news);
  assert.deepEqual(synth.spoken.map((s) => `${s.lang}: ${s.text}`), ['es: Número 200, Análisis de sangre', 'en: Number 200, Blood tests']);
  assert.equal(win.notes, 2, 'one chime for both');
  listen(news); // the board says it as it shows it, not as it comes
  assert.equal(synth.spoken.length, 2);
  await speaker.sayOnBoard({ ...news, onBoard: false });
  assert.equal(synth.spoken.length, 2, 'a call made while this window showed another view is not said on the board');
  view = 'staff';
  await speaker.sayOnBoard(news);
  assert.equal(synth.spoken.length, 2, 'a window that does not show the board does not say its calls');
  listen({ ...news, call: { number: 7, counter: '2', at: 0 } });
  assert.deepEqual(synth.spoken.at(-1), { text: 'Number 7, counter 2', lang: 'en', voice: 'English (America)' }, 'the console: at once, in its language');
});
