// Which view the address asks for, and which part of the page shows it. No DOM here: the page's
// frame (views/page.js) shows the section this module names, and Node tests read the table.

/**
 * The views, by the name in the address (#board); `figures` and `settings` live in the staff
 * view; nothing links to `hub-setup`.
 */
export const VIEWS = Object.freeze(['customer', 'board', 'staff', 'figures', 'settings', 'hub-setup']);

/**
 * The forgotten-PIN reset's address (views/staff-lock.js). Nothing links to it: see SECURITY.md.
 * It lives here so that the page knows its views before the staff lock's code has loaded.
 */
export const RESET_HASH = '#reset-staff-pin';

/** The section (`#view-<section>`) that holds each view: the day's figures and the settings are staff pages. */
const SECTION_OF = Object.freeze({
  customer: 'customer', board: 'board', staff: 'staff', figures: 'staff', settings: 'staff', 'hub-setup': 'hub-setup',
});

/** The view whose sound switch decides whether a window showing each view speaks (null: silent). */
const SOUND_OF = Object.freeze({ board: 'board', staff: 'staff', figures: 'staff', settings: 'staff' });

/** The sections, each a `#view-<name>` of index.html. */
export const SECTIONS = Object.freeze([...new Set(Object.values(SECTION_OF))]);

/** The view the address asks for: `#board` → 'board'; the forgotten-PIN reset is in the staff view. */
export function viewOf(hash) {
  if (hash === RESET_HASH) return 'staff';
  const wanted = hash.slice(1);
  return VIEWS.includes(wanted) ? wanted : 'customer';
}

/**
 * Where the address `hash` leads: `{ view, section, sound }`: the view's name, the section that
 * holds it, and the view whose sound switch counts there (null where the window stays silent).
 */
export function routeOf(hash) {
  const view = viewOf(hash);
  return { view, section: SECTION_OF[view], sound: SOUND_OF[view] ?? null };
}

