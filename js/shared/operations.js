// What an operation does to a department's Machine, and the event it adds to the record: one
// definition for the windows of one browser (host.js) and for the devices of a facility hub
// (js/hub/replica.js), so that both modes keep the same record from the same operations.
import { ok, failed } from './protocol.js';

/**
 * Performs `kind` ('take', 'serve' or 'priority', 'reset', 'note'; anything else only counts
 * as activity) on `machine` at time `at`. Resolves with `{ outcome, event }`: the answer for
 * the caller (`{ ok, value }` or `{ ok: false, code, message }`) and the record's event, or
 * null when the operation failed or changes nothing in the record.
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
    return { outcome: failed(error?.code ?? 'unknown', error?.message ?? String(error)), event: null };
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
