// A validated configuration back in config.json's shape: what the Settings view edits and
// exports (model/settings-form.js). Apart from config.js, which the first screen loads.

/**
 * `config` (validated) back in the shape of config.json, for export and for editing: texts by
 * language, seconds rather than milliseconds, null for "never". `validate` reads it back the same.
 */
export function toRaw(config) {
  const sameOpening = (a, b) => a === b || (a !== null && b !== null && a.time === b.time && a.timeZone === b.timeZone && a.waiting === b.waiting);
  return {
    facility: { ...config.facilityNames },
    language: config.language,
    languages: [...config.languages],
    ...(config.callOutLanguages === null ? {} : { callOutLanguages: [...config.callOutLanguages] }),
    ...(config.timeZone === undefined ? {} : { timeZone: config.timeZone }),
    ...(config.opening === null ? {} : { opening: { ...config.opening } }),
    ticketSeconds: config.ticketMs / 1000,
    staff: { lockAfterSeconds: config.staff.lockAfterMs / 1000 },
    printing: { ...config.printing },
    ...(config.hub === null ? {} : { hub: { url: config.hub.urls.length === 1 ? config.hub.urls[0] : [...config.hub.urls] } }),
    departments: config.departments.map((d) => ({
      id: d.id,
      name: { ...d.names },
      minNumber: d.minNumber,
      maxNumber: d.maxNumber,
      autoShutdownTimeout: d.autoShutdownTimeout === Infinity ? null : d.autoShutdownTimeout,
      // A department's own opening only where it is not the facility's (null: none of its own).
      ...(sameOpening(d.opening, config.opening) ? {} : { opening: d.opening && { ...d.opening } }),
      colour: d.colour,
      counters: [...d.counters],
      ...queueRulesRaw(d),
    })),
  };
}

/** A department's queue rules back in config.json's shape, only those it has (config-reading.js). */
function queueRulesRaw({ groups = [], order = 'strict', placement = 'back', callsBeforeNoShow = 1 }) {
  return {
    ...(groups.length === 0 ? {} : {
      groups: groups.map(({ id, names, descriptions, icon, weight }) => ({
        id,
        name: { ...names },
        ...(descriptions === null ? {} : { description: { ...descriptions } }),
        icon,
        ...(order === 'ratio' ? { weight } : {}),
      })),
      order,
    }),
    ...(placement === 'back' ? {} : { transfers: { placement } }),
    ...(callsBeforeNoShow === 1 ? {} : { callsBeforeNoShow }),
  };
}
