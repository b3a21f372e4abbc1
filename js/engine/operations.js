// The operations of a department, what each does to its Machine, and the event it adds to the
// record: one definition for both logs (the windows of one browser, js/shared/host.js; the
// devices of a hub, js/hub/machine.js), so that both keep the same record from the same
// operations.
import { ok, failedWith } from './errors.js';

/**
 * Every operation. `wakes`: a switched-off department is started afresh first (a customer's touch
 * or a staff action switches it on again). `role`: the least role a hub lets publish it (kiosk <
 * staff < manager; a board publishes nothing; hub/accounts.conf). `reclaim` starts a department
 * over under the sender's rules, `configure` sets its configuration (js/engine/department.js). `tick` only asks the hub's clock whether
 * the department has idled out (js/hub/ticks.js), and is no activity.
 */
export const OPS = Object.freeze({
  take: Object.freeze({ wakes: true, role: 'kiosk' }),
  wake: Object.freeze({ wakes: true, role: 'kiosk' }),
  send: Object.freeze({ wakes: false, role: 'kiosk' }),
  tick: Object.freeze({ wakes: false, role: 'kiosk' }),
  serve: Object.freeze({ wakes: true, role: 'staff' }),
  priority: Object.freeze({ wakes: true, role: 'staff' }),
  reset: Object.freeze({ wakes: true, role: 'staff' }),
  note: Object.freeze({ wakes: false, role: 'staff' }),
  reclaim: Object.freeze({ wakes: true, role: 'staff' }),
  configure: Object.freeze({ wakes: false, role: 'manager' }),
});

/**
 * Performs `kind` ('take', 'serve' or 'priority', 'reset', 'note'; anything else only counts
 * as activity) on `machine` at time `at`. Resolves with `{ outcome, event }`: the answer for
 * the caller and the record's event, or null when the operation failed or changes nothing in
 * the record.
 */
export async function perform(machine, kind, arg, data, at) {
  try {
    switch (kind) {
      case 'take': {
        const number = await machine.queueNewNumber();
        return { outcome: ok(number), event: { type: 'take', number, at } };
      }
      case 'serve':
      case 'priority': {
        const number = await machine.serveNextQueuedNumber(arg);
        return { outcome: ok(number), event: { type: 'serve', number, priority: arg ?? null, data: data ?? null, at } };
      }
      case 'reset':
        machine.resetState();
        return { outcome: ok(undefined), event: { type: 'reset', at } };
      case 'note':
        return { outcome: ok(undefined), event: { type: 'note', data: data ?? null, at } };
      default:
        return { outcome: ok(undefined), event: null };
    }
  } catch (error) {
    return { outcome: failedWith(error), event: null };
  }
}

/**
 * The record after `event`, by the application's `hooks.apply`. If the hook throws, the record
 * stays as it was: every window or device runs the same hook on the same record, so all keep
 * the same record, and the queue goes on.
 */
export function applyEvent(hooks, record, event) {
  try {
    return hooks.apply(record, event);
  } catch {
    return record;
  }
}
