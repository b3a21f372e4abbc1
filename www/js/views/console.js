// The staff console's counters page: a panel per department to call numbers (to this device's
// counter, in departments with counters), call the current one again, mark a no-show, serve a
// waiting number first, and reset the queue; the staff notices; the console's sound switch.
// The lock in front of it is views/staff-lock.js; the day's figures are views/figures.js.
import { el, paint, setText, boundTexts } from './dom.js';
import { mountSoundSwitch } from './sound-switch.js';
import { subscribeEach } from '../model/department.js';

/**
 * @param root      the console (#console): its bar's sound switch and its counters page
 * @param facility, i18n, textColourOn: as for the other views; it renders each department
 *                  on its changes, and builds its panels again when the facility's settings
 *                  change
 * @param settings  DeviceSettings (device-settings.js): this device's counter per department
 * @param sound     this view's sound switch: { on(), set(on), blocked(), subscribe(listener) }
 * @param notices   () => the staff notices, oldest first: [{ at, text }] (texts already in the
 *                  window's language)
 * Returns { renderNotices() }: call it when the notices change.
 */
export function mountConsole({ root, facility, i18n, settings, sound, notices, textColourOn }) {
  const texts = boundTexts(i18n);
  let panels = new Map(); // id -> the panel's parts, and the result it shows ({ key, params })
  /** This window's counter in `dept`: null without counters; undefined while none is chosen. */
  const counterOf = (dept) => (dept.config.counters.length === 0 ? null : settings.counter(dept.config) ?? undefined);
  const render = (dept) => {
    const panel = panels.get(dept.config.id);
    if (panel) renderPanel(panel, { dept, counter: counterOf(dept), i18n, act });
  };

  /**
   * The result line: a key and its params, so that it follows a change of language. Set even
   * when the words are the same as before, so that the status is announced again (a second
   * "Nobody is waiting." is news too).
   */
  function show(dept, key, params = {}) {
    const panel = panels.get(dept.config.id);
    if (panel === undefined) return; // a department the settings no longer have
    panel.shown = key === null ? null : { key, params };
    panel.result.textContent = key === null ? '' : i18n.t(key, params);
  }
  const failed = (dept, key, error) => show(dept, error.code === 'forbidden' ? 'staff.forbidden' : key, { code: error.code ?? error.message });

  const act = (dept, action, priority) => actAt(dept, { action, priority, counter: counterOf(dept), show: (...args) => show(dept, ...args), failed });

  const confirmReset = mountResetDialog({
    dialog: root.querySelector('#confirm-reset'), i18n,
    reset: (dept) => dept.reset().then(() => show(dept, 'staff.reset-done'), (error) => failed(dept, 'staff.reset-failed', error)),
    reclaim: (dept) => dept.reclaim().then(() => show(dept, 'staff.reclaim-done'), (error) => failed(dept, 'staff.reset-failed', error)),
  });
  let panelTexts = boundTexts(i18n); // the panels' fixed texts: built again with them
  facility.follow((departments) => {
    const doc = root.ownerDocument;
    // Staff at work here keep their place: the focused button, and each panel's last result.
    const focused = doc.activeElement?.closest?.('#staff-departments [data-department]') ? doc.activeElement : null;
    const refocus = focused && { id: focused.closest('[data-department]').dataset.department, action: focused.dataset.action, select: focused.tagName === 'SELECT' };
    const before = panels;
    panels = new Map();
    panelTexts = boundTexts(i18n);
    for (const dept of departments) {
      const panel = panelOf(dept, { texts: panelTexts, i18n, textColourOn, act, confirmReset });
      panels.set(dept.config.id, panel);
      const shown = before.get(dept.config.id)?.shown ?? null;
      if (shown) show(dept, shown.key, shown.params);
      panel.choice?.addEventListener('change', () => {
        settings.chooseCounter(dept.config, panel.choice.value === '' ? null : panel.choice.value);
        show(dept, null);
        render(dept);
      });
      render(dept);
    }
    root.querySelector('#staff-departments').replaceChildren(...[...panels.values()].map((panel) => panel.section));
    if (refocus) {
      const section = root.querySelector(`#staff-departments [data-department="${CSS.escape(refocus.id)}"]`);
      (refocus.select ? section?.querySelector('select') : section?.querySelector(`[data-action="${CSS.escape(refocus.action ?? '')}"]`))?.focus();
    }
    if (before.size > 0) renderNotices(); // the first time, staff.js does once all is there
    return subscribeEach(departments, (dept) => {
      render(dept);
      renderNotices();
    });
  });
  mountSoundSwitch({ box: root.querySelector('#sound-toggle'), hintId: 'staff-sound-hint', place: (hint) => root.querySelector('#sound-toggle').closest('.toggle').after(hint), sound, i18n });

  function renderNotices() {
    const all = notices();
    root.querySelector('#notices').replaceChildren(...(all.length === 0
      ? [el('li', { text: i18n.t('notices.none') })]
      : all.map(({ at, text }) => el('li', { text: `${i18n.timeWithSeconds(at)}: ${text}` }))));
  }

  i18n.subscribe(() => {
    texts.apply();
    panelTexts.apply();
    for (const dept of facility.departments) {
      const panel = panels.get(dept.config.id);
      if (panel?.shown) setText(panel.result, i18n.t(panel.shown.key, panel.shown.params));
      render(dept);
    }
    renderNotices();
  });
  return { renderNotices };
}

/**
 * Serves (the next number, or `priority`), calls again or marks a no-show in `dept` at
 * `counter`; `show(key, params)` puts the outcome on the panel's result line.
 */
async function actAt(dept, { action, priority, counter, show, failed }) {
  if (counter === undefined) {
    show('staff.choose-counter-first');
    return;
  }
  try {
    if (action === 'serve') {
      const outcome = await dept.serve(priority, counter);
      if (outcome.empty) show('staff.nobody-waiting');
      else if (outcome.notFound) show('staff.not-waiting', { number: priority });
      else if (counter === null) show('staff.serving', { number: outcome.number });
      else show('staff.serving-at', { number: outcome.number, counter });
    } else {
      const outcome = action === 'recall' ? await dept.recall(counter) : await dept.noShow(counter);
      if (outcome.nobody) show('staff.nobody-called');
      else show(action === 'recall' ? 'staff.recalled' : 'staff.no-show-done', { number: outcome.number });
    }
  } catch (error) {
    failed(dept, 'staff.failed', error);
  }
}

/** The confirmation's words for each kind of starting over. */
const DIALOG = {
  reset: { title: 'reset.title', text: 'reset.text', confirm: 'reset.confirm' },
  reclaim: { title: 'reclaim.title', text: 'reclaim.text', confirm: 'reclaim.confirm' },
};

/**
 * The queue's reset, or a department brought back into service (`reclaim`: started over under
 * this device's release, whatever rules its record was given), after a confirmation in `dialog`
 * (#confirm-reset). Returns confirm(dept, kind).
 */
function mountResetDialog({ dialog, i18n, reset, reclaim }) {
  let target = null;
  dialog.addEventListener('close', () => {
    const asked = target;
    target = null;
    if (dialog.returnValue === 'reset' && asked) (asked.kind === 'reclaim' ? reclaim : reset)(asked.dept);
  });
  return (dept, kind = 'reset') => {
    target = { dept, kind };
    const department = i18n.text(dept.config.names);
    const words = DIALOG[kind];
    dialog.querySelector('#confirm-title').textContent = i18n.t(words.title);
    dialog.querySelector('#confirm-text').textContent = i18n.t(words.text, { department, min: dept.config.minNumber });
    dialog.querySelector('button[value="reset"]').textContent = i18n.t(words.confirm);
    dialog.showModal();
  };
}

/** A department's panel: its parts, built once; `renderPanel` fills them in. */
function panelOf(dept, { texts, i18n, textColourOn, act, confirmReset }) {
  const { id, colour, counters } = dept.config;
  const button = (action, key, className) => {
    const node = texts.text(el('button', { className, attrs: { type: 'button', 'data-action': action } }), key);
    node.addEventListener('click', () => (action === 'reset' || action === 'reclaim' ? confirmReset(dept, action) : act(dept, action)));
    return node;
  };
  const parts = {
    name: el('h3', { attrs: { id: `staff-name-${id}` } }),
    serving: el('p', { className: 'staff-serving' }),
    serveNext: button('serve', 'staff.serve-next'),
    recall: button('recall', 'staff.recall', 'secondary'),
    noShow: button('no-show', 'staff.no-show', 'secondary'),
    // Only for a department whose record runs rules this device does not (needs-update).
    reclaim: button('reclaim', 'staff.reclaim', 'danger'),
    list: el('ul', { className: 'waiting-list' }),
    result: el('p', { className: 'staff-result', attrs: { role: 'status' } }),
    choice: null,
    hint: null,
    shown: null,
  };
  texts.attr(parts.list, 'aria-label', 'staff.waiting-label', () => ({ department: i18n.text(dept.config.names) }));
  const choosing = [];
  if (counters.length > 0) {
    // This device's counter: remembered, and asked for until chosen (so that two desks never
    // both call "counter 1" by default).
    parts.choice = el('select', { attrs: { id: `counter-${id}` } });
    parts.hint = el('p', { className: 'counter-hint', attrs: { id: `counter-hint-${id}` } });
    parts.choice.setAttribute('aria-describedby', parts.hint.id);
    choosing.push(el('div', { className: 'counter-choice' }, [
      texts.text(el('label', { attrs: { for: parts.choice.id } }), 'staff.your-counter'), parts.choice,
    ]), parts.hint);
  }
  parts.section = el('section', { className: 'staff-panel', attrs: { 'aria-labelledby': parts.name.id, 'data-department': id } }, [
    parts.name, ...choosing, parts.serving,
    el('div', { className: 'staff-actions' }, [parts.serveNext, parts.recall, parts.noShow, button('reset', 'staff.reset', 'danger'), parts.reclaim]),
    parts.result, texts.text(el('h4'), 'staff.waiting-title'), parts.list,
  ]);
  paint(parts.section, colour, textColourOn(colour));
  return parts;
}

/** Fills `panel` with what `dept` shows to a desk at `counter` (see counterOf). */
function renderPanel(panel, { dept, counter, i18n, act }) {
  const { queue, nowServing, asleep, known, status } = dept.view();
  setText(panel.name, i18n.text(dept.config.names));
  panel.reclaim.hidden = status !== 'needs-update';
  if (panel.choice) {
    const options = [el('option', { text: i18n.t('staff.choose-counter'), attrs: { value: '' } }),
      ...dept.config.counters.map((c) => el('option', { text: i18n.t('counter.name', { counter: c }), attrs: { value: c } }))];
    if (panel.choice.options.length !== options.length || [...panel.choice.options].some((o, i) => o.text !== options[i].text)) {
      panel.choice.replaceChildren(...options);
    }
    panel.choice.value = counter ?? '';
    setText(panel.hint, counter === undefined ? i18n.t('staff.choose-counter-hint') : '');
    panel.hint.hidden = counter !== undefined;
  }
  const waiting = known ? i18n.t('waiting.people', { count: queue.length }) : i18n.t('common.connecting');
  const current = counter === undefined ? null : dept.current(counter);
  setText(panel.serving, asleep ? i18n.t('staff.asleep')
    : typeof counter === 'string' ? i18n.t('staff.at-counter', { counter, number: current ?? i18n.t('staff.nobody-yet'), waiting })
      : i18n.t('staff.now-serving', { number: nowServing ?? i18n.t('staff.nobody-yet'), waiting }));
  const canCall = counter !== undefined;
  panel.serveNext.disabled = !canCall;
  panel.recall.disabled = !canCall || asleep || current === null;
  panel.noShow.disabled = !canCall || asleep || current === null;
  panel.list.replaceChildren(...queue.map((n) => {
    const pick = el('button', { className: 'pick', text: String(n), attrs: { type: 'button', 'aria-label': i18n.t('staff.serve-now', { number: n }) } });
    pick.disabled = !canCall;
    pick.addEventListener('click', () => act(dept, 'serve', n));
    return el('li', {}, [pick]);
  }));
  if (queue.length === 0) panel.list.append(el('li', { className: 'empty', text: i18n.t('staff.nobody-waiting') }));
}
