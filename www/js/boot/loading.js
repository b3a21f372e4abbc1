// What the kiosk page loads first, shared by early-screen.js, which shows the customer's buttons as
// soon as the configuration and the texts are in (first.js keeps a tap on them), and main.js,
// which starts the machines and every view, then answers that tap. Both import this module,
// so the configuration and the texts are fetched once and are the same for both: the buttons
// early-screen.js shows are always those of the configuration the page runs with.
import { loadConfig } from '../model/config.js';
import { configInUse, remembered } from '../model/settings-in-use.js';
import { loadMessages } from '../language/messages.js';
import { loadLanguages, FALLBACK } from '../language/page-language.js';
import { keepUpToDate } from './updates.js';
import { showFatal } from '../views/page.js';

let settle;
/** Resolves once the page has started (usable) or given up (a fatal message): settled(). */
const started = new Promise((resolve) => { settle = resolve; });

/**
 * The service worker and the update checks: set up first, so that even a build that cannot
 * start gets replaced, and before config.json is asked for, so that the worker's word on it
 * (the server's copy was refused, say) finds a listener. The worker is registered once the
 * page has started or given up, so that its install does not download the build beside
 * main.js and the wasm. main.js calls `updates.watch` once it runs.
 */
export const updates = keepUpToDate({ registerAfter: started });

// The page's own folder, not this module's: a bundled build moves the modules elsewhere.
const texts = new URL('i18n/', document.baseURI);
// English is always needed, so it need not wait for the configuration to name the others.
const english = loadMessages(FALLBACK, texts);
english.catch(() => {}); // reported through `languages`

/** config.json, validated: rejects with ConfigError (config.js), worded with the English texts. */
export const served = loadConfig({ english });
served.catch(() => {}); // main.js reports it

/**
 * The settings this page runs, `{ config, version, problem? }`: the newest version a manager
 * saved that this device has seen (model/settings-in-use.js), else the served config.json.
 */
export const inUse = served.then((s) => configInUse(s, remembered(localStorageOrNull())));
inUse.catch(() => {});

/** The configuration the page runs (see inUse). */
export const config = inUse.then((settings) => settings.config);
config.catch(() => {});

/** Map code -> texts of English and each of `codes`: rejects with I18nError (messages.js). */
export const languagesOf = (codes) => loadLanguages(codes, (code) => (code === FALLBACK ? english : loadMessages(code, texts)));

/** The texts of every offered language (see languagesOf). */
export const languages = config.then((c) => languagesOf(c.languages));
languages.catch(() => {}); // main.js reports it

/** localStorage, or null where the browser refuses it (a sandboxed frame, say). */
export function localStorageOrNull() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

let language = null;
let handedOver = false;

/** A customer picked language `code` before the page could answer (early-screen.js): the last counts. */
export function earlyLanguage(code) {
  if (!handedOver) language = code;
}

/** Whether early-screen.js is done: the customer view has taken over, or the page gave up. */
export const takenOver = () => handedOver;

/**
 * The customer view is there: from now on it answers taps. Returns what the customer asked
 * for before: `{ language, department }`, either null (first.js marks the tapped button).
 */
export function takeOver() {
  handedOver = true;
  const departments = document.getElementById('departments');
  departments.dataset.answering = 'page'; // first.js keeps no more taps
  const tapped = departments.querySelector('button[aria-busy="true"]');
  const asked = { language, department: tapped?.dataset.department ?? null };
  language = null;
  return asked;
}

/** The page has started: the customer view takes taps (main.js). */
export function settled() {
  settle();
}

/**
 * The page cannot start (main.js shows why): no more taps are kept, and the page no
 * longer says it is usable.
 */
export function giveUp() {
  takeOver();
  delete document.body.dataset.usable;
  settle();
}

const PROBLEM = { ConfigError: 'Configuration problem: ', I18nError: 'Language file problem: ' };

/**
 * The page cannot start: the first screen gives way to why, `problem` (an Error, or the words
 * to show), in the texts the page has (before the languages, index.html's English).
 */
export function fail(problem) {
  giveUp();
  showFatal(document, typeof problem === 'string' ? problem : `${PROBLEM[problem.name] ?? ''}${problem.message}`);
}

/** A task of its own: a message, not a timer (timers may be held back, as in a background tab). */
export function nextTask() {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
