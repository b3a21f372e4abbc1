// The board ("Now serving", the screen across the room): per department the number at each
// open counter (or the one number being served, without counters), how many wait and about how
// long a new ticket waits, and the last calls, newest first and highlighted. A number called
// again flashes (a steady highlight under prefers-reduced-motion). The board's own sound switch
// lets the screen with the speakers call numbers out.
import { roundedMinutes } from '../estimate.js';
import { boardCounters, lastCalls } from '../calls.js';
import { el, paint, setText, boundTexts } from './dom.js';

/** How long a recalled number stays highlighted. */
export const RECALL_MS = 8000;

/**
 * @param root   the board's section (#view-board)
 * @param departments, i18n, textColourOn, now: as for the customer view; it renders each
 *               department on its changes
 * @param sound  { on: () => boolean, set(on), blocked: () => boolean, subscribe(listener) }:
 *               this view's sound switch
 * @param calls  the window's CallOut (call-out.js): a recall flashes
 */
export function mountBoard({ root, departments, i18n, sound, calls, textColourOn, now = Date.now }) {
  const win = root.ownerDocument.defaultView;
  const texts = boundTexts(i18n);
  const tiles = new Map();

  for (const dept of departments) {
    const { id, colour, counters } = dept.config;
    const name = el('h3', { attrs: { id: `board-name-${id}` } });
    const number = el('p', { className: 'board-number' });
    const open = el('ul', { className: 'board-counters' });
    const waiting = el('p', { className: 'board-waiting' });
    const estimate = el('p', { className: 'board-estimate' });
    const calls = el('ol', { className: 'board-calls' });
    const historyTitle = texts.text(el('h4', { className: 'board-history-title', attrs: { id: `board-calls-${id}` } }), 'board.last-calls');
    calls.setAttribute('aria-labelledby', historyTitle.id);
    const tile = el('article', { className: 'board-tile', attrs: { 'aria-labelledby': `board-name-${id}`, 'data-department': id } }, [
      name,
      texts.text(el('p', { className: 'board-label' }), 'board.now-serving'),
      number,
      ...(counters.length > 0 ? [open] : []),
      waiting,
      estimate,
      el('div', { className: 'board-history' }, [historyTitle, calls]),
    ]);
    paint(tile, colour, textColourOn(colour));
    root.querySelector('#board').append(tile);
    tiles.set(id, { name, number, open, waiting, estimate, calls });
  }

  // --- Sound on this screen -------------------------------------------------------------
  const soundBox = el('input', { attrs: { type: 'checkbox', id: 'board-sound-toggle' } });
  const soundHint = el('p', { className: 'sound-hint', attrs: { id: 'board-sound-hint' } });
  soundBox.setAttribute('aria-describedby', soundHint.id);
  root.append(el('div', { className: 'board-sound' }, [
    el('label', { className: 'toggle' }, [soundBox, texts.text(el('span'), 'board.sound')]),
    soundHint,
  ]));
  soundBox.addEventListener('change', () => {
    sound.set(soundBox.checked);
    renderSound();
  });
  function renderSound() {
    soundBox.checked = sound.on();
    setText(soundHint, sound.on() && sound.blocked() ? i18n.t('sound.tap-to-allow') : '');
    soundHint.hidden = soundHint.textContent === '';
  }

  // --- Rendering ---------------------------------------------------------------------
  const flashes = new Map(); // id -> { key, until }

  function render(id) {
    const dept = departments.find((d) => d.config.id === id);
    const { queue, nowServing, asleep, known } = dept.view();
    const record = dept.record();
    const tile = tiles.get(id);
    const flash = flashes.get(id);
    const flashing = flash && flash.until > now() ? flash : null;
    setText(tile.name, i18n.text(dept.config.names));

    const rows = asleep ? [] : boardCounters(record, dept.config.counters);
    if (dept.config.counters.length > 0) {
      tile.open.replaceChildren(...rows.map(({ counter, number, newest }) => {
        const again = flashing?.counter === counter && flashing.number === number;
        return el('li', { className: `board-counter${newest ? ' newest' : ''}${again ? ' recalled' : ''}`, attrs: { 'data-counter': counter } }, [
          el('span', { className: 'board-counter-label', text: i18n.t('counter.name', { counter }) }),
          el('span', { className: 'board-counter-number', text: String(number) }),
          ...(again ? [el('span', { className: 'board-again', text: i18n.t('board.again') })] : []),
        ]);
      }));
      tile.open.hidden = rows.length === 0;
    }
    // Without counters, or with none open: the one big number (or a dash, or Closed).
    const single = dept.config.counters.length === 0 || rows.length === 0;
    tile.number.hidden = !single;
    setText(tile.number, asleep ? i18n.t('board.closed')
      : dept.config.counters.length === 0 && nowServing !== null ? String(nowServing) : '–');
    tile.number.classList.toggle('recalled', Boolean(flashing) && dept.config.counters.length === 0 && flashing.number === nowServing);

    const waitingText = asleep ? i18n.t('board.switched-off')
      : known ? i18n.t('waiting.people', { count: queue.length }) : i18n.t('common.connecting');
    setText(tile.waiting, waitingText);
    const wait = asleep || !known ? null : dept.estimate({ ahead: queue.length, now: now() });
    setText(tile.estimate, wait === null ? '' : i18n.t('board.estimate', { count: roundedMinutes(wait) }));
    tile.estimate.hidden = wait === null;

    const history = asleep ? [] : lastCalls(record);
    tile.calls.replaceChildren(...history.map(({ number, counter, newest }) => el('li', { className: newest ? 'newest' : '' }, [
      el('span', { className: 'call-number', text: String(number) }),
      ...(counter === null ? [] : [el('span', { className: 'call-counter', text: i18n.t('counter.name', { counter }) })]),
    ])));
    tile.calls.closest('.board-history').hidden = history.length === 0;
  }

  i18n.subscribe(() => {
    texts.apply();
    renderSound();
    for (const dept of departments) render(dept.config.id);
  });
  // Estimates age, and recall highlights end.
  win.setInterval(() => { for (const dept of departments) render(dept.config.id); }, 30_000);
  for (const dept of departments) {
    dept.subscribe(() => render(dept.config.id));
    render(dept.config.id);
  }
  // A number called again (new in the record): highlighted for RECALL_MS.
  calls.subscribe(({ dept, call, again }) => {
    if (!again) return;
    const { id } = dept.config;
    flashes.set(id, { number: call.number, counter: call.counter, until: now() + RECALL_MS });
    render(id);
    win.setTimeout(() => render(id), RECALL_MS + 50);
  });
  sound.subscribe(renderSound);
  renderSound();
}
