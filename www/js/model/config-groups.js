// A department's queue rules in config.json: its groups (what a customer picks at the kiosk, with
// words and an icon in every language), their order, where a transferred ticket goes and the
// calls before a no-show; and the daily opening, the facility's or a department's. config-reading.js reads everything else, and reads these with this
// module's queueRules, handed to it as this module loads: it is not on the first screen's
// budget (tests/www/site-build.test.mjs), where no group is shown.
import { ID, isRecord, texts, useReaders } from './config-reading.js';

/** The icons a group may show (views/group-icons.js draws each, inline; config.problem.group-icon lists them). */
export const GROUP_ICONS = 'person priority elderly pregnant accessible child appointment info'.split(' ');

/**
 * Department `d`'s queue rules: `groups` (none, or 2 to 16, each `{ id, names, descriptions
 * (null when none), icon, weight }`), their `order` ('strict': first listed first; 'ratio': by
 * `weight`, 1 by default), `placement` of a ticket transferred in ('back' or 'taken') and
 * `callsBeforeNoShow`. model/queue-rules.js turns them into the engine's configuration.
 */
export function queueRules(d, at, language, check) {
  const { groups: list = [], order = 'strict', transfers = {}, callsBeforeNoShow = 1 } = d;
  const ordered = /^(strict|ratio)$/.test(order);
  const ids = new Set();
  const groups = check(Array.isArray(list) && list.length !== 1 && list.length < 17, at('groups'), 'groups') ? list.map((g, i) => {
    const of = (field) => [...at('groups'), i, ...(field ? [field] : [])];
    if (!check(isRecord(g), of(), 'group', { number: i + 1 })) return null;
    if (check(typeof g.id === 'string' && ID.test(g.id), of('id'), 'id')) check(!ids.has(g.id), of('id'), 'group-twice', { id: g.id });
    ids.add(g.id);
    const names = check(g.name !== undefined, of('name'), 'name-missing') ? texts(g.name, of('name'), language, check) : {};
    const descriptions = g.description === undefined ? null : texts(g.description, of('description'), language, check);
    check(GROUP_ICONS.includes(g.icon), of('icon'), 'group-icon');
    const { weight = 1 } = g;
    // Checked against a known order only: a wrong order is its own one problem.
    check(g.weight === undefined || !ordered || (order === 'ratio' && Number.isInteger(weight) && weight > 0 && weight < 1001), of('weight'), 'group-weight');
    return { id: g.id, names, descriptions, icon: g.icon, weight };
  }) : [];
  check(ordered, at('order'), 'order');
  const placement = isRecord(transfers) ? transfers.placement ?? 'back' : null;
  check(placement === 'back' || placement === 'taken', at('transfers'), 'placement');
  check(Number.isInteger(callsBeforeNoShow) && callsBeforeNoShow > 0 && callsBeforeNoShow < 101, at('callsBeforeNoShow'), 'no-show-calls');
  return { groups, order, placement, callsBeforeNoShow };
}


/**
 * A daily opening at `path` (the queue starts the day afresh: js/engine/opening.js), its fields
 * over those of `base` (the facility's, for a department's), the time zone the facility's when it
 * names none: `{ time, timeZone, waiting }`. `facility`: the facility's, whose time zone this
 * checks too. Null when there is none, or when it is wrong. `null`
 * says none (a department of a facility that has one), left out the facility's.
 */
export function openingOf(value, base, path, zone, check, facility = false) {
  // The facility's own time zone is checked with its opening (whose zone it is by default).
  if (facility) check(zone === undefined || isTimeZone(zone), ['timeZone'], 'time-zone');
  if (value === undefined) return base;
  if (value === null || !check(isRecord(value), path, 'opening')) return null;
  const { time, timeZone, waiting } = { timeZone: zone, waiting: 'clear', ...base, ...value };
  const good = [
    check(typeof time === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(time), [...path, 'time'], 'opening-time'),
    check(isTimeZone(timeZone), [...path, 'timeZone'], 'opening-time-zone'),
    check(waiting === 'clear' || waiting === 'keep', [...path, 'waiting'], 'opening-waiting'),
  ];
  return good.every(Boolean) ? { time, timeZone, waiting } : null;
}


/** Whether `name` is a time zone this browser knows. */
function isTimeZone(name) {
  if (typeof name !== 'string') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

useReaders({ openingOf, queueRules });
