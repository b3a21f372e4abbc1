// The customer's first screen as the service worker keeps it, so that the next start's page
// comes with it and first.js alone can make it usable (a warm start on a small kiosk computer
// need not wait for early-screen.js, the configuration and the texts). early-screen.js sends
// the screen it has just shown; the worker puts it into the page it serves only while it still
// holds that configuration, and only into the page it was taken from: the build writes an id of
// each page into it (BUILD_META), and a page of another build, one loaded past the worker after
// a deploy say, has another. Both ends use this module.
import { isLanguage } from '../language/messages.js';
import { FIRST_SCREEN } from './sw-protocol.js';

/** The page's build id, `<meta name="build" content="…">`: written by scripts/build-site.mjs. */
export const BUILD_META = 'build';
const BUILD_ID = /^[0-9a-f]{16}$/;
/** The tag for `id`, as the build writes it. */
export const buildMetaTag = (id) => `<meta name="${BUILD_META}" content="${id}">`;

/** Ample for a facility's cards: a message beyond it is not kept. */
const MAX_BODY = 256 * 1024;

/**
 * The first screen of `doc`, just shown by early-screen.js for `settings` (validated config.json),
 * as the page will come from the worker: the customer view still hidden behind "Starting…"
 * (first.js shows it when the address asks for it), the cards' colours in data attributes
 * (the page's CSP takes no inline style; first.js paints them), no tap on any button.
 */
export function firstScreenOf(doc, settings) {
  const body = doc.body.cloneNode(true);
  body.querySelector('#loading').hidden = false;
  body.querySelector('#view-customer').hidden = true;
  for (const card of body.querySelectorAll('[data-card]')) {
    card.dataset.colour = card.style.getPropertyValue('--dept-colour');
    card.dataset.text = card.style.getPropertyValue('--dept-text');
    card.removeAttribute('style');
  }
  for (const node of body.querySelectorAll('[aria-busy]')) node.removeAttribute('aria-busy');
  delete body.querySelector('#departments').dataset.answering;
  return {
    type: FIRST_SCREEN,
    config: configKey(settings),
    build: doc.querySelector(`meta[name="${BUILD_META}"]`)?.content ?? '',
    lang: doc.documentElement.lang,
    title: doc.title,
    body: body.innerHTML,
  };
}

/** What a first screen was shown for: the validated configuration, as the worker also writes it. */
export const configKey = (settings) => JSON.stringify(settings);

/** Whether `data`, a message from a page, is a first screen the worker can keep. */
export function isFirstScreen(data) {
  return data?.type === FIRST_SCREEN
    && ['config', 'title', 'body'].every((field) => typeof data[field] === 'string')
    && BUILD_ID.test(data.build) && isLanguage(data.lang) && data.body.length <= MAX_BODY;
}

const escapeText = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * `html`, the build's index.html, with `screen` in it (its language, title and body), or null
 * when `screen` was not taken from this page (another build's).
 * Without the build's preload hints: they are for building the first screen (early-screen.js, its
 * modules, the configuration and the texts), and here they would only compete with first.js.
 */
export function withFirstScreen(html, screen) {
  if (!html.includes(buildMetaTag(screen.build))) return null;
  const parts = /^([\s\S]*?<html lang=")[^"]*("[\s\S]*?<title>)[^<]*(<\/title>[\s\S]*?<body>)[\s\S]*(<\/body>[\s\S]*)$/.exec(html);
  if (!parts) return null;
  const head = parts[3].replace(/\n[ \t]*<link rel="(?:modulepreload|preload)"[^>]*>/g, '');
  return parts[1] + screen.lang + parts[2] + escapeText(screen.title) + head + screen.body + parts[4];
}
