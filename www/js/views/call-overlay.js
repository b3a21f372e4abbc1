// The call itself, over the board: "104 → Counter 2", large, in its department's colour, for as
// long as call-queue.js keeps it there (a few seconds, and until it has been said), then the
// next. The tiles and the last calls show it too; this is what catches the eye across the room.
// Screen readers hear each call from the live region (live-calls.js), so this is hidden from them.
// A ticket of a queue group carries its group's mark (icon and letter), as on the tiles.
import { el, paint, setText } from './dom.js';
import { marksOf } from './board.js';

/**
 * In `root` (the board's section): the overlay of `queue`'s current call (a CallQueue), in
 * `i18n`'s language, painted with `textColourOn` as the tiles are.
 */
export function mountCallOverlay({ root, queue, i18n, textColourOn }) {
  const parts = {
    department: el('p', { className: 'call-department' }),
    number: el('span', { className: 'call-number' }),
    mark: el('span', { className: 'call-mark' }),
    arrow: el('span', { className: 'call-arrow', text: '→' }),
    where: el('span', { className: 'call-where' }),
    again: el('p', { className: 'call-again' }),
  };
  const box = el('div', { className: 'call-overlay', attrs: { 'aria-hidden': 'true', hidden: '' } }, [
    parts.department,
    el('p', { className: 'call-line' }, [parts.number, parts.mark, parts.arrow, parts.where]),
    parts.again,
  ]);
  root.append(box);
  let shown = null;
  let count = 0;
  function render() {
    const news = queue.current;
    box.hidden = news === null;
    if (news === null) return;
    const { dept, call, again } = news;
    const department = i18n.text(dept.config.names);
    // With counters: where to go is the counter, and the department says whose call it is.
    setText(parts.department, call.counter === null ? '' : department);
    parts.department.hidden = call.counter === null;
    setText(parts.number, String(call.number));
    parts.mark.replaceChildren(...marksOf(dept, dept.record(), i18n, box.ownerDocument)(call.number));
    setText(parts.where, call.counter === null ? department : i18n.t('counter.name', { counter: call.counter }));
    setText(parts.again, again ? i18n.t('board.again') : '');
    parts.again.hidden = !again;
    paint(box, dept.config.colour, textColourOn(dept.config.colour));
    if (news === shown) return; // the same call, in another language
    shown = news;
    // Each call comes in anew (the animation starts again), even the same number recalled;
    // data-call counts them (for tests and diagnostics).
    box.dataset.call = String(++count);
    box.classList.remove('call-arrived');
    void box.offsetWidth;
    box.classList.add('call-arrived');
  }
  queue.subscribe(render);
  i18n.subscribe(render);
  render();
}
