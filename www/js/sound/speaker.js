// Sound in this window: the views' sound switches (the board's, the console's), and the call-out
// of each new call by a window whose view has its sound on (announcer.js chimes and speaks).
import { Announcer } from './announcer.js';
import { callWords } from '../model/call-out.js';

/**
 * @param settings  () => this device's DeviceSettings (device-settings.js)
 * @param calls     the window's CallOut (call-out.js)
 * @param soundOf   () => the view whose sound switch counts now (route.js), or null
 * @param addNotice (key, params) => a staff notice: a language of the facility no voice of
 *                  this device speaks, once per language, while a view's sound is on
 * @param callOutLanguages () => the languages the board says each call in (the facility's
 *                  settings), or null for the board's own
 * Returns { sayOnBoard(news), switchOf(view) }: the board's call-out of a call it shows
 * (call-queue.js), and the sound switch of 'board' or 'staff', `{ on(), set(on), blocked(),
 * subscribe(listener) }` (`listener()` when `blocked()` may have changed).
 */
export function startSpeaker({ win, settings, i18n, calls, soundOf, addNotice = () => {}, callOutLanguages = () => null }) {
  const announcer = new Announcer(win);
  const told = new Set();
  /** Tells staff which offered language this device cannot say, if any view speaks here. */
  const checkVoices = () => announcer.voices.then(() => {
    if (!['board', 'staff'].some((view) => settings().sound(view))) return;
    for (const code of i18n.offered) {
      if (announcer.canSpeak(code) || told.has(code)) continue;
      told.add(code);
      addNotice('notice.no-voice', { language: i18n.nameOf(code) });
    }
  });
  checkVoices();
  i18n.subscribe(checkVoices); // the offer may change with the facility's settings
  announcer.unlockOnGesture(win.document);
  const listeners = new Set();
  // A touch counts as the gesture browsers ask for only once it ends (pointerup), a mouse
  // press at once: the switches look again after each, until sound is allowed.
  const gestures = ['pointerdown', 'pointerup', 'keydown', 'click'];
  const afterGesture = () => {
    for (const listener of listeners) listener();
    if (announcer.allowed) for (const type of gestures) win.document.removeEventListener(type, afterGesture, true);
  };
  for (const type of gestures) win.document.addEventListener(type, afterGesture, true);
  const speaks = (view) => view !== null && view === soundOf() && settings().sound(view);
  /** `news` as said in `language`: that language's words and department name. */
  const inLanguage = ({ dept, call, again }, language) => {
    const { names } = dept.config;
    const department = names[language] ?? i18n.text(names);
    return { text: callWords(i18n.translator(language), call, { again, department }).speech, language };
  };
  // The console says a call in its own language; the board in the facility's call-out
  // languages, one after the other, where it has them (config.json's callOutLanguages).
  const say = (news, languages = [i18n.code]) => announcer.announce(languages.map((language) => inLanguage(news, language)));
  calls.subscribe((news) => {
    if (speaks('staff')) say(news);
  });
  return {
    /**
     * Says `news` (call-out.js, with `onBoard`: whether this window showed the board when the
     * call was made, so a call the console said already is not said again) if this window
     * shows the board with its sound on; resolves once said.
     */
    sayOnBoard: (news) => (news.onBoard && speaks('board') ? say(news, callOutLanguages() ?? [i18n.code]) : Promise.resolve()),
    switchOf: (view) => ({
      on: () => settings().sound(view),
      set: (on) => {
        settings().setSound(view, on);
        if (on) announcer.wake(); // the switch's click is the gesture browsers ask for
        if (on) checkVoices();
      },
      blocked: () => !announcer.allowed,
      subscribe: (listener) => { listeners.add(listener); },
    }),
  };
}
