// The staff view's lock: first-run setup of the device's PIN, the unlock form with the wait
// after wrong PINs (a countdown, the same in every window), changing the PIN, the forgotten-PIN
// reset, and the quiet ways in (no "Staff" link for customers). It renders what StaffAccess
// (DOM-free, staff-access.js) says; the rules live there. The device's records are read
// asynchronously (IndexedDB), so the view renders from the last snapshot and reads a new one
// after every action here and every change announced by another window.
import { PIN_KEY, StaffSession, formatCountdown } from '../staff-access.js';
import { el, setText, boundTexts } from './dom.js';
import { RESET_HASH } from './page.js';

/** How long the facility name must be held to open the staff view (touch screens). */
export const HOLD_MS = 3000;

const pinInput = (id, autocomplete = 'off') => el('input', {
  attrs: { id, type: 'password', inputmode: 'numeric', autocomplete, maxlength: '12', required: '' },
});

/**
 * Mounts the lock into `root` (inside the staff view) and takes charge of showing `consoleEl`.
 * Returns { session, notices() }: notices() lists this device's lockouts and PIN changes
 * (`{ at, text, code, params }`, see staff-access.js), for every window's notice list;
 * `onNoticesChange` says when they change (in any window). `root.dataset.ready` is set once
 * the device's records have been read the first time. Every text is `i18n`'s (languages.js),
 * and follows its changes.
 */
export function mountStaffLock({
  root, view, consoleEl, lockButton, title, access, lockAfterMs, i18n,
  onUnlocked = () => {}, onLocked = () => {}, onNoticesChange = () => {}, win = window,
}) {
  // Hub mode (HubStaffAccess): the hub checks a staff account instead of this device's PIN.
  const hubMode = access.kind === 'hub';
  const doc = win.document;
  const texts = boundTexts(i18n);
  const t = (key, params) => i18n.t(key, params);
  const field = (key, input) => el('div', { className: 'field' }, [
    texts.text(el('label', { attrs: { for: input.id } }), key), input,
  ]);
  const timeOfDay = (ms) => i18n.timeWithSeconds(ms);
  /** Errors shown in the forms, as keys, so that they follow a change of language. */
  const errors = new Map(); // node -> { key, params } | { text }
  const showError = (node, message) => {
    if (message === null) errors.delete(node);
    else errors.set(node, message);
    setText(node, message === null ? '' : message.key ? t(message.key, message.params) : message.text);
  };
  /** A refusal from StaffAccess: its code's text in this language, else its English text. */
  const problemOf = (outcome) => (outcome.code ? { key: `pin.problem.${outcome.code}`, params: outcome.params } : { text: outcome.problem });
  const session = new StaffSession({ lockAfterMs, onChange: render });
  // The last snapshot of the device's records; `until` is when the running wait ends (ms).
  let snap = { state: 'loading', notices: [], until: 0 };
  let readProblem = null;

  // --- Framed by another page: no forms at all (clickjacking; SECURITY.md) ----------------
  const framed = texts.text(el('p', { className: 'message', attrs: { id: 'staff-framed' } }), 'lock.framed');

  // --- First-run setup -----------------------------------------------------------------
  const setupPin = pinInput('setup-pin', 'new-password');
  const setupRepeat = pinInput('setup-repeat', 'new-password');
  const setupError = el('p', { className: 'error', attrs: { id: 'setup-error', role: 'alert' } });
  const setupForm = el('form', { className: 'pin-form', attrs: { id: 'setup-form', novalidate: '', 'aria-labelledby': 'setup-title' } }, [
    texts.text(el('h3', { attrs: { id: 'setup-title' } }), 'lock.setup-title'),
    texts.text(el('p', { className: 'hint' }), 'lock.setup-hint'),
    field('lock.new-pin', setupPin),
    field('lock.new-pin-again', setupRepeat),
    texts.text(el('button', { attrs: { type: 'submit' } }), 'lock.setup-submit'),
    setupError,
  ]);

  // --- Unlock, and the wait after wrong PINs ---------------------------------------------
  const pin = pinInput('pin');
  const unlockButton = texts.text(el('button', { attrs: { type: 'submit' } }), 'lock.unlock');
  const unlockError = el('p', { className: 'error', attrs: { id: 'unlock-error', role: 'alert' } });
  const wait = el('p', { className: 'wait', attrs: { id: 'unlock-wait', role: 'status', tabindex: '-1' } });
  // The ticking figure is for the eye; the status above says the time once, for screen readers.
  const countdown = el('p', { className: 'countdown', attrs: { id: 'unlock-countdown', 'aria-hidden': 'true' } });
  pin.setAttribute('aria-describedby', 'unlock-wait');
  const unlockForm = el('form', { className: 'unlock', attrs: { id: 'unlock-form', novalidate: '' } }, [
    texts.text(el('label', { attrs: { for: 'pin' } }), 'lock.pin'), pin, unlockButton, unlockError, wait, countdown,
  ]);

  // --- Hub mode: staff sign in with their hub account instead of a PIN ---------------------
  const hubUser = el('input', { attrs: { id: 'hub-user', type: 'text', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: '' } });
  const hubPass = el('input', { attrs: { id: 'hub-pass', type: 'password', autocomplete: 'current-password', required: '' } });
  const hubButton = texts.text(el('button', { attrs: { type: 'submit' } }), 'lock.hub-submit');
  const hubError = el('p', { className: 'error', attrs: { id: 'hub-error', role: 'alert' } });
  const hubWait = el('p', { className: 'wait', attrs: { id: 'hub-wait', role: 'status', tabindex: '-1' } });
  const hubCountdown = el('p', { className: 'countdown', attrs: { 'aria-hidden': 'true' } });
  hubPass.setAttribute('aria-describedby', 'hub-wait');
  const hubForm = el('form', { className: 'pin-form', attrs: { id: 'hub-form', novalidate: '', 'aria-labelledby': 'hub-title' } }, [
    texts.text(el('h3', { attrs: { id: 'hub-title' } }), 'lock.hub-title'),
    texts.text(el('p', { className: 'hint' }), 'lock.hub-hint'),
    field('lock.hub-user', hubUser),
    field('lock.hub-password', hubPass),
    hubButton, hubError, hubWait, hubCountdown,
  ]);

  // --- A damaged PIN record: only the device holder's reset helps -------------------------
  const damaged = texts.text(el('p', { className: 'message', attrs: { id: 'staff-damaged' } }), 'lock.damaged');
  // --- The records cannot be read at all (storage blocked or broken) -----------------------
  const unreadable = el('p', { className: 'message', attrs: { id: 'staff-unreadable', role: 'alert' } });

  // --- The forgotten-PIN reset (RESET_HASH) ------------------------------------------------
  const resetPin = pinInput('reset-pin', 'new-password');
  const resetRepeat = pinInput('reset-repeat', 'new-password');
  const resetError = el('p', { className: 'error', attrs: { id: 'reset-error', role: 'alert' } });
  const resetCancel = texts.text(el('button', { className: 'secondary', attrs: { type: 'button' } }), 'common.cancel');
  const resetForm = el('form', { className: 'pin-form', attrs: { id: 'reset-form', novalidate: '', 'aria-labelledby': 'reset-title' } }, [
    texts.text(el('h3', { attrs: { id: 'reset-title' } }), 'lock.reset-title'),
    texts.text(el('p', { className: 'hint' }), 'lock.reset-hint'),
    field('lock.new-pin', resetPin),
    field('lock.new-pin-again', resetRepeat),
    el('div', { className: 'form-actions' }, [
      texts.text(el('button', { className: 'danger', attrs: { type: 'submit' } }), 'lock.reset-submit'),
      resetCancel,
    ]),
    resetError,
  ]);

  const panels = [framed, setupForm, unlockForm, hubForm, damaged, unreadable, resetForm];
  root.replaceChildren(...panels);

  // --- Change PIN (in the open console) ----------------------------------------------------
  const changeButton = texts.text(el('button', { className: 'secondary', attrs: { type: 'button', id: 'change-pin' } }), 'lock.change-open');
  const changed = el('p', { className: 'console-status', attrs: { id: 'pin-changed', role: 'status' } });
  const actions = el('div', { className: 'console-actions' });
  lockButton.replaceWith(actions);
  actions.append(changeButton, lockButton);
  actions.closest('.console-bar')?.after(changed);
  const changeCurrent = pinInput('change-current', 'current-password');
  const changePin = pinInput('change-new', 'new-password');
  const changeRepeat = pinInput('change-repeat', 'new-password');
  const changeError = el('p', { className: 'error', attrs: { id: 'change-error', role: 'alert' } });
  const changeCancel = texts.text(el('button', { className: 'secondary', attrs: { type: 'button' } }), 'common.cancel');
  const changeForm = el('form', { className: 'pin-form', attrs: { novalidate: '' } }, [
    field('lock.current-pin', changeCurrent),
    field('lock.new-pin', changePin),
    field('lock.new-pin-again', changeRepeat),
    el('div', { className: 'dialog-actions' }, [changeCancel, texts.text(el('button', { attrs: { type: 'submit' } }), 'lock.change-submit')]),
    changeError,
  ]);
  const changeDialog = el('dialog', { attrs: { id: 'change-pin-dialog', 'aria-labelledby': 'change-title' } }, [
    texts.text(el('h2', { attrs: { id: 'change-title' } }), 'lock.change-title'),
    changeForm,
  ]);
  doc.body.append(changeDialog);

  // --- Behaviour ---------------------------------------------------------------------------
  let ticker = null;
  let wasUnlocked = false;
  let changedShown = false; // "The staff PIN was changed." is on screen
  let busy = false; // one check at a time per window (the lockout serialises across windows)

  const isFramed = () => win.self !== win.top;
  const clear = (...inputs) => { for (const input of inputs) input.value = ''; };

  /** Reads the device's records again, then renders; the newest read wins. */
  let reads = 0;
  async function refresh() {
    const read = ++reads;
    let next;
    let problem = null;
    try {
      const { state, lockout, notices } = await access.snapshot();
      next = { state, notices, until: Date.now() + lockout.remainingMs };
    } catch (error) {
      next = { state: 'unreadable', notices: [], until: 0 };
      problem = { key: 'lock.unreadable', params: { error: error.message } };
    }
    if (read !== reads) return;
    snap = next;
    readProblem = problem;
    root.dataset.ready = 'true';
    render();
    onNoticesChange();
  }

  function render() {
    const resetting = win.location.hash === RESET_HASH && !hubMode;
    const { state } = snap;
    const shown = isFramed() ? framed
      : resetting ? resetForm
        : session.unlocked ? null
          : state === 'hub' ? hubForm
          : state === 'set' ? unlockForm
            : state === 'unset' ? setupForm
              : state === 'damaged' ? damaged
                : state === 'unreadable' ? unreadable
                  : 'loading';
    for (const panel of panels) panel.hidden = panel !== shown;
    consoleEl.hidden = shown !== null;
    setText(unreadable, readProblem === null ? '' : t(readProblem.key, readProblem.params));
    if (shown !== null && changeDialog.open) changeDialog.close();
    if (!session.unlocked) {
      changedShown = false;
      setText(changed, '');
    }
    changeButton.hidden = hubMode; // the hub's passwords are changed in its configuration
    if (wasUnlocked && !session.unlocked) onLocked();
    wasUnlocked = session.unlocked;
    if (hubMode) renderHubWait(shown === hubForm);
    else renderWait(shown === unlockForm);
  }

  function renderHubWait(showing) {
    const remainingMs = Math.max(0, snap.until - Date.now());
    const waiting = showing && remainingMs > 0;
    hubUser.disabled = waiting;
    hubPass.disabled = waiting;
    hubButton.disabled = waiting || busy;
    hubWait.hidden = !waiting;
    hubCountdown.hidden = !waiting;
    if (waiting) {
      setText(hubWait, t('lock.wait', { time: timeOfDay(snap.until) }));
      setText(hubCountdown, t('lock.countdown', { time: formatCountdown(remainingMs) }));
      ticker ??= win.setInterval(() => renderHubWait(!hubForm.hidden), 1000);
    } else if (ticker !== null) {
      win.clearInterval(ticker);
      ticker = null;
      refresh();
    }
  }

  function renderWait(showing) {
    const remainingMs = Math.max(0, snap.until - Date.now());
    const waiting = showing && remainingMs > 0;
    pin.disabled = waiting;
    unlockButton.disabled = waiting || busy;
    wait.hidden = !waiting;
    countdown.hidden = !waiting;
    if (waiting) {
      setText(wait, t('lock.wait', { time: timeOfDay(snap.until) }));
      setText(countdown, t('lock.countdown', { time: formatCountdown(remainingMs) }));
      if (doc.activeElement === pin || doc.activeElement === doc.body) wait.focus();
      ticker ??= win.setInterval(() => renderWait(!unlockForm.hidden), 1000);
    } else {
      setText(wait, '');
      if (ticker !== null) {
        win.clearInterval(ticker);
        ticker = null;
        if (showing && doc.activeElement === wait) pin.focus();
        refresh(); // the wait is over here: read what the other windows did meanwhile
      }
    }
  }

  /** Runs one check with the forms marked busy; errors end up in `errorNode`. */
  async function guarded(errorNode, task) {
    if (busy) return;
    busy = true;
    unlockButton.disabled = true;
    hubButton.disabled = true;
    try {
      await task();
    } catch (problem) {
      showError(errorNode, { text: problem.message });
    } finally {
      busy = false;
      await refresh();
    }
  }

  /** A PIN was accepted or set: open the console. The device has a PIN now, whatever the last
   * snapshot said, so locking before the next read lands shows the unlock form, not setup. */
  function opened(outcome = {}) {
    if (!hubMode) snap = { ...snap, state: 'set' };
    session.open();
    wasUnlocked = true;
    onUnlocked(outcome);
  }

  setupForm.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(setupError, async () => {
      const outcome = await access.setUp(setupPin.value, setupRepeat.value);
      clear(setupPin, setupRepeat);
      showError(setupError, outcome.ok ? null : problemOf(outcome));
      if (outcome.ok) opened();
      else setupPin.focus();
    });
  });

  unlockForm.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(unlockError, async () => {
      const outcome = await access.unlock(pin.value);
      clear(pin);
      if (outcome.ok) {
        showError(unlockError, null);
        opened();
        return;
      }
      showError(unlockError, !outcome.wrong ? null
        : outcome.remainingMs > 0 ? { key: 'lock.wrong' }
          : { key: 'lock.wrong-tries', params: { count: outcome.attemptsBeforeWait } });
      if (outcome.remainingMs === 0) pin.focus();
    });
  });

  hubForm.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(hubError, async () => {
      let outcome;
      try {
        outcome = await access.unlock({ user: hubUser.value.trim(), pass: hubPass.value });
      } catch (error) {
        // The hub is out of reach: nobody guessed anything, so nothing is counted.
        if (error?.name === 'LockoutError') throw error;
        clear(hubPass);
        showError(hubError, { key: 'lock.hub-unreachable' });
        return;
      }
      clear(hubPass);
      if (outcome.ok) {
        clear(hubUser);
        showError(hubError, null);
        opened(outcome);
        return;
      }
      showError(hubError, !outcome.wrong ? null
        : outcome.remainingMs > 0 ? { key: 'lock.hub-wrong' }
          : { key: 'lock.hub-wrong-tries', params: { count: outcome.attemptsBeforeWait } });
      if (outcome.remainingMs === 0) hubPass.focus();
    });
  });

  resetForm.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(resetError, async () => {
      if (isFramed()) return;
      const outcome = await access.reset(resetPin.value, resetRepeat.value);
      clear(resetPin, resetRepeat);
      showError(resetError, outcome.ok ? null : problemOf(outcome));
      if (!outcome.ok) {
        resetPin.focus();
        return;
      }
      win.location.replace('#staff'); // the reset address does not stay in the history
      opened();
    });
  });
  resetCancel.addEventListener('click', () => win.location.replace('#staff'));

  changeButton.addEventListener('click', () => {
    clear(changeCurrent, changePin, changeRepeat);
    showError(changeError, null);
    changeDialog.showModal();
  });
  changeCancel.addEventListener('click', () => changeDialog.close());
  changeForm.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(changeError, async () => {
      const outcome = await access.change(changeCurrent.value, changePin.value, changeRepeat.value);
      clear(changeCurrent, changePin, changeRepeat);
      if (outcome.ok) {
        changeDialog.close();
        changedShown = true;
        setText(changed, t('lock.changed'));
        return;
      }
      if (outcome.problem) showError(changeError, problemOf(outcome));
      else if (outcome.remainingMs > 0) {
        // Fumbling the current PIN into a wait on an open console closes the console too.
        changeDialog.close();
        session.lock();
        return;
      } else showError(changeError, { key: 'lock.not-current', params: { count: outcome.attemptsBeforeWait } });
      changeCurrent.focus();
    });
  });

  lockButton.addEventListener('click', () => session.lock());
  // Staff activity keeps the console open: in the staff view, and in the dialog (outside it).
  for (const target of [view, changeDialog]) {
    for (const type of ['pointerdown', 'keydown']) target.addEventListener(type, () => session.activity(), { passive: true });
  }

  // Another window changed the PIN or the count of wrong attempts. A new PIN (a change or a
  // reset elsewhere) also closes consoles opened with the old one.
  access.subscribe((key) => {
    if (key === PIN_KEY) session.lock();
    refresh();
  });
  win.addEventListener('hashchange', render);

  // --- The quiet ways in: Ctrl+Alt+S, or holding the facility name -------------------------
  const openStaff = () => { if (win.location.hash !== '#staff') win.location.hash = '#staff'; };
  doc.addEventListener('keydown', (event) => {
    // event.code, not key: with Ctrl+Alt (AltGr on many layouts) `key` may be another letter.
    if (event.ctrlKey && event.altKey && !event.shiftKey && !event.metaKey && event.code === 'KeyS') {
      event.preventDefault();
      openStaff();
    }
  });
  let hold = null;
  const release = () => { win.clearTimeout(hold); hold = null; };
  title.addEventListener('pointerdown', (event) => {
    if (!event.isPrimary) return;
    release();
    hold = win.setTimeout(openStaff, HOLD_MS);
  });
  for (const type of ['pointerup', 'pointercancel', 'pointerleave']) title.addEventListener(type, release);
  title.addEventListener('contextmenu', (event) => event.preventDefault()); // a touch hold opens no menu

  i18n.subscribe(() => {
    texts.apply();
    for (const [node, message] of errors) showError(node, message);
    if (changedShown) setText(changed, t('lock.changed'));
    render();
  });

  render();
  refresh();
  return { session, notices: () => snap.notices };
}
