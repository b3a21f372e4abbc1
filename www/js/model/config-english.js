// A configuration problem in English, for whoever fixes config.json: the page's start and the
// service worker report a broken file before any language is chosen. The words are those the
// Settings view shows in the page's language, i18n/en.json's, handed in by the caller: the
// service worker bundles them, the page has them loading already, and its first screen stays
// small without a second copy (site-build test: "the first script and its chunks stay small").
import { Translator } from '../language/messages.js';

/** `problem` (config-reading.js) in the words of `english` (i18n/en.json), naming its department. */
export function inEnglish({ path, key, params }, english) {
  const translator = new Translator({ language: 'en', messages: english, fallback: english });
  // The Settings view shows the department by the field's place; a file's reader needs it said.
  const where = path[0] === 'departments' && path.length > 2 ? `department ${path[1] + 1}: ` : '';
  return where + translator.t(key, params);
}
