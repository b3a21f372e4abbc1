// The staff view's lock: first-run setup of the device's PIN, the unlock form with the wait
// after wrong PINs (a countdown, the same in every window), changing the PIN, the forgotten-PIN
// reset, and the quiet ways in (no "Staff" link for customers). It renders what StaffAccess
// (DOM-free, staff-access.js) says; the rules live there. The device's records are read
// asynchronously (IndexedDB), so the view renders from the last snapshot and reads a new one
// after every action here and every change announced by another window.
import { PIN_KEY, StaffSession, formatCountdown } from '../staff-access.js';
import { el, setText } from './dom.js';

/** The forgotten-PIN reset's address. Nothing links to it: see SECURITY.md. */
export const RESET_HASH = '#reset-staff-pin';
/** How long the facility name must be held to open the staff view (touch screens). */
export const HOLD_MS = 3000;

const pinInput = (id, autocomplete = 'off') => el('input', {
  attrs: { id, type: 'password', inputmode: 'numeric', autocomplete, maxlength: '12', required: '' },
});
const field = (label, input) => el('div', { className: 'field' }, [
  el('label', { text: label, attrs: { for: input.id } }), input,
]);
const timeOfDay = (ms) => new Date(ms).toLocaleTimeString();
const tries = (n) => `${n} more ${n === 1 ? 'try' : 'tries'}`;

/**
 * Mounts the lock into `root` (inside the staff view) and takes charge of showing `consoleEl`.
 * Returns { session, notices() }: notices() lists this device's lockouts and PIN changes, for
 * every window's notice list; `onNoticesChange` says when they change (in any window).
 * `root.dataset.ready` is set once the device's records have been read the first time.
 */
export function mountStaffLock({
  root, view, consoleEl, lockButton, title, access, lockAfterMs,
  onUnlocked = () => {}, onNoticesChange = () => {}, win = window,
}) {
  const doc = win.document;
  const session = new StaffSession({ lockAfterMs, onChange: render });
  // The last snapshot of the device's records; `until` is when the running wait ends (ms).
  let snap = { state: 'loading', notices: [], until: 0 };
  let readProblem = null;

  // --- Framed by another page: no forms at all (clickjacking; SECURITY.md) ----------------
  const framed = el('p', {
    className: 'message',
    text: 'The staff console works only when this page is opened on its own, not inside another page.',
    attrs: { id: 'staff-framed' },
  });

  // --- First-run setup -----------------------------------------------------------------
  const setupPin = pinInput('setup-pin', 'new-password');
  const setupRepeat = pinInput('setup-repeat', 'new-password');
  const setupError = el('p', { className: 'error', attrs: { id: 'setup-error', role: 'alert' } });
  const setupForm = el('form', { className: 'pin-form', attrs: { id: 'setup-form', novalidate: '', 'aria-labelledby': 'setup-title' } }, [
    el('h3', { text: 'Set up the staff PIN for this device', attrs: { id: 'setup-title' } }),
    el('p', { className: 'hint', text: 'Choose 6 to 12 digits that are hard to guess. The PIN stays in this browser only, so set one on every device that staff use.' }),
    field('New PIN', setupPin),
    field('New PIN again', setupRepeat),
    el('button', { text: 'Save PIN and open the console', attrs: { type: 'submit' } }),
    setupError,
  ]);

  // --- Unlock, and the wait after wrong PINs ---------------------------------------------
  const pin = pinInput('pin');
  const unlockButton = el('button', { text: 'Unlock', attrs: { type: 'submit' } });
  const unlockError = el('p', { className: 'error', attrs: { id: 'unlock-error', role: 'alert' } });
  const wait = el('p', { className: 'wait', attrs: { id: 'unlock-wait', role: 'status', tabindex: '-1' } });
  // The ticking figure is for the eye; the status above says the time once, for screen readers.
  const countdown = el('p', { className: 'countdown', attrs: { id: 'unlock-countdown', 'aria-hidden': 'true' } });
  pin.setAttribute('aria-describedby', 'unlock-wait');
  const unlockForm = el('form', { className: 'unlock', attrs: { id: 'unlock-form', novalidate: '' } }, [
    el('label', { text: 'Staff PIN', attrs: { for: 'pin' } }), pin, unlockButton, unlockError, wait, countdown,
  ]);

  // --- A damaged PIN record: only the device holder's reset helps -------------------------
  const damaged = el('p', {
    className: 'message',
    text: 'The staff PIN saved in this browser is damaged, so the console stays locked. The person who looks after this kiosk can reset it (see the README).',
    attrs: { id: 'staff-damaged' },
  });
  // --- The records cannot be read at all (storage blocked or broken) -----------------------
  const unreadable = el('p', { className: 'message', attrs: { id: 'staff-unreadable', role: 'alert' } });

  // --- The forgotten-PIN reset (RESET_HASH) ------------------------------------------------
  const resetPin = pinInput('reset-pin', 'new-password');
  const resetRepeat = pinInput('reset-repeat', 'new-password');
  const resetError = el('p', { className: 'error', attrs: { id: 'reset-error', role: 'alert' } });
  const resetCancel = el('button', { className: 'secondary', text: 'Cancel', attrs: { type: 'button' } });
  const resetForm = el('form', { className: 'pin-form', attrs: { id: 'reset-form', novalidate: '', 'aria-labelledby': 'reset-title' } }, [
    el('h3', { text: 'Reset the staff PIN of this device', attrs: { id: 'reset-title' } }),
    el('p', { className: 'hint', text: 'This replaces the staff PIN saved in this browser and ends any wait after wrong PINs. Waiting tickets are kept. Other devices keep their own PINs.' }),
    field('New PIN', resetPin),
    field('New PIN again', resetRepeat),
    el('div', { className: 'form-actions' }, [
      el('button', { className: 'danger', text: 'Reset PIN and open the console', attrs: { type: 'submit' } }),
      resetCancel,
    ]),
    resetError,
  ]);

  const panels = [framed, setupForm, unlockForm, damaged, unreadable, resetForm];
  root.replaceChildren(...panels);

  // --- Change PIN (in the open console) ----------------------------------------------------
  const changeButton = el('button', { className: 'secondary', text: 'Change PIN…', attrs: { type: 'button', id: 'change-pin' } });
  const changed = el('p', { className: 'console-status', attrs: { id: 'pin-changed', role: 'status' } });
  const actions = el('div', { className: 'console-actions' });
  lockButton.replaceWith(actions);
  actions.append(changeButton, lockButton);
  actions.closest('.console-bar')?.after(changed);
  const changeCurrent = pinInput('change-current', 'current-password');
  const changePin = pinInput('change-new', 'new-password');
  const changeRepeat = pinInput('change-repeat', 'new-password');
  const changeError = el('p', { className: 'error', attrs: { id: 'change-error', role: 'alert' } });
  const changeCancel = el('button', { className: 'secondary', text: 'Cancel', attrs: { type: 'button' } });
  const changeForm = el('form', { className: 'pin-form', attrs: { novalidate: '' } }, [
    field('Current PIN', changeCurrent),
    field('New PIN', changePin),
    field('New PIN again', changeRepeat),
    el('div', { className: 'dialog-actions' }, [changeCancel, el('button', { text: 'Change PIN', attrs: { type: 'submit' } })]),
    changeError,
  ]);
  const changeDialog = el('dialog', { attrs: { id: 'change-pin-dialog', 'aria-labelledby': 'change-title' } }, [
    el('h2', { text: 'Change the staff PIN', attrs: { id: 'change-title' } }),
    changeForm,
  ]);
  doc.body.append(changeDialog);

  // --- Behaviour ---------------------------------------------------------------------------
  let ticker = null;
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
      problem = `This browser cannot read the staff settings (${error.message}). The console stays locked.`;
    }
    if (read !== reads) return;
    snap = next;
    readProblem = problem;
    root.dataset.ready = 'true';
    render();
    onNoticesChange();
  }

  function render() {
    const resetting = win.location.hash === RESET_HASH;
    const { state } = snap;
    const shown = isFramed() ? framed
      : resetting ? resetForm
        : session.unlocked ? null
          : state === 'set' ? unlockForm
            : state === 'unset' ? setupForm
              : state === 'damaged' ? damaged
                : state === 'unreadable' ? unreadable
                  : 'loading';
    for (const panel of panels) panel.hidden = panel !== shown;
    consoleEl.hidden = shown !== null;
    setText(unreadable, readProblem ?? '');
    if (shown !== null && changeDialog.open) changeDialog.close();
    if (!session.unlocked) setText(changed, '');
    renderWait(shown === unlockForm);
  }

  function renderWait(showing) {
    const remainingMs = Math.max(0, snap.until - Date.now());
    const waiting = showing && remainingMs > 0;
    pin.disabled = waiting;
    unlockButton.disabled = waiting || busy;
    wait.hidden = !waiting;
    countdown.hidden = !waiting;
    if (waiting) {
      setText(wait, `Too many wrong PINs. The PIN can be tried again at ${timeOfDay(snap.until)}.`);
      setText(countdown, `Try again in ${formatCountdown(remainingMs)}`);
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
    try {
      await task();
    } catch (problem) {
      errorNode.textContent = problem.message;
    } finally {
      busy = false;
      await refresh();
    }
  }

  /** A PIN was accepted or set: open the console. The device has a PIN now, whatever the last
   * snapshot said, so locking before the next read lands shows the unlock form, not setup. */
  function opened() {
    snap = { ...snap, state: 'set' };
    session.open();
    onUnlocked();
  }

  setupForm.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(setupError, async () => {
      const outcome = await access.setUp(setupPin.value, setupRepeat.value);
      clear(setupPin, setupRepeat);
      setupError.textContent = outcome.ok ? '' : outcome.problem;
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
        unlockError.textContent = '';
        opened();
        return;
      }
      unlockError.textContent = !outcome.wrong ? ''
        : outcome.remainingMs > 0 ? 'That PIN is not right.'
          : `That PIN is not right. ${tries(outcome.attemptsBeforeWait)} before a wait.`;
      if (outcome.remainingMs === 0) pin.focus();
    });
  });

  resetForm.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(resetError, async () => {
      if (isFramed()) return;
      const outcome = await access.reset(resetPin.value, resetRepeat.value);
      clear(resetPin, resetRepeat);
      resetError.textContent = outcome.ok ? '' : outcome.problem;
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
    changeError.textContent = '';
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
        changed.textContent = 'The staff PIN was changed.';
        return;
      }
      if (outcome.problem) changeError.textContent = outcome.problem;
      else if (outcome.remainingMs > 0) {
        // Fumbling the current PIN into a wait on an open console closes the console too.
        changeDialog.close();
        session.lock();
        return;
      } else changeError.textContent = `That is not the current PIN. ${tries(outcome.attemptsBeforeWait)} before a wait.`;
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

  render();
  refresh();
  return { session, notices: () => snap.notices };
}
