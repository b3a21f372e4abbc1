// The live region (#announce-serving) that reads each new call to screen readers, whichever
// view is shown.
import { callWords } from '../model/call-out.js';

/** Says each call `calls` (the window's CallOut) finds in `root`, in `i18n`'s language. */
export function mountLiveCalls({ root, i18n, calls }) {
  calls.subscribe(({ dept, call, again }) => {
    root.textContent = callWords(i18n, call, { again, department: i18n.text(dept.config.names) }).live;
  });
}
