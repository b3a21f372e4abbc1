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
 * Returns { switchOf(view) }: the sound switch of 'board' or 'staff', `{ on(), set(on),
 * blocked(), subscribe(listener) }` (`listener()` when `blocked()` may have changed).
 */
export function startSpeaker({ win, settings, i18n, calls, soundOf, addNotice = () => {} }) {
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
  const afterGesture = () => { for (const listener of listeners) listener(); };
  win.document.addEventListener('pointerdown', afterGesture, { once: true });
  win.document.addEventListener('keydown', afterGesture, { once: true });
  calls.subscribe(({ dept, call, again }) => {
    const view = soundOf();
    if (view === null || !settings().sound(view)) return;
    const words = callWords(i18n, call, { again, department: i18n.text(dept.config.names) });
    announcer.announce(words.speech, i18n.code);
  });
  return {
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
