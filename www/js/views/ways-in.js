// The quiet ways into the staff view (no "Staff" link for customers: SECURITY.md): Ctrl+Alt+S,
// or holding the facility's name in the header (touch screens).

/** How long the facility name must be held to open the staff view. */
export const HOLD_MS = 3000;

/** Makes `title` (the header's facility name, #facility) and the keyboard open #staff. */
export function mountWaysIn({ title, win = window }) {
  const openStaff = () => { if (win.location.hash !== '#staff') win.location.hash = '#staff'; };
  win.document.addEventListener('keydown', (event) => {
    // event.code, not key: with Ctrl+Alt (AltGr on many layouts) `key` may be another letter.
    if (event.ctrlKey && event.altKey && !event.shiftKey && !event.metaKey && event.code === 'KeyS') {
      event.preventDefault();
      openStaff();
    }
  });
  let hold = null;
  const release = () => { win.clearTimeout(hold); hold = null; };
  title.addEventListener('pointerdown', (event) => {
    if (!event.isPrimary) return;
    release();
    hold = win.setTimeout(openStaff, HOLD_MS);
  });
  for (const type of ['pointerup', 'pointercancel', 'pointerleave']) title.addEventListener(type, release);
  title.addEventListener('contextmenu', (event) => event.preventDefault()); // a touch hold opens no menu
}
