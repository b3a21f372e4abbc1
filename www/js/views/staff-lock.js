// The staff view's lock: first-run setup of the device's PIN, the form that opens the console
// (the PIN, or the staff's hub account: views/credential-form.js) with the wait after wrong
// answers, and the forgotten-PIN reset. It renders what StaffAccess (DOM-free, staff-access.js)
// says; the rules live there. The device's records are read asynchronously (IndexedDB), so the
// lock renders from the last snapshot and reads a new one after every action here and every
// change announced by another window.
import { PIN_KEY } from '../staff/staff-access.js';
import { RESET_HASH } from '../model/route.js';
import { el, boundTexts } from './dom.js';
import { liveTexts } from './live-texts.js';
import { credentialForm } from './credential-form.js';

/** A PIN field. */
export const pinInput = (id, autocomplete = 'off') => el('input', {
  attrs: { id, type: 'password', inputmode: 'numeric', autocomplete, maxlength: '12', required: '' },
});

/** `<div class="field"><label>key</label>input</div>`, its label's text bound through `texts`. */
export const field = (texts, key, input) => el('div', { className: 'field' }, [
  texts.text(el('label', { attrs: { for: input.id } }), key), input,
]);

/** A form that asks for a new PIN twice: first-run setup (`setup`) and the reset (`reset`). */
function newPinForm(texts, name, [title, hint], actions) {
  const pin = pinInput(`${name}-pin`, 'new-password');
  const repeat = pinInput(`${name}-repeat`, 'new-password');
  const error = el('p', { className: 'error', attrs: { id: `${name}-error`, role: 'alert' } });
  const form = el('form', { className: 'pin-form', attrs: { id: `${name}-form`, novalidate: '', 'aria-labelledby': `${name}-title` } }, [
    texts.text(el('h3', { attrs: { id: `${name}-title` } }), title),
    texts.text(el('p', { className: 'hint' }), hint),
    field(texts, 'lock.new-pin', pin),
    field(texts, 'lock.new-pin-again', repeat),
    actions,
    error,
  ]);
  return { form, pin, repeat, error };
}

/** Every panel the lock may show instead of the console; one at a time. */
function lockPanels(texts, credential) {
  const setup = newPinForm(texts, 'setup', ['lock.setup-title', 'lock.setup-hint'], texts.text(el('button', { attrs: { type: 'submit' } }), 'lock.setup-submit'));
  const cancel = texts.text(el('button', { className: 'secondary', attrs: { type: 'button' } }), 'common.cancel');
  const reset = newPinForm(texts, 'reset', ['lock.reset-title', 'lock.reset-hint'], el('div', { className: 'form-actions' }, [
    texts.text(el('button', { className: 'danger', attrs: { type: 'submit' } }), 'lock.reset-submit'), cancel,
  ]));
  return {
    // Framed by another page: no forms at all (clickjacking; SECURITY.md).
    framed: texts.text(el('p', { className: 'message', attrs: { id: 'staff-framed' } }), 'lock.framed'),
    setup,
    credential,
    // A damaged PIN record: only the device holder's reset helps.
    damaged: texts.text(el('p', { className: 'message', attrs: { id: 'staff-damaged' } }), 'lock.damaged'),
    // The records cannot be read at all (storage blocked or broken).
    unreadable: el('p', { className: 'message', attrs: { id: 'staff-unreadable', role: 'alert' } }),
    reset: { ...reset, cancel },
  };
}

/**
 * Mounts the lock into `root` (#staff-lock). `session` (StaffSession) says whether the console
 * is open; `onRender(open)` runs after each render, `open` when the console is to be shown.
 * Returns { render(), guarded(task, showProblem), notices() }: notices() lists this device's
 * lockouts and PIN changes (`{ at, text, code, params }`, see staff-access.js) and
 * `onNoticesChange` says when they change (in any window). `root.dataset.ready` is set once the
 * device's records have been read the first time.
 */
export function mountStaffLock({
  root, access, session, i18n, onUnlocked = () => {}, onLocked = () => {}, onRender = () => {}, onNoticesChange = () => {}, win = window,
}) {
  const hubMode = access.kind === 'hub'; // HubStaffAccess: the hub checks a staff account instead of a PIN
  const texts = boundTexts(i18n);
  const messages = liveTexts(i18n);
  const credential = credentialForm({ kind: hubMode ? 'hub' : 'pin', texts, i18n, win, onWaitOver: () => refresh() });
  const panels = lockPanels(texts, credential);
  const all = ['framed', 'setup', 'credential', 'damaged', 'unreadable', 'reset'].map((name) => panels[name].form ?? panels[name]);
  root.replaceChildren(...all);

  // The last snapshot of the device's records; `until` is when the running wait ends (ms).
  let snap = { state: 'loading', notices: [], until: 0 };
  let wasUnlocked = false;
  let busy = false; // one check at a time per window (the lockout serialises across windows)

  /** Reads the device's records again, then renders; the newest read wins. */
  let reads = 0;
  async function refresh() {
    const read = ++reads;
    const next = await readRecords(access);
    if (read !== reads) return;
    snap = next.snap;
    messages.show(panels.unreadable, next.problem);
    root.dataset.ready = 'true';
    render();
    onNoticesChange();
  }

  function render() {
    const shown = shownPanel({ win, hubMode, unlocked: session.unlocked, state: snap.state, panels });
    for (const panel of all) panel.hidden = panel !== shown;
    onRender(shown === null);
    if (wasUnlocked && !session.unlocked) onLocked();
    wasUnlocked = session.unlocked;
    credential.render({ showing: shown === credential.form, until: snap.until, busy });
  }

  /** Runs one check with the forms marked busy; `showProblem(message)` shows what went wrong. */
  async function guarded(task, showProblem) {
    if (busy) return;
    busy = true;
    credential.hold();
    try {
      await task();
    } catch (problem) {
      showProblem({ text: problem.message });
    } finally {
      busy = false;
      await refresh();
    }
  }

  /** Opens the console. The device has a PIN now: locking before the next read shows the unlock form, not setup. */
  function opened(outcome = {}) {
    if (!hubMode) snap = { ...snap, state: 'set' };
    session.open();
    wasUnlocked = true;
    onUnlocked(outcome);
  }

  wireForms({ access, hubMode, panels, messages, opened, guarded, win });

  // Another window changed the PIN or the count of wrong attempts. A new PIN (a change or a
  // reset elsewhere) also closes consoles opened with the old one.
  access.subscribe((key) => {
    if (key === PIN_KEY) session.lock();
    refresh();
  });
  win.addEventListener('hashchange', render);
  i18n.subscribe(() => {
    texts.apply();
    messages.apply();
    render();
  });

  render();
  refresh();
  return { render, guarded, notices: () => snap.notices };
}

/** A refusal from StaffAccess: its code's text in this language, else its English text. */
export const problemOf = (outcome) => (outcome.code ? { key: `pin.problem.${outcome.code}`, params: outcome.params } : { text: outcome.problem });

const clear = (...inputs) => { for (const input of inputs) input.value = ''; };

/** A fresh snapshot of the device's records: `{ snap, problem }` (why they could not be read, or null). */
async function readRecords(access) {
  try {
    const { state, lockout, notices } = await access.snapshot();
    return { snap: { state, notices, until: Date.now() + lockout.remainingMs }, problem: null };
  } catch (error) {
    return { snap: { state: 'unreadable', notices: [], until: 0 }, problem: { key: 'lock.unreadable', params: { error: error.message } } };
  }
}

/** The panel the lock shows: a form or a message, null for the open console, or 'loading'. */
function shownPanel({ win, hubMode, unlocked, state, panels: { framed, setup, credential, damaged, unreadable, reset } }) {
  if (win.self !== win.top) return framed;
  if (win.location.hash === RESET_HASH && !hubMode) return reset.form;
  if (unlocked) return null;
  return { hub: credential.form, set: credential.form, unset: setup.form, damaged, unreadable }[state] ?? 'loading';
}

/**
 * What submitting each of the lock's forms does, one check at a time (`guarded`); its problems
 * are shown in the form. `opened(outcome)` opens the console.
 */
function wireForms({ access, hubMode, panels, messages, opened, guarded, win }) {
  const handlers = submitHandlers({ access, hubMode, panels, messages, opened, win });
  for (const [name, handler] of Object.entries(handlers)) {
    const { form, error } = panels[name];
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      guarded(handler, (message) => messages.show(error, message));
    });
  }
  panels.reset.cancel.addEventListener('click', () => win.location.replace('#staff'));
}

function submitHandlers({ access, hubMode, panels: { setup, credential, reset }, messages, opened, win }) {
  return {
    async setup() {
      const outcome = await access.setUp(setup.pin.value, setup.repeat.value);
      clear(setup.pin, setup.repeat);
      messages.show(setup.error, outcome.ok ? null : problemOf(outcome));
      if (outcome.ok) opened();
      else setup.pin.focus();
    },
    async credential() {
      let outcome;
      try {
        outcome = await access.unlock(credential.value());
      } catch (error) {
        // The hub is out of reach: nobody guessed anything, so nothing is counted.
        if (!hubMode || error?.name === 'LockoutError') throw error;
        credential.clear();
        messages.show(credential.error, { key: 'lock.hub-unreachable' });
        return;
      }
      credential.clear({ all: outcome.ok });
      messages.show(credential.error, outcome.ok ? null : credential.refusal(outcome));
      if (outcome.ok) opened(outcome);
      else if (outcome.remainingMs === 0) credential.focus();
    },
    async reset() {
      if (win.self !== win.top) return;
      const outcome = await access.reset(reset.pin.value, reset.repeat.value);
      clear(reset.pin, reset.repeat);
      messages.show(reset.error, outcome.ok ? null : problemOf(outcome));
      if (!outcome.ok) {
        reset.pin.focus();
        return;
      }
      win.location.replace('#staff'); // the reset address does not stay in the history
      opened();
    },
  };
}
