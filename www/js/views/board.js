// The board ("Now serving", the screen across the room): per department the number at each
// open counter (or the one number being served, without counters), how many wait and about how
// long a new ticket waits, and the last calls, newest first and highlighted. A number called
// again flashes (a steady highlight under prefers-reduced-motion). The board's own sound switch
// lets the screen with the speakers call numbers out. The tiles fit the screen, in pages that
// turn by themselves when they must (board-fit.js). In a department with queue groups each number
// carries its group's mark (icon and letter: never colour alone), and the tile says how many wait
// in each group.
import { roundedMinutes } from '../model/estimate.js';
import { boardCounters, lastCalls } from '../model/calls.js';
import { el, paint, setText, boundTexts } from './dom.js';
import { subscribeEach } from '../model/department.js';
import { mountSoundSwitch } from './sound-switch.js';
import { mountBoardFit } from './board-fit.js';
import { groupOf, shortLabels, ticketGroup, waitingByGroup } from '../model/queue-rules.js';
import { groupMark } from './group-icons.js';

/** How long a recalled number stays highlighted. */
export const RECALL_MS = 8000;

/**
 * @param root   the board's section (#view-board)
 * @param facility, i18n, textColourOn, now: as for the customer view; it renders each department
 *               on its changes, and builds its tiles again when the facility's settings change
 * @param sound  { on: () => boolean, set(on), blocked: () => boolean, subscribe(listener) }:
 *               this view's sound switch
 * @param calls  the window's CallOut (call-out.js): a recall flashes
 */
export function mountBoard({ root, facility, i18n, sound, calls, textColourOn, now = Date.now }) {
  const win = root.ownerDocument.defaultView;
  const texts = boundTexts(i18n);
  let tiles = new Map(); // id -> the tile's parts
  const flashes = new Map(); // id -> { number, counter, until }: a recall, highlighted until then
  const grid = root.querySelector('#board');
  const fit = mountBoardFit({ grid, pageLine: root.querySelector('#board-page'), i18n });
  const render = (dept) => {
    const tile = tiles.get(dept.config.id);
    if (tile === undefined) return; // a department the settings no longer have
    const flash = flashes.get(dept.config.id);
    renderTile(tile, { dept, i18n, now, flashing: flash && flash.until > now() ? flash : null });
    fit.changed();
  };
  facility.follow((departments) => {
    tiles = new Map(departments.map((dept) => [dept.config.id, tileOf(dept, textColourOn)]));
    grid.replaceChildren(...[...tiles.values()].map((tile) => tile.article));
    for (const dept of departments) render(dept);
    fit.place([...tiles.values()]);
    return subscribeEach(departments, render);
  });

  // Sound on this screen, in the board's top line.
  const soundBox = el('input', { attrs: { type: 'checkbox', id: 'board-sound-toggle' } });
  const soundLine = el('div', { className: 'board-sound' }, [el('label', { className: 'toggle' }, [soundBox, texts.text(el('span'), 'board.sound')])]);
  root.querySelector('.board-bar').append(soundLine);
  mountSoundSwitch({ box: soundBox, hintId: 'board-sound-hint', place: (hint) => soundLine.append(hint), sound, i18n });

  const renderAll = () => { for (const dept of facility.departments) render(dept); };
  i18n.subscribe(() => {
    texts.apply();
    renderAll();
    fit.relabel();
  });
  // Estimates age, and recall highlights end.
  win.setInterval(renderAll, 30_000);
  calls.subscribe(({ dept, call, again }) => {
    if (!again) return;
    flashes.set(dept.config.id, { number: call.number, counter: call.counter, until: now() + RECALL_MS });
    render(dept);
    win.setTimeout(() => render(dept), RECALL_MS + 50);
  });
}

/** A department's tile: its parts, built once; `renderTile` fills them in. */
function tileOf(dept, textColourOn) {
  const { id, colour, counters } = dept.config;
  const parts = {
    name: el('h3', { attrs: { id: `board-name-${id}` } }),
    // The name in the facility's other languages, for those who read one of them.
    more: el('p', { className: 'board-name-more' }),
    number: el('p', { className: 'board-number' }),
    open: el('ul', { className: 'board-counters' }),
    counters: counters.length,
    waiting: el('p', { className: 'board-waiting' }),
    groups: el('p', { className: 'board-groups', attrs: { hidden: '' } }),
    estimate: el('p', { className: 'board-estimate' }),
    calls: el('ol', { className: 'board-calls' }),
  };
  parts.label = el('p', { className: 'board-label' });
  parts.historyTitle = el('h4', { className: 'board-history-title', attrs: { id: `board-calls-${id}` } });
  const { historyTitle } = parts;
  parts.calls.setAttribute('aria-labelledby', historyTitle.id);
  parts.history = el('div', { className: 'board-history' }, [historyTitle, parts.calls]);
  // What the numbers get: the room the other lines leave (sized to it in CSS).
  parts.now = el('div', { className: 'board-now' }, [parts.number, ...(counters.length > 0 ? [parts.open] : [])]);
  parts.article = el('article', { className: 'board-tile', attrs: { 'aria-labelledby': parts.name.id, 'data-department': id } }, [
    parts.name,
    parts.more,
    parts.label,
    parts.now,
    el('div', { className: 'board-queue' }, [parts.waiting, parts.groups, parts.estimate]),
    parts.history,
  ]);
  paint(parts.article, colour, textColourOn(colour));
  // The range's longest number: the size a number is given, so that it never changes with it.
  parts.article.style.setProperty('--digits', String(String(dept.config.maxNumber).length));
  return parts;
}

/** Fills `tile` with what `dept` shows now; `flashing` is the recall still highlighted, if any. */
function renderTile(tile, { dept, i18n, now, flashing }) {
  const { queue, nowServing, asleep, known } = dept.view();
  const record = dept.record();
  const { counters } = dept.config;
  setText(tile.name, i18n.text(dept.config.names));
  renderOtherNames(tile.more, dept.config.names, i18n);
  setText(tile.label, i18n.t('board.now-serving'));
  setText(tile.historyTitle, i18n.t('board.last-calls'));
  const rows = asleep ? [] : boardCounters(record, counters);
  const mark = marksOf(dept, record, i18n, tile.article.ownerDocument);
  if (counters.length > 0) {
    tile.open.replaceChildren(...rows.map(({ counter, number, newest }) => {
      const again = flashing?.counter === counter && flashing.number === number;
      return el('li', { className: `board-counter${newest ? ' newest' : ''}${again ? ' recalled' : ''}`, attrs: { 'data-counter': counter } }, [
        el('span', { className: 'board-counter-label', text: i18n.t('counter.name', { counter }) }),
        el('span', { className: 'board-counter-number', text: String(number) }, mark(number)),
        ...(again ? [el('span', { className: 'board-again', text: i18n.t('board.again') })] : []),
      ]);
    }));
    tile.open.hidden = rows.length === 0;
  }
  // Without counters, or with none open: the one big number (or a dash, or Closed).
  tile.number.hidden = !(counters.length === 0 || rows.length === 0);
  const serving = asleep ? i18n.t('board.closed') : counters.length === 0 && nowServing !== null ? String(nowServing) : '–';
  const marked = serving === String(nowServing) ? mark(nowServing) : [];
  const shown = `${serving}|${marked[0]?.dataset.group ?? ''}|${i18n.code}`;
  if (tile.number.dataset.shown !== shown) {
    tile.number.dataset.shown = shown;
    tile.number.replaceChildren(serving, ...marked);
  }
  tile.number.classList.toggle('board-word', asleep);
  tile.number.classList.toggle('recalled', Boolean(flashing) && counters.length === 0 && flashing.number === nowServing);

  setText(tile.waiting, asleep ? i18n.t('board.switched-off')
    : known ? i18n.t('waiting.people', { count: queue.length }) : i18n.t('common.connecting'));
  const wait = asleep || !known ? null : dept.estimate({ ahead: queue.length, now: now() });
  setText(tile.estimate, wait === null ? '' : i18n.t('board.estimate', { count: roundedMinutes(wait) }));
  renderGroups(tile.groups, { dept, record, i18n, shown: !asleep && known });
  tile.estimate.hidden = wait === null;

  const history = asleep ? [] : lastCalls(record);
  tile.calls.replaceChildren(...history.map(({ number, counter, newest }) => el('li', { className: newest ? 'newest' : '' }, [
    el('span', { className: 'call-number', text: String(number) }, mark(number)),
    ...(counter === null ? [] : [el('span', { className: 'call-counter', text: i18n.t('counter.name', { counter }) })]),
  ])));
  tile.history.hidden = history.length === 0;
}

/**
 * `(number) => [mark]`: the group mark of ticket `number` of `dept` (none without groups, or for
 * a ticket whose group the record does not know).
 */
export function marksOf(dept, record, i18n, doc) {
  const groups = dept.config.groups ?? [];
  if (groups.length === 0) return () => [];
  const labels = shortLabels(groups, (names) => i18n.text(names));
  return (number) => {
    const group = groupOf(dept.config, ticketGroup(record, number));
    return group === null ? [] : [groupMark(doc, group, labels.get(group.id), i18n.text(group.names))];
  };
}

/** How many wait in each group (a department with groups): the group's mark (its name to screen readers), then the count. */
function renderGroups(node, { dept, record, i18n, shown }) {
  const groups = dept.config.groups ?? [];
  node.hidden = !shown || groups.length === 0;
  if (node.hidden) return;
  const labels = shortLabels(groups, (names) => i18n.text(names));
  const counts = waitingByGroup(dept.config, record);
  const key = JSON.stringify([i18n.code, counts.map(({ count }) => count)]);
  if (node.dataset.key === key) return;
  node.dataset.key = key;
  const doc = node.ownerDocument;
  node.replaceChildren(...counts.map(({ group, count }) => el('span', { className: 'board-group', attrs: { 'data-group': group.id } }, [
    groupMark(doc, group, labels.get(group.id), i18n.text(group.names)),
    el('span', { className: 'board-group-count', text: String(count) }),
  ])));
}

/**
 * `names` in each offered language but the one shown, each marked with its `lang` (a screen
 * reader says it right): "Recepción · …". Nothing when there is no other, or it is the same.
 */
function renderOtherNames(node, names, i18n) {
  const shown = i18n.text(names);
  const others = i18n.offered.filter((code) => code !== i18n.code && typeof names[code] === 'string' && names[code] !== shown);
  const key = others.map((code) => `${code}:${names[code]}`).join('|');
  node.hidden = others.length === 0;
  if (node.dataset.names === key) return;
  node.dataset.names = key;
  node.replaceChildren(...others.flatMap((code, i) => [
    ...(i > 0 ? [' · '] : []),
    el('span', { text: names[code], attrs: { lang: code } }),
  ]));
}
