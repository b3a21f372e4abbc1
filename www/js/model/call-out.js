// New calls, as every window tells them: the live region reads them to screen readers, the
// board flashes a recall, and a window whose view has its sound on chimes and speaks them (any
// window can, for every new call it sees in the shared record). No DOM here: each of those
// subscribes to the calls this module finds, so none of them needs to know the others.
import { CallWatcher } from './calls.js';

/** What a call says: the live region's words and the spoken ones, in `i18n`'s language. */
export function callWords(i18n, { number, counter }, { again, department }) {
  const params = { number, counter, department };
  return {
    live: i18n.t(`live.${again ? 'recall' : 'call'}${counter === null ? '' : '-counter'}`, params),
    speech: i18n.t(counter === null ? 'speech.call' : 'speech.call-counter', params),
  };
}

export class CallOut {
  #watchers = new Map(); // department id -> CallWatcher
  #listeners = new Set();

  /**
   * Looks at `dept` (a Department) after a change: tells every listener of each call new since
   * the last look, `{ dept, call, again }` (`call` is `{ number, counter, at }`; `again` for a
   * recall), calls first, oldest first. The first state a window sees is the past, not news.
   */
  observe(dept) {
    if (!dept.view().known) return;
    const { id } = dept.config;
    if (!this.#watchers.has(id)) this.#watchers.set(id, new CallWatcher());
    const { calls, recall } = this.#watchers.get(id).observe(dept.record());
    for (const call of calls) this.#tell({ dept, call, again: false });
    if (recall) this.#tell({ dept, call: recall, again: true });
  }

  /** Calls `listener({ dept, call, again })` for each new call. Returns an unsubscribe. */
  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #tell(news) {
    for (const listener of this.#listeners) listener(news);
  }
}
