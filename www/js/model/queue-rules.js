// A department's queue rules as config.json gives them (read by config-reading.js), turned into
// the configuration its engine runs (js/engine/options.js checkConfig): what every window and
// device of the department declares, and what a manager's save sets in its record. No DOM here.
// config-groups.js reads them (and, loaded with this module, makes every later reading do so).
export { GROUP_ICONS } from './config-groups.js';

/**
 * Where a ticket of the kiosk record (ticket-record.js's `day.tickets`: number, taken, called,
 * counter, outcome, group, …) keeps its group: its GROUP field, in a record that keeps one (the
 * counters' release). A ticket without it says no group, and the board shows no mark for it.
 */
const GROUP_FIELD = 5;

/**
 * The engine configuration of `dept` (a validated department): its range and idle timeout, and
 * the queue rules only where they are not the exercise's, so that a department without groups
 * declares exactly what it always has. `order` and `weights` go with groups only.
 */
export function engineConfig({ minNumber, maxNumber, autoShutdownTimeout, opening, groups = [], order = 'strict', placement = 'back', callsBeforeNoShow = 1 }) {
  return {
    minNumber,
    maxNumber,
    autoShutdownTimeout,
    // The daily opening (js/engine/opening.js), as config.json's reading gives it, or none.
    ...(opening == null ? {} : { opening }),
    ...(groups.length === 0 ? {} : { groups: groups.map((g) => g.id), order }),
    ...(groups.length > 0 && order === 'ratio' ? { weights: groups.map((g) => g.weight) } : {}),
    ...(placement === 'back' ? {} : { placement }),
    ...(callsBeforeNoShow === 1 ? {} : { callsBeforeNoShow }),
  };
}

/** Group `id` of `dept` (a validated department), or null: a ticket's group as the views show it. */
export const groupOf = (dept, id) => dept.groups?.find((g) => g.id === id) ?? null;

/**
 * How many of `waiting` (the desk's waiting tickets, `{ number, group }`, each group's in its
 * order) are called before ticket `number` under `rules` (an engine configuration with groups).
 * Strict: every ticket of an earlier group, and its own group's before it. Ratio: the calls the
 * engine's smooth weighted round robin makes first (src/rules/order.rs), `nextGroup` first, from
 * even credits after it: the desk does not show the credits, so past the next call an estimate
 * within about one ticket per group.
 */
export function aheadInOrder(waiting, number, { groups, order, weights }, nextGroup = null) {
  const ticket = waiting.find((t) => t.number === number);
  if (ticket === undefined) return 0;
  const lines = groups.map((id) => waiting.filter((t) => t.group === id));
  const own = groups.indexOf(ticket.group);
  const place = lines[own].indexOf(ticket);
  if (order === 'strict') return lines.slice(0, own).reduce((sum, line) => sum + line.length, place);
  const left = lines.map((line) => line.length);
  const credits = groups.map(() => 0);
  let calls = 0;
  for (let served = 0; served <= place; calls++) {
    const open = left.map((n) => n > 0);
    let pick = calls === 0 && nextGroup !== null && open[groups.indexOf(nextGroup)] ? groups.indexOf(nextGroup) : -1;
    if (pick === -1) {
      for (let g = 0; g < groups.length; g++) {
        if (open[g] && (pick === -1 || credits[g] + weights[g] > credits[pick] + weights[pick])) pick = g;
      }
    }
    const total = weights.reduce((sum, w, g) => sum + (open[g] ? w : 0), 0);
    credits.forEach((c, g) => { credits[g] = open[g] ? c + weights[g] - (g === pick ? total : 0) : 0; });
    left[pick] -= 1;
    if (pick === own) served += 1;
  }
  return calls - 1;
}

/** The group of ticket `number` in `record` (the kiosk record): the latest ticket of that number's, or null. */
export function ticketGroup(record, number) {
  const ticket = record.day.tickets.findLast((t) => t[0] === number);
  return ticket?.[GROUP_FIELD] ?? null;
}

/** How many tickets wait in each group of `dept` (a validated department), from `record`: [{ group, count }]. */
export function waitingByGroup(dept, record) {
  const waiting = record.day.tickets.filter((t) => t[4] === 'waiting');
  return dept.groups.map((group) => ({ group, count: waiting.filter((t) => t[GROUP_FIELD] === group.id).length }));
}

/**
 * A short label per group of `groups`, told apart within the department, in `language` (with
 * `text(names)` the name shown): the name's first letter, or its first two, or its place (1, 2…)
 * when names begin alike. The board shows it next to the icon, so that a group is never told by
 * colour alone. Returns a Map id -> label.
 */
export function shortLabels(groups, text) {
  const first = (group, n) => [...text(group.names).trim()].slice(0, n).join('').toLocaleUpperCase();
  for (const n of [1, 2]) {
    const labels = groups.map((group) => first(group, n));
    if (new Set(labels).size === labels.length && labels.every((label) => label !== '')) {
      return new Map(groups.map((group, i) => [group.id, labels[i]]));
    }
  }
  return new Map(groups.map((group, i) => [group.id, String(i + 1)]));
}
