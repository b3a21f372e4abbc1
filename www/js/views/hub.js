// Hub mode on the page: the banner that says when the facility hub is out of reach (every
// view), and #hub-setup, where whoever sets a device up enters its hub account (nothing links
// to it, as to the PIN reset: SECURITY.md). The rules are in hub-mode.js.
import { pageStatus } from '../model/page-status.js';
import { el, setText, boundTexts } from './dom.js';

/**
 * The banner (#hub-banner): the departments' status as a whole (page-status.js), shown for
 * every status but 'online' and 'connecting'; it follows the departments' changes (`facility`,
 * departments.js).
 */
export function mountHubBanner({ root, facility, i18n }) {
  function render() {
    const status = pageStatus(facility.departments);
    const quiet = status === 'online' || status === 'connecting';
    root.hidden = quiet;
    setText(root, quiet ? '' : i18n.t(`hub.banner.${status}`));
  }
  facility.watch(render);
  i18n.subscribe(render);
}

/**
 * #hub-setup: the device's hub account (DeviceLogin). `onSaved()` runs after a save or a
 * forget (the page connects again). Without a hub in the configuration it says so.
 */
export function mountHubSetup({ root, i18n, hubMode, login, onSaved }) {
  const texts = boundTexts(i18n);
  if (!hubMode) {
    root.replaceChildren(texts.text(el('p', { className: 'message', attrs: { id: 'hub-setup-none' } }), 'device.none'));
    i18n.subscribe(() => texts.apply());
    return;
  }
  const user = el('input', { attrs: { id: 'hub-setup-user', type: 'text', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', required: '' } });
  const pass = el('input', { attrs: { id: 'hub-setup-pass', type: 'password', autocomplete: 'new-password', required: '' } });
  const field = (key, input) => el('div', { className: 'field' }, [texts.text(el('label', { attrs: { for: input.id } }), key), input]);
  const state = el('p', { className: 'console-status', attrs: { id: 'hub-setup-state', role: 'status' } });
  const error = el('p', { className: 'error', attrs: { id: 'hub-setup-error', role: 'alert' } });
  const forget = texts.text(el('button', { className: 'secondary', attrs: { type: 'button' } }), 'device.forget');
  const form = el('form', { className: 'pin-form', attrs: { id: 'hub-setup-form', novalidate: '' } }, [
    texts.text(el('p', { className: 'hint' }), 'device.hint'),
    field('device.user', user),
    field('device.password', pass),
    el('div', { className: 'form-actions' }, [texts.text(el('button', { attrs: { type: 'submit' } }), 'device.save'), forget]),
    error,
    state,
  ]);
  root.replaceChildren(form);

  const renderState = () => {
    const current = login.get();
    setText(state, current === null ? i18n.t('device.unset') : i18n.t('device.set', { user: current.user }));
    forget.hidden = current === null;
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    try {
      login.save({ user: user.value.trim(), pass: pass.value });
    } catch {
      setText(error, i18n.t('device.invalid'));
      user.focus();
      return;
    }
    user.value = '';
    pass.value = '';
    setText(error, '');
    renderState();
    onSaved();
  });
  forget.addEventListener('click', () => {
    login.clear();
    renderState();
    onSaved();
  });
  i18n.subscribe(() => {
    texts.apply();
    renderState();
  });
  renderState();
}
