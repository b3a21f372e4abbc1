// The operations of a department, what each does to its Machine, and the event it adds to the
// record: one definition for both logs (the windows of one browser, js/shared/host.js; the
// devices of a hub, js/hub/machine.js), so that both keep the same record from the same
// operations.
import { ok, failedWith } from './errors.js';
import { NAME } from './options.js';
import { isRecord } from './values.js';

/**
 * Every operation. `wakes`: a switched-off department is started afresh first (a customer's touch
 * or a staff action switches it on again). `role`: the least role a hub lets publish it (kiosk <
 * staff < manager; a board publishes nothing; hub/accounts.conf). `reclaim` starts a department
 * over under the sender's rules, `configure` sets its configuration (js/engine/department.js). `tick` only asks the hub's clock whether
 * the department has idled out (js/hub/ticks.js), and is no activity. `since`: the queue rules
 * that brought the kind (see `switches`).
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
  call: Object.freeze({ wakes: true, role: 'staff', since: 2 }),
  recall: Object.freeze({ wakes: false, role: 'staff', since: 2 }),
  finish: Object.freeze({ wakes: false, role: 'staff', since: 2 }),
  'no-show': Object.freeze({ wakes: false, role: 'staff', since: 2 }),
  park: Object.freeze({ wakes: false, role: 'staff', since: 2 }),
  unpark: Object.freeze({ wakes: true, role: 'staff', since: 2 }),
  transfer: Object.freeze({ wakes: false, role: 'staff', since: 2 }),
  arrive: Object.freeze({ wakes: true, role: 'staff', since: 2 }),
  settle: Object.freeze({ wakes: true, role: 'staff', since: 2 }),
});

/**
 * Whether an operation of `kind` may switch a department's record to newer rules. Only kinds
 * every earlier release knows may: a release that does not know a kind skips its operations
 * (js/hub/protocol.js), so a switch by one would leave that release on the old rules, still
 * handing out numbers, while newer ones follow the new (a split record).
 */
export const switches = (kind) => OPS[kind].since === undefined;

const isName = (value) => typeof value === 'string' && NAME.test(value);
/** A counter's name, as staff see it ("Desk 2"): the Machine takes any 1 to 100 characters. */
const isCounter = (value) => typeof value === 'string' && value.length > 0 && [...value].length <= 100;
const isNumber = Number.isSafeInteger;
const only = (arg, keys) => Object.keys(arg).every((key) => keys.includes(key));

/**
 * Whether `arg` is a valid argument of an operation of `kind` (any JS value): what the logs check
 * before they carry it, so every device reads an operation alike.
 */
export function validArg(kind, arg) {
  const counter = () => isRecord(arg) && only(arg, ['counter']) && isCounter(arg.counter);
  switch (kind) {
    case 'priority':
      return isNumber(arg);
    case 'take':
      return arg === undefined || (isRecord(arg) && only(arg, ['group']) && isName(arg.group));
    case 'call':
      return isRecord(arg) && only(arg, ['counter', 'group', 'number']) && isCounter(arg.counter)
        && (arg.group === undefined || isName(arg.group)) && (arg.number === undefined || isNumber(arg.number))
        && !(arg.group !== undefined && arg.number !== undefined);
    case 'recall':
    case 'finish':
    case 'no-show':
    case 'park':
      return counter();
    case 'unpark':
      return isRecord(arg) && only(arg, ['number']) && isNumber(arg.number);
    case 'transfer':
      return isRecord(arg) && only(arg, ['number', 'to', 'key']) && isNumber(arg.number) && isName(arg.to) && isName(arg.key);
    case 'settle':
      return isRecord(arg) && only(arg, ['key', 'accepted']) && isName(arg.key) && typeof arg.accepted === 'boolean';
    case 'arrive':
      return isRecord(arg) && only(arg, ['number', 'taken', 'group', 'from', 'key']) && isNumber(arg.number)
        && isNumber(arg.taken) && (arg.group === undefined || isName(arg.group)) && isName(arg.from) && isName(arg.key);
    default:
      return arg === undefined;
  }
}

/**
 * Performs `kind` on `machine` at time `at` (the log's): `take`, `serve`/`priority`, `reset`,
 * `note` and the counters' operations; anything else only counts as activity. Resolves with
 * `{ outcome, event }`: the answer for the caller and the record's event, or null when the
 * operation failed or changes nothing in the record.
 */
export async function perform(machine, kind, arg, data, at) {
  const details = data ?? null;
  try {
    switch (kind) {
      case 'take': {
        const group = arg?.group ?? null;
        const number = await machine.takeNumber(group === null ? { at } : { group, at });
        return { outcome: ok(number), event: { type: 'take', number, group, at } };
      }
      case 'serve':
      case 'priority': {
        const number = await machine.serveNextQueuedNumber(arg);
        return { outcome: ok(number), event: { type: 'serve', number, priority: arg ?? null, data: details, at } };
      }
      case 'reset':
        machine.resetState();
        return { outcome: ok(undefined), event: { type: 'reset', at } };
      case 'note':
        return { outcome: ok(undefined), event: { type: 'note', data: details, at } };
      case 'call': {
        const { counter, group, number } = arg;
        const pick = number !== undefined ? { number } : group !== undefined ? { group } : undefined;
        const seat = await machine.call(counter, pick);
        const how = number !== undefined ? 'number' : group !== undefined ? 'group' : 'next';
        return { outcome: ok(seat), event: { type: 'call', ...seat, pick: how, data: details, at } };
      }
      case 'recall':
      case 'finish':
      case 'no-show':
      case 'park': {
        const method = { recall: 'recall', finish: 'finish', 'no-show': 'noShow', park: 'park' }[kind];
        const seat = await machine[method](arg.counter);
        return { outcome: ok(seat), event: { type: kind, ...seat, data: details, at } };
      }
      case 'unpark': {
        const seat = await machine.recallParked(arg.number);
        return { outcome: ok(seat), event: { type: 'unpark', ...seat, data: details, at } };
      }
      case 'transfer': {
        const moved = await machine.transferOut(arg.number);
        return { outcome: ok(moved), event: { type: 'transfer', ...moved, to: arg.to, key: arg.key, data: details, at } };
      }
      case 'arrive': {
        const { number, taken, from, key } = arg;
        // A group the department lacks: the ticket joins its first group rather than be lost.
        const group = (await machine.reportDepartment()).groups.includes(arg.group) ? arg.group : undefined;
        await machine.transferIn({ number, taken, group }, at);
        return { outcome: ok(undefined), event: { type: 'arrive', number, group: group ?? null, taken, from, key, at } };
      }
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
