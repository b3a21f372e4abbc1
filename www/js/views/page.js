// The page around the views, as early-screen.js shows it too: index.html's own texts (translated
// through data-i18n attributes), the header's language switch, and the message when the kiosk
// cannot start. The frame that shows one view at a time is views/frame.js.
import { el, setText } from './dom.js';

/**
 * Translates index.html's texts: `data-i18n="key"` sets an element's text, and
 * `data-i18n-aria-label="key"` its aria-label. The English in the HTML shows until then.
 */
export function translateStatic(doc, i18n) {
  for (const node of doc.querySelectorAll('[data-i18n]')) setText(node, i18n.t(node.dataset.i18n));
  for (const node of doc.querySelectorAll('[data-i18n-aria-label]')) node.setAttribute('aria-label', i18n.t(node.dataset.i18nAriaLabel));
}

/** Shows the page in `i18n`'s language: `<html lang>`, the title, the facility's name, index.html's texts. */
export function applyLanguage(doc, i18n, config) {
  doc.documentElement.lang = i18n.code;
  doc.title = i18n.t('page.title', { facility: i18n.text(config.facilityNames) });
  setText(doc.getElementById('facility'), i18n.text(config.facilityNames));
  translateStatic(doc, i18n);
}

/**
 * The language switch in the header: one button per offered language, each named in its own
 * language (and marked with its `lang`, so a screen reader says it right); none when only one
 * language is offered. `onChoose(code)` decides what a choice does (the customer view's flow).
 */
export function mountLanguageSwitch({ root, i18n, onChoose }) {
  if (i18n.offered.length < 2) {
    root.hidden = true;
    return { render() {} };
  }
  root.hidden = false; // a first screen kept for a configuration with one language hid it
  const buttons = i18n.offered.map((code) => {
    const button = el('button', {
      className: 'language',
      text: i18n.nameOf(code),
      attrs: { type: 'button', lang: code, 'data-language': code },
    });
    button.addEventListener('click', () => onChoose(code));
    return button;
  });
  root.replaceChildren(...buttons);
  function render() {
    root.setAttribute('aria-label', i18n.t('language.choose'));
    for (const button of buttons) button.setAttribute('aria-pressed', String(button.dataset.language === i18n.code));
  }
  render();
  return { render };
}

/** Replaces the page with a message (in `doc`'s current texts) when the kiosk cannot start. */
export function showFatal(doc, message) {
  doc.getElementById('loading').hidden = true;
  for (const view of doc.querySelectorAll('.view')) view.hidden = true;
  doc.getElementById('fatal-text').textContent = message;
  doc.getElementById('fatal').hidden = false;
}
