// The staff's notices, without the DOM: this window's own (a language file with missing texts,
// a ticket that failed), kept in a ring of the newest WINDOW_NOTICES because a kiosk runs all
// day; and the one list the console shows, which adds the device's (lockouts, PIN changes) and
// every department's (both shared by every window of the browser).

/** How many of this window's notices are kept: every change of any department renders them all. */
export const WINDOW_NOTICES = 20;

/** This window's notices, `{ at, key, params }`, oldest first: texts follow the window's language. */
export class WindowNotices {
  #notices = [];
  #listeners = new Set();
  #now;

  constructor({ now = Date.now } = {}) {
    this.#now = now;
  }

  /** Adds the notice `key` (a key of the language files) with its `params`; drops the oldest past the cap. */
  add(key, params = {}) {
    this.#notices.push({ at: this.#now(), key, params });
    if (this.#notices.length > WINDOW_NOTICES) this.#notices.shift();
    for (const listener of this.#listeners) listener();
  }

  /** The notices kept, oldest first. */
  list() {
    return [...this.#notices];
  }

  /** Calls `listener()` after each new notice. Returns an unsubscribe. */
  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/**
 * Every notice for staff, oldest first, as `{ at, text }` in the window's language: this
 * window's (`own`, WindowNotices), the device's (`device`, the staff lock's `{ at: Date, text,
 * code, params }`) and each department's (`{ text, at }` from the shared record, in English,
 * named by the department). `formatDuration(ms)` writes a wait in SI symbols ("30 s",
 * "2 min"), read alike in the kiosk's languages.
 */
export function staffNotices({ own, device, departments, i18n, formatDuration }) {
  return [
    ...own.map(({ at, key, params }) => ({ at, text: i18n.t(key, params) })),
    ...device.map(({ at, text, code, params }) => ({
      at: at.getTime(),
      text: code ? i18n.t(`notice.${code}`, { ...params, wait: formatDuration(params.waitMs ?? 0) }) : text,
    })),
    ...departments.flatMap((dept) => dept.view().notices
      .map(({ text, at }) => ({ text: `${i18n.text(dept.config.names)}: ${text}`, at }))),
    ...departments.flatMap((dept) => dept.view().refusals.map((refusal) => ({ at: refusal.at, text: refused(dept, refusal, i18n) }))),
  ].sort((a, b) => a.at - b.at);
}

/**
 * An operation the department's record refused, in words. The hub does not say which account
 * sent it: the kind says the least role that may (a take: a kiosk's account, or staff's).
 */
function refused(dept, { kind, rules, config, code }, i18n) {
  const range = config === null ? '?' : `${config.minNumber}–${config.maxNumber}`;
  const who = i18n.t(['take', 'wake', 'send', 'tick'].includes(kind) ? 'notice.refused.by-kiosk' : 'notice.refused.by-staff');
  return i18n.t(`notice.refused.${code === 'configuration_mismatch' ? 'configuration' : 'rules'}`, {
    department: i18n.text(dept.config.names), kind, rules, range, who,
  });
}
