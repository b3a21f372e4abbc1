// The one form that opens the staff console: the device's PIN, or with a facility hub the
// staff's own hub account (the hub checks it instead of a PIN). Either way, after too many
// wrong answers it shows the wait (a countdown, the same in every window, lockout.js) with
// its fields disabled. What a submit does is the lock's (views/staff-lock.js).
import { formatCountdown } from '../staff/staff-access.js';
import { el, setText } from './dom.js';

const text = (texts, tag, key, attrs = {}, className = undefined) => texts.text(el(tag, { className, attrs }), key);

/** The two kinds of credential: the fields, and the texts of the form's parts. */
const KINDS = {
  pin: {
    form: { id: 'unlock-form', className: 'unlock' }, prefix: 'unlock', heading: null, submit: 'lock.unlock', wrong: ['lock.wrong', 'lock.wrong-tries'],
    fields: [{ id: 'pin', label: 'lock.pin', type: 'password', autocomplete: 'off', inputmode: 'numeric', maxlength: '12', bare: true }],
  },
  hub: {
    form: { id: 'hub-form', className: 'pin-form' }, prefix: 'hub', heading: ['lock.hub-title', 'lock.hub-hint'], submit: 'lock.hub-submit', wrong: ['lock.hub-wrong', 'lock.hub-wrong-tries'],
    fields: [
      { id: 'hub-user', label: 'lock.hub-user', type: 'text', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' },
      { id: 'hub-pass', label: 'lock.hub-password', type: 'password', autocomplete: 'current-password' },
    ],
  },
};

const inputOf = ({ id, label, bare, ...attrs }) => el('input', { attrs: { id, ...attrs, required: '' } });

/**
 * The form for `kind` ('pin' or 'hub'), its texts bound through `texts` (boundTexts).
 * Returns { form, error, value(), clear({ all }), focus(), hold(), refusal(outcome), render({
 * showing, until, busy }) }: `value()` is what to check (the PIN, or `{ user, pass }`);
 * `render` shows the wait until `until` (ms), ticking every second, and calls `onWaitOver()`
 * once it has passed.
 */
export function credentialForm({ kind, texts, i18n, onWaitOver, win = window }) {
  const spec = KINDS[kind];
  const doc = win.document;
  const inputs = spec.fields.map(inputOf);
  const secret = inputs.at(-1);
  const button = text(texts, 'button', spec.submit, { type: 'submit' });
  const error = el('p', { className: 'error', attrs: { id: `${spec.prefix}-error`, role: 'alert' } });
  const wait = el('p', { className: 'wait', attrs: { id: `${spec.prefix}-wait`, role: 'status', tabindex: '-1' } });
  // The ticking figure is for the eye; the status above says the time once, for screen readers.
  const countdown = el('p', { className: 'countdown', attrs: { id: `${spec.prefix}-countdown`, 'aria-hidden': 'true' } });
  secret.setAttribute('aria-describedby', wait.id);
  const fields = spec.fields.flatMap((field, i) => {
    const parts = [text(texts, 'label', field.label, { for: field.id }), inputs[i]];
    return field.bare ? parts : [el('div', { className: 'field' }, parts)];
  });
  const heading = spec.heading === null ? [] : [
    text(texts, 'h3', spec.heading[0], { id: `${spec.prefix}-title` }), text(texts, 'p', spec.heading[1], {}, 'hint'),
  ];
  const form = el('form', { className: spec.form.className, attrs: { id: spec.form.id, novalidate: '' } },
    [...heading, ...fields, button, error, wait, countdown]);
  if (heading.length > 0) form.setAttribute('aria-labelledby', heading[0].id);

  let ticker = null;
  let last = { showing: false, until: 0, busy: false };
  function render(state = last) {
    last = state;
    const { showing, until, busy } = state;
    const remainingMs = Math.max(0, until - Date.now());
    const waiting = showing && remainingMs > 0;
    for (const input of inputs) input.disabled = waiting;
    button.disabled = waiting || busy;
    wait.hidden = !waiting;
    countdown.hidden = !waiting;
    if (waiting) {
      setText(wait, i18n.t('lock.wait', { time: i18n.timeWithSeconds(until) }));
      setText(countdown, i18n.t('lock.countdown', { time: formatCountdown(remainingMs) }));
      if (doc.activeElement === secret || doc.activeElement === doc.body) wait.focus();
      ticker ??= win.setInterval(() => render({ ...last, showing: !form.hidden }), 1000);
      return;
    }
    setText(wait, '');
    if (ticker === null) return;
    win.clearInterval(ticker);
    ticker = null;
    if (showing && doc.activeElement === wait) secret.focus();
    onWaitOver(); // the wait is over here: read what the other windows did meanwhile
  }

  return {
    form,
    error,
    render,
    value: () => (kind === 'pin' ? secret.value : { user: inputs[0].value.trim(), pass: secret.value }),
    /** Empties the secret field, or every field (`all`). */
    clear({ all = false } = {}) {
      for (const input of all ? inputs : [secret]) input.value = '';
    },
    focus: () => secret.focus(),
    /** A check is running: no second submit until the next render. */
    hold() {
      button.disabled = true;
    },
    /** The error for a refused `outcome` (a wrong answer, or none to show). */
    refusal: (outcome) => (!outcome.wrong ? null
      : outcome.remainingMs > 0 ? { key: spec.wrong[0] }
        : { key: spec.wrong[1], params: { count: outcome.attemptsBeforeWait } }),
  };
}
