// Calls as the board and the call-out see them, without the DOM.
//
// CallWatcher: which calls and recalls in a department's record are new since this window last
// looked. The record (ticket-record.js) keeps the last calls and the last recall; every window gets
// every change of it, in order, but may also get several changes at once, or a whole record on
// opening. So "new" is decided by what this window has seen, not by the change it came with:
// the first record a window sees is the past (a board opened mid-morning neither flashes nor
// speaks old calls), and after that each call and recall is reported once.
//
// boardCounters: the rows of a department's tile on the board.

const key = ({ number, counter, at }) => `${at}|${number}|${counter ?? ''}`;

export class CallWatcher {
  #seen = null; // keys of the calls in the last record seen
  #recall = null; // key of the last recall seen

  /**
   * Looks at the department's record; returns `{ calls, recall }`: the calls new since the last
   * look, oldest first (each `{ number, counter, at }`), and a new recall or null.
   */
  observe(record) {
    const first = this.#seen === null;
    const calls = first ? [] : record.calls.filter((call) => !this.#seen.has(key(call)));
    // A call is forgotten once it leaves the record's short history, so the set stays small;
    // a call leaves only after newer ones, so it cannot come back as new.
    this.#seen = new Set(record.calls.map(key));
    const recallKey = record.recall === null ? null : key(record.recall);
    const recall = !first && recallKey !== null && recallKey !== this.#recall ? record.recall : null;
    this.#recall = recallKey;
    return { calls, recall };
  }
}

/**
 * The open counters of a department for the board, in the configuration's order (counters no
 * longer configured, but holding a number in the record, after them): `[{ counter, number,
 * newest }]`, where `newest` marks the counter of the latest call.
 */
export function boardCounters(record, configured) {
  const open = Object.keys(record.counters);
  const order = (counter) => {
    const i = configured.indexOf(counter);
    return i === -1 ? configured.length : i;
  };
  open.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  const latest = record.calls.at(-1) ?? null;
  return open.map((counter) => ({
    counter,
    number: record.counters[counter].number,
    newest: latest !== null && latest.counter === counter && latest.number === record.counters[counter].number,
  }));
}

/** The board's list of the last calls, newest first, the newest marked. */
export function lastCalls(record) {
  return [...record.calls].reverse().map((call, i) => ({ ...call, newest: i === 0 }));
}
