// The kiosk's part of each department's shared record: what every window shows besides the
// queue. The host applies it to each change, in the same order as the queue's (see
// js/shared/host.js), so every window and every reload sees the same thing.
//
// Today it is the number being served: the board's "now serving".

/** The kiosk's record hooks for SharedMachine. */
export const kioskRecord = Object.freeze({
  initial: () => ({ nowServing: null }),

  apply(record, event) {
    switch (event.type) {
      case 'serve':
        return { ...record, nowServing: event.number };
      case 'reset':
      case 'wake':
      case 'shutdown':
        // A reset queue, a fresh machine or a switched-off one: nobody is being served.
        return { ...record, nowServing: null };
      default:
        return record;
    }
  },

  check: (record) => typeof record === 'object' && record !== null
    && (record.nowServing === null || Number.isSafeInteger(record.nowServing)),
});
