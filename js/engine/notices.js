// Notices for staff: what went wrong that nobody asked about (a save that failed, a record that
// could not be read). A kiosk runs all day, so only the newest are kept.

/** Notices kept; older ones drop off. */
export const MAX_NOTICES = 20;

/** `notices` with `{ at, text }` added, keeping the newest MAX_NOTICES. */
export function withNotice(notices, text, at) {
  return [...notices, { at, text }].slice(-MAX_NOTICES);
}
