// A department's queue rules in config.json: its groups (what a customer picks at the kiosk, with
// words and an icon in every language), their order, where a transferred ticket goes and the
// calls before a no-show. config-reading.js reads everything else, and reads these with this
// module's queueRules, handed to it as this module loads: it is not on the first screen's
// budget (tests/www/site-build.test.mjs), where no group is shown.
import { ID, isRecord, texts, useQueueRules } from './config-reading.js';

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

useQueueRules(queueRules);
