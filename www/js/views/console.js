// The staff console's counters page: a panel per department to call numbers (to this device's
// counter, in departments with counters: the next, the next of a group, or a waiting number
// first), call the current one again, finish it, mark a no-show once it had the calls the
// department asks for, park it and call parked ones back, transfer it to another department, and
// reset the queue; the staff notices; the console's sound switch.
// The lock in front of it is views/staff-lock.js; the day's figures are views/figures.js.
import { el, paint, setText, boundTexts } from './dom.js';
import { mountSoundSwitch } from './sound-switch.js';
import { subscribeEach } from '../model/department.js';
import { groupName, groupIds } from '../model/group-names.js';
import { counterActions } from '../model/counter-actions.js';

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
    if (panel) renderPanel(panel, { dept, counter: counterOf(dept), i18n, act, others: facility.departments.filter((d) => d !== dept) });
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

  const act = (dept, action, arg) => actAt(dept, {
    action, arg, counter: counterOf(dept), show: (...args) => show(dept, ...args), failed, i18n, facility,
  });

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
    const refocus = focused && { id: focused.closest('[data-department]').dataset.department, action: focused.dataset.action, select: focused.tagName === 'SELECT' && !focused.dataset.action };
    const before = panels;
    panels = new Map();
    panelTexts = boundTexts(i18n);
    for (const dept of departments) {
      const panel = panelOf(dept, { texts: panelTexts, i18n, textColourOn, act, confirmReset });
      panel.transferTo?.addEventListener('change', () => show(dept, null));
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
 * Does `action` in `dept` at `counter` (undefined: none chosen yet) with `arg`: 'serve' (the next,
 * or waiting number `arg` first), 'call-group' (the next of group `arg`), 'recall', 'finish',
 * 'no-show', 'park', 'unpark' (parked number `arg`), 'transfer' (the counter's ticket to
 * department id `arg`). `show(key, params)` puts the outcome on the panel's result line.
 */
async function actAt(dept, { action, arg, counter, show, failed, i18n, facility }) {
  if (counter === undefined && action !== 'unpark') {
    show('staff.choose-counter-first');
    return;
  }
  const group = (id) => groupName(dept.config, id, (names) => i18n.text(names));
  const served = ({ number }) => (counter === null ? show('staff.serving', { number }) : show('staff.serving-at', { number, counter }));
  try {
    if (action === 'serve' || action === 'call-group') {
      const outcome = action === 'serve' ? await dept.serve(arg, counter) : await dept.call(counter, { group: arg });
      if (outcome.empty) show(action === 'serve' ? 'staff.nobody-waiting' : 'staff.group-empty', { group: group(arg) });
      else if (outcome.notFound) show('staff.not-waiting', { number: arg });
      else served(outcome);
    } else if (action === 'unpark') {
      const outcome = await dept.recallParked(arg);
      if (outcome.notParked) show('staff.not-parked', { number: arg });
      else if (outcome.counter === null) show('staff.unparked', { number: outcome.number });
      else show('staff.unparked-at', { number: outcome.number, counter: outcome.counter });
    } else if (action === 'transfer') {
      if (!arg) {
        show('staff.transfer-first');
        return;
      }
      const outcome = await dept.transfer(null, arg, counter);
      const target = facility.departments.find((d) => d.config.id === arg);
      if (outcome.nobody) show('staff.nobody-called');
      else if (outcome.notFound) show('staff.transfer-gone');
      else show('staff.transferred', { number: outcome.number, department: target ? i18n.text(target.config.names) : arg });
    } else {
      const method = { recall: 'recall', finish: 'finish', 'no-show': 'noShow', park: 'park' }[action];
      const outcome = await dept[method](counter);
      const done = { recall: 'staff.recalled', finish: 'staff.finished', 'no-show': 'staff.no-show-done', park: 'staff.parked-done' }[action];
      if (outcome.nobody) show('staff.nobody-called');
      else if (outcome.tooFewCalls) show('staff.too-few-calls', { number: dept.current(counter), ...outcome.tooFewCalls });
      else show(done, { number: outcome.number });
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
    node.addEventListener('click', () => (action === 'reset' || action === 'reclaim' ? confirmReset(dept, action)
      : act(dept, action, action === 'transfer' ? parts.transferTo.value : undefined)));
    return node;
  };
  const parts = {
    name: el('h3', { attrs: { id: `staff-name-${id}` } }),
    serving: el('p', { className: 'staff-serving' }),
    serveNext: button('serve', 'staff.serve-next'),
    recall: button('recall', 'staff.recall', 'secondary'),
    finish: button('finish', 'staff.finish', 'secondary'),
    noShow: button('no-show', 'staff.no-show', 'secondary'),
    park: button('park', 'staff.park', 'secondary'),
    // How many calls the ticket here had, of those a no-show needs (where it needs more than one).
    calls: el('p', { className: 'staff-calls', attrs: { id: `staff-calls-${id}` } }),
    // The group called next, and a call per group (departments with groups).
    nextGroup: el('p', { className: 'staff-next-group', attrs: { id: `next-group-${id}` } }),
    groups: el('div', { className: 'staff-groups', attrs: { role: 'group' } }),
    transferTo: el('select', { attrs: { id: `transfer-to-${id}`, 'data-action': 'transfer-to' } }),
    transfer: button('transfer', 'staff.transfer', 'secondary'),
    transferBox: null,
    parkedList: el('ul', { className: 'parked-list' }),
    // Only for a department whose record runs rules this device does not (needs-update).
    reclaim: button('reclaim', 'staff.reclaim', 'danger'),
    list: el('ul', { className: 'waiting-list' }),
    result: el('p', { className: 'staff-result', attrs: { role: 'status' } }),
    choice: null,
    hint: null,
    shown: null,
  };
  texts.attr(parts.list, 'aria-label', 'staff.waiting-label', () => ({ department: i18n.text(dept.config.names) }));
  texts.attr(parts.parkedList, 'aria-label', 'staff.parked-label', () => ({ department: i18n.text(dept.config.names) }));
  texts.attr(parts.groups, 'aria-label', 'staff.groups-label', () => ({ department: i18n.text(dept.config.names) }));
  parts.noShow.setAttribute('aria-describedby', parts.calls.id);
  parts.serveNext.setAttribute('aria-describedby', parts.nextGroup.id);
  parts.groups.replaceChildren(...groupIds(dept.config).map((group) => {
    const call = el('button', { className: 'secondary', attrs: { type: 'button', 'data-action': `call-group-${group}`, 'data-group': group } });
    texts.text(call, 'staff.call-group', () => ({ group: groupName(dept.config, group, (names) => i18n.text(names)) }));
    call.addEventListener('click', () => act(dept, 'call-group', group));
    return call;
  }));
  parts.groups.hidden = parts.groups.childElementCount === 0;
  parts.transferBox = el('div', { className: 'counter-choice transfer-choice' }, [
    texts.text(el('label', { attrs: { for: parts.transferTo.id } }), 'staff.transfer-to'), parts.transferTo, parts.transfer,
  ]);
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
    parts.name, ...choosing, parts.serving, parts.nextGroup, parts.calls,
    el('div', { className: 'staff-actions' }, [parts.serveNext, parts.recall, parts.finish, parts.noShow, parts.park,
      button('reset', 'staff.reset', 'danger'), parts.reclaim]),
    parts.groups, parts.transferBox,
    parts.result, texts.text(el('h4'), 'staff.waiting-title'), parts.list,
    texts.text(el('h4'), 'staff.parked-title'), parts.parkedList,
  ]);
  paint(parts.section, colour, textColourOn(colour));
  return parts;
}

/** Fills `panel` with what `dept` shows to a desk at `counter` (see counterOf). */
function renderPanel(panel, { dept, counter, i18n, act, others }) {
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
  const can = counterActions(dept, counter);
  const canCall = can.call;
  const idle = !can.atCounter;
  panel.serveNext.disabled = !canCall;
  panel.recall.disabled = idle;
  panel.finish.disabled = idle;
  panel.park.disabled = idle;
  // Until the ticket has had the calls a no-show needs, staff see how many it had.
  panel.noShow.disabled = !can.noShow;
  setText(panel.calls, can.calls === null ? '' : i18n.t('staff.calls', can.calls));
  panel.calls.hidden = can.calls === null;
  setText(panel.nextGroup, can.nextGroup === null ? '' : i18n.t('staff.next-group', { group: groupName(dept.config, can.nextGroup, (names) => i18n.text(names)) }));
  panel.nextGroup.hidden = can.nextGroup === null;
  for (const call of panel.groups.children) call.disabled = !canCall;
  // The other departments of the facility, to transfer this counter's ticket to.
  const chosen = panel.transferTo.value;
  const targets = [el('option', { text: i18n.t('staff.transfer-choose'), attrs: { value: '' } }),
    ...others.map((d) => el('option', { text: i18n.text(d.config.names), attrs: { value: d.config.id } }))];
  if (panel.transferTo.options.length !== targets.length || [...panel.transferTo.options].some((o, i) => o.text !== targets[i].text || o.value !== targets[i].value)) {
    panel.transferTo.replaceChildren(...targets);
    panel.transferTo.value = others.some((d) => d.config.id === chosen) ? chosen : '';
  }
  panel.transferBox.hidden = others.length === 0;
  panel.transfer.disabled = idle;
  const parked = dept.parked();
  panel.parkedList.replaceChildren(...parked.map(({ number, counter: at }) => {
    const back = el('button', {
      className: 'pick', text: String(number),
      attrs: { type: 'button', 'aria-label': at === null ? i18n.t('staff.recall-parked', { number }) : i18n.t('staff.recall-parked-at', { number, counter: at }) },
    });
    back.disabled = asleep;
    back.addEventListener('click', () => act(dept, 'unpark', number));
    return el('li', {}, [back]);
  }));
  if (parked.length === 0) panel.parkedList.append(el('li', { className: 'empty', text: i18n.t('staff.parked-none') }));
  panel.list.replaceChildren(...queue.map((n) => {
    const pick = el('button', { className: 'pick', text: String(n), attrs: { type: 'button', 'aria-label': i18n.t('staff.serve-now', { number: n }) } });
    pick.disabled = !canCall;
    pick.addEventListener('click', () => act(dept, 'serve', n));
    return el('li', {}, [pick]);
  }));
  if (queue.length === 0) panel.list.append(el('li', { className: 'empty', text: i18n.t('staff.nobody-waiting') }));
}
