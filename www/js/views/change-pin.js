// Changing the device's PIN from the open console: a button beside "Lock console", a dialog
// that asks for the current PIN and the new one twice, and the status line that says it was
// changed. Not in hub mode: the hub's passwords are changed in its configuration.
import { el, boundTexts } from './dom.js';
import { liveTexts } from './live-texts.js';
import { pinInput, field, problemOf } from './staff-lock.js';

/**
 * Mounts the button (and its dialog) at the start of `actions` (the console bar's buttons);
 * `status` is the line under the bar. `lock` is the staff lock: the checks run through its `guarded`.
 * Returns { render() }: call it after each render of the lock (a locked console forgets that
 * the PIN was changed).
 */
export function mountChangePin({ actions, status, access, session, lock, i18n }) {
  const texts = boundTexts(i18n);
  const messages = liveTexts(i18n);
  const button = texts.text(el('button', { className: 'secondary', attrs: { type: 'button', id: 'change-pin' } }), 'lock.change-open');
  const current = pinInput('change-current', 'current-password');
  const pin = pinInput('change-new', 'new-password');
  const repeat = pinInput('change-repeat', 'new-password');
  const inputs = [current, pin, repeat];
  const error = el('p', { className: 'error', attrs: { id: 'change-error', role: 'alert' } });
  const cancel = texts.text(el('button', { className: 'secondary', attrs: { type: 'button' } }), 'common.cancel');
  const form = el('form', { className: 'pin-form', attrs: { novalidate: '' } }, [
    field(texts, 'lock.current-pin', current),
    field(texts, 'lock.new-pin', pin),
    field(texts, 'lock.new-pin-again', repeat),
    el('div', { className: 'dialog-actions' }, [cancel, texts.text(el('button', { attrs: { type: 'submit' } }), 'lock.change-submit')]),
    error,
  ]);
  const dialog = el('dialog', { attrs: { id: 'change-pin-dialog', 'aria-labelledby': 'change-title' } }, [
    texts.text(el('h2', { attrs: { id: 'change-title' } }), 'lock.change-title'),
    form,
  ]);
  actions.prepend(button, dialog);
  const clear = () => { for (const input of inputs) input.value = ''; };

  button.addEventListener('click', () => {
    clear();
    messages.show(error, null);
    dialog.showModal();
  });
  cancel.addEventListener('click', () => dialog.close());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    lock.guarded(change, (message) => messages.show(error, message));
  });

  async function change() {
    const outcome = await access.change(current.value, pin.value, repeat.value);
    clear();
    if (outcome.ok) {
      dialog.close();
      messages.show(status, { key: 'lock.changed' });
      return;
    }
    if (outcome.problem) messages.show(error, problemOf(outcome));
    else if (outcome.remainingMs > 0) {
      // Fumbling the current PIN into a wait on an open console closes the console too.
      dialog.close();
      session.lock();
      return;
    } else messages.show(error, { key: 'lock.not-current', params: { count: outcome.attemptsBeforeWait } });
    current.focus();
  }

  i18n.subscribe(() => {
    texts.apply();
    messages.apply();
  });
  return {
    render() {
      if (!session.unlocked) messages.show(status, null);
    },
  };
}
