// A view's sound switch (the board's, the console's): the checkbox, and the hint under it when
// the sound is on but the browser still holds it back until someone taps (announcer.js).
import { el, setText } from './dom.js';

/**
 * Makes `box` (a checkbox) the switch of `sound` ({ on(), set(on), blocked(), subscribe() },
 * speaker.js), with its hint `#<hintId>`; `place(hint)` puts the hint into the view. Follows
 * the language and the first tap.
 */
export function mountSoundSwitch({ box, hintId, place, sound, i18n }) {
  const hint = el('p', { className: 'sound-hint', attrs: { id: hintId } });
  box.setAttribute('aria-describedby', hint.id);
  place(hint);
  function render() {
    box.checked = sound.on();
    setText(hint, sound.on() && sound.blocked() ? i18n.t('sound.tap-to-allow') : '');
    hint.hidden = hint.textContent === '';
  }
  box.addEventListener('change', () => {
    sound.set(box.checked);
    render();
  });
  sound.subscribe(render);
  i18n.subscribe(render);
  render();
}
