// A group's words for staff: the name a department's configuration gives group `id` (config.groups:
// `[{ id, names: { en, es, … } }]`) in the window's language, or the id itself where it gives none.

/** Group `id` of department `config` in the words `text(names)` picks (PageLanguage's text). */
export function groupName(config, id, text) {
  const group = (config.groups ?? []).find((g) => g.id === id);
  const names = group?.names ?? group?.name;
  return (names && typeof names === 'object' ? text(names) : null) || id;
}

/** The ids of department `config`'s groups, in its order; none for a department without groups. */
export const groupIds = (config) => (config.groups ?? []).map((g) => g.id);
