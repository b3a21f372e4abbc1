// Texts of the views that come and go (errors, statuses), apart from dom.js because only the
// staff view needs them, and dom.js is part of what the first screen loads.
import { setText } from './dom.js';

/**
 * Texts that come and go (a form's error, a status), kept as `{ key, params }` so that they
 * follow a change of language, or as `{ text }` (an error's own English). `show(node, null)`
 * empties the node; `apply()` writes them all again in the new language.
 */
export function liveTexts(i18n) {
  const shown = new Map(); // node -> { key, params } | { text }
  const write = (node, message) => setText(node, message === null ? '' : message.key ? i18n.t(message.key, message.params) : message.text);
  return {
    show(node, message) {
      if (message === null) shown.delete(node);
      else shown.set(node, message);
      write(node, message);
    },
    apply() {
      for (const [node, message] of shown) write(node, message);
    },
  };
}
