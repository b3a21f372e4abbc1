// The staff console's counters page: a panel per department to call numbers (to this device's
// counter, in departments with counters), call the current one again, mark a no-show, serve a
// waiting number first, and reset the queue; the staff notices; the console's sound switch.
// The lock in front of it is views/staff-lock.js; the day's figures are views/figures.js.
import { el, paint, setText, boundTexts } from './dom.js';

/**
 * @param root      the console (#console): its bar's sound switch and its counters page
 * @param departments, i18n, textColourOn: as for the other views; it renders each department
 *                  on its changes
 * @param settings  DeviceSettings (device-settings.js): this device's counter per department
 * @param sound     this view's sound switch: { on(), set(on), blocked(), subscribe(listener) }
 * @param notices   () => the staff notices, oldest first: [{ at, text }] (texts already in the
 *                  window's language)
 * Returns { renderNotices() }: call it when the notices change.
 */
export function mountConsole({ root, departments, i18n, settings, sound, notices, textColourOn }) {
  const $ = (id) => root.querySelector(`#${id}`);
  const texts = boundTexts(i18n);
  const panels = new Map();

  for (const dept of departments) {
    const { id, colour, counters } = dept.config;
    const name = el('h3', { attrs: { id: `staff-name-${id}` } });
    const serving = el('p', { className: 'staff-serving' });
    const serveNext = texts.text(el('button', { attrs: { type: 'button', 'data-action': 'serve' } }), 'staff.serve-next');
    const recall = texts.text(el('button', { className: 'secondary', attrs: { type: 'button', 'data-action': 'recall' } }), 'staff.recall');
    const noShow = texts.text(el('button', { className: 'secondary', attrs: { type: 'button', 'data-action': 'no-show' } }), 'staff.no-show');
    const reset = texts.text(el('button', { className: 'danger', attrs: { type: 'button', 'data-action': 'reset' } }), 'staff.reset');
    const list = el('ul', { className: 'waiting-list' });
    texts.attr(list, 'aria-label', 'staff.waiting-label', () => ({ department: i18n.text(dept.config.names) }));
    const result = el('p', { className: 'staff-result', attrs: { role: 'status' } });
    const children = [name];

    let choice = null;
    let hint = null;
    if (counters.length > 0) {
      // This device's counter: remembered, and asked for until chosen (so that two desks never
      // both call "counter 1" by default).
      choice = el('select', { attrs: { id: `counter-${id}` } });
      hint = el('p', { className: 'counter-hint', attrs: { id: `counter-hint-${id}` } });
      choice.setAttribute('aria-describedby', hint.id);
      choice.addEventListener('change', () => {
        settings.chooseCounter(dept.config, choice.value === '' ? null : choice.value);
        show(id, null);
        render(id);
      });
      children.push(el('div', { className: 'counter-choice' }, [
        texts.text(el('label', { attrs: { for: choice.id } }), 'staff.your-counter'),
        choice,
      ]), hint);
    }
    children.push(
      serving,
      el('div', { className: 'staff-actions' }, [serveNext, recall, noShow, reset]),
      result,
      texts.text(el('h4'), 'staff.waiting-title'),
      list,
    );
    const panel = el('section', { className: 'staff-panel', attrs: { 'aria-labelledby': `staff-name-${id}`, 'data-department': id } }, children);
    paint(panel, colour, textColourOn(colour));
    serveNext.addEventListener('click', () => act(dept, 'serve'));
    recall.addEventListener('click', () => act(dept, 'recall'));
    noShow.addEventListener('click', () => act(dept, 'no-show'));
    reset.addEventListener('click', () => confirmReset(dept));
    $('staff-departments').append(panel);
    panels.set(id, { name, serving, list, result, choice, hint, serveNext, recall, noShow, shown: null });
  }

  /** This window's counter in `dept`: null without counters; undefined while none is chosen. */
  function counterOf(dept) {
    if (dept.config.counters.length === 0) return null;
    return settings.counter(dept.config) ?? undefined;
  }

  /**
   * The result line: a key and its params, so that it follows a change of language. Set even
   * when the words are the same as before, so that the status is announced again (a second
   * "Nobody is waiting." is news too).
   */
  function show(id, key, params = {}) {
    const panel = panels.get(id);
    panel.shown = key === null ? null : { key, params };
    panel.result.textContent = key === null ? '' : i18n.t(key, params);
  }

  async function act(dept, action, priority) {
    const { id } = dept.config;
    const counter = counterOf(dept);
    if (counter === undefined) {
      show(id, 'staff.choose-counter-first');
      return;
    }
    try {
      if (action === 'serve') {
        const outcome = await dept.serve(priority, counter);
        if (outcome.empty) show(id, 'staff.nobody-waiting');
        else if (outcome.notFound) show(id, 'staff.not-waiting', { number: priority });
        else if (counter === null) show(id, 'staff.serving', { number: outcome.number });
        else show(id, 'staff.serving-at', { number: outcome.number, counter });
      } else {
        const outcome = action === 'recall' ? await dept.recall(counter) : await dept.noShow(counter);
        if (outcome.nobody) show(id, 'staff.nobody-called');
        else show(id, action === 'recall' ? 'staff.recalled' : 'staff.no-show-done', { number: outcome.number });
      }
    } catch (error) {
      show(id, error.code === 'forbidden' ? 'staff.forbidden' : 'staff.failed', { code: error.code ?? error.message });
    }
  }

  // --- Reset, with a confirmation ------------------------------------------------------
  const dialog = $('confirm-reset');
  let resetTarget = null;
  function confirmReset(dept) {
    resetTarget = dept;
    $('confirm-text').textContent = i18n.t('reset.text', { department: i18n.text(dept.config.names), min: dept.config.minNumber });
    dialog.showModal();
  }
  dialog.addEventListener('close', async () => {
    const dept = resetTarget;
    resetTarget = null;
    if (dialog.returnValue !== 'reset' || !dept) return;
    try {
      await dept.reset();
      show(dept.config.id, 'staff.reset-done');
    } catch (error) {
      show(dept.config.id, error.code === 'forbidden' ? 'staff.forbidden' : 'staff.reset-failed', { code: error.code ?? error.message });
    }
  });

  // --- Sound -------------------------------------------------------------------------
  const soundBox = $('sound-toggle');
  const soundHint = el('p', { className: 'sound-hint', attrs: { id: 'staff-sound-hint' } });
  soundBox.setAttribute('aria-describedby', soundHint.id);
  soundBox.closest('.toggle').after(soundHint);
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
  function render(id) {
    const dept = departments.find((d) => d.config.id === id);
    const { queue, nowServing, asleep, known } = dept.view();
    const panel = panels.get(id);
    const counter = counterOf(dept);
    setText(panel.name, i18n.text(dept.config.names));

    if (panel.choice) {
      const options = [el('option', { text: i18n.t('staff.choose-counter'), attrs: { value: '' } }),
        ...dept.config.counters.map((c) => el('option', { text: i18n.t('counter.name', { counter: c }), attrs: { value: c } }))];
      const value = counter ?? '';
      if (panel.choice.options.length !== options.length || [...panel.choice.options].some((o, i) => o.text !== options[i].text)) {
        panel.choice.replaceChildren(...options);
      }
      panel.choice.value = value;
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

  function renderNotices() {
    const all = notices();
    $('notices').replaceChildren(...(all.length === 0
      ? [el('li', { text: i18n.t('notices.none') })]
      : all.map(({ at, text }) => el('li', { text: `${i18n.timeWithSeconds(at)}: ${text}` }))));
  }

  i18n.subscribe(() => {
    texts.apply();
    renderSound();
    for (const [id, panel] of panels) {
      if (panel.shown) setText(panel.result, i18n.t(panel.shown.key, panel.shown.params));
      render(id);
    }
    renderNotices();
  });
  for (const dept of departments) {
    dept.subscribe(() => {
      render(dept.config.id);
      renderNotices();
    });
    render(dept.config.id);
  }
  sound.subscribe(renderSound);
  renderSound();

  return { renderNotices };
}
