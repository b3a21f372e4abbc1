// The customer's first screen, before the page has started: loaded by first.js, and small, so
// a slow kiosk shows the departments' "Take a number" buttons as soon as the configuration and
// the texts are in (from the service worker's cache, they are in at once), before main.js is
// even fetched: it is imported once the buttons show. A tap then is kept (first.js) and
// answered by the customer view once it is there (main.js): one ticket, not none and not two.
// When the page came with its first screen (kept-screen.js), these are the same cards, now
// checked against the configuration: a new one repaints and renames them, or replaces them.
//
// Nothing else happens here but handing that screen to the service worker for the next start.
// Any problem (the configuration, a language file) is left for main.js to report, and the
// other views wait on "Starting…" for main.js.
import { config, languages, earlyLanguage, takenOver, fail, updates } from './loading.js';
import { firstScreenOf } from './kept-screen.js';
import { textColourOn } from '../model/config.js';
import { PageLanguage } from '../language/page-language.js';
import { customerCards } from '../views/customer-cards.js';
import { viewOf } from '../model/route.js';
import { applyLanguage, mountLanguageSwitch } from '../views/page.js';

async function showFirstScreen() {
  const [settings, messages] = await Promise.all([config, languages]);
  if (takenOver()) return;
  const i18n = new PageLanguage({ messages, defaultLanguage: settings.language, offered: settings.languages });
  // With a facility hub, a ticket needs the hub, which main.js connects to: the buttons wait
  // for it rather than take a tap that could only be refused.
  const hub = settings.hub !== null;
  // The page may have come with its first screen (first.js made it usable) for a configuration
  // that another window has replaced since the worker served it: with a hub now, neither that
  // mark nor a tap on it stands.
  if (hub) {
    delete document.body.dataset.usable;
    for (const busy of document.querySelectorAll('#departments [aria-busy]')) busy.removeAttribute('aria-busy');
  }
  // A language picked on that first screen before this ran (first.js marks it), read before
  // this script's own switch replaces those buttons.
  const picked = document.querySelector('#language-switch button[aria-pressed="true"]')?.dataset.language;
  const cards = customerCards(document.getElementById('departments'), settings.departments, textColourOn);
  const showTexts = () => {
    applyLanguage(document, i18n, settings);
    for (const dept of settings.departments) {
      const { name, status, button } = cards.get(dept.id);
      name.textContent = i18n.text(dept.names);
      status.textContent = i18n.t('common.connecting');
      button.textContent = i18n.t('customer.take');
    }
  };
  for (const { button } of cards.values()) button.disabled = hub;
  showTexts();
  // The language switch now, not when main.js mounts its own: the header would grow then and
  // move the buttons under a customer's finger. A choice is shown, and kept for main.js.
  const choose = (code) => {
    earlyLanguage(code);
    i18n.set(code);
    showTexts();
    languageSwitch.render();
  };
  const languageSwitch = mountLanguageSwitch({
    root: document.getElementById('language-switch'),
    i18n,
    onChoose: (code) => { if (!takenOver()) choose(code); },
  });
  if (picked !== undefined && picked !== i18n.code && settings.languages.includes(picked)) choose(picked);
  const show = () => {
    if (takenOver()) return;
    const customer = viewOf(location.hash) === 'customer';
    document.getElementById('loading').hidden = customer;
    document.getElementById('view-customer').hidden = !customer;
  };
  window.addEventListener('hashchange', show);
  show();
  if (hub) return;
  // The same mark the page sets once it runs: a tap from now on gets its ticket.
  document.body.dataset.usable = 'true';
  // For the next start (with a hub, the buttons wait for it anyway): taken now, before a
  // language or a tap changes the screen, and only in the facility's language (not after a
  // customer picked another on the kept screen).
  if (i18n.code === settings.language) updates.keepFirstScreen(firstScreenOf(document, settings));
}

// Then the rest of the page, which reports a problem with the configuration or the texts (and
// builds the cards itself if they are not there). Anything else here is a bug: said in the
// console, where the page tests look. Imported, not a script of its own in index.html, so that
// compiling it cannot hold up the first screen.
showFirstScreen().catch((error) => {
  if (error?.name !== 'ConfigError' && error?.name !== 'I18nError') console.error('early.js:', error);
}).then(() => import('../main.js')).catch((error) => fail(`Unexpected error: ${error.message}`));
