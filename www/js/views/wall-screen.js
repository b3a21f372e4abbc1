// A board on a wall: `#board` shows the board alone, nothing a screen nobody touches has use for
// (the page's header with its navigation and language switch, the sound switch) and no mouse
// pointer. A tap, a key or a moved mouse brings the controls back over the board (so nothing
// under them moves) for staff: the language, the sound; they go again after a quiet while.
// kiosk.css does the showing and hiding, from the marks on <body> this module sets.

/** How long the controls stay after the last touch, key or mouse move. */
export const CONTROLS_MS = 10_000;

/**
 * Marks `doc.body` as a wall screen while `frame` (views/frame.js) shows the board
 * (`data-wall`), and as showing its controls for CONTROLS_MS after each activity
 * (`data-controls`). A tap while they are away only brings them: it does not also press
 * whatever comes up under the finger.
 */
export function mountWallScreen({ doc, frame, timers = doc.defaultView }) {
  const { body } = doc;
  let timer = null;
  let swallow = false; // the click of a tap that only brought the controls
  const isWall = () => body.dataset.wall !== undefined;
  const close = () => {
    timers.clearTimeout(timer);
    timer = null;
    delete body.dataset.controls;
  };
  const open = () => {
    if (!isWall()) return;
    body.dataset.controls = 'open';
    timers.clearTimeout(timer);
    timer = timers.setTimeout(close, CONTROLS_MS);
  };
  frame.subscribe((route) => {
    if (route.view === 'board') body.dataset.wall = 'true';
    else {
      delete body.dataset.wall;
      close();
    }
  });
  const capture = { capture: true, passive: true };
  doc.addEventListener('pointerdown', () => {
    swallow = isWall() && body.dataset.controls === undefined;
    open();
  }, capture);
  // Only the click of that very tap: a press that never became a click (a long press, a
  // cancelled touch) leaves nothing behind, and a click from the keyboard (detail 0) is never
  // one to swallow.
  const forget = () => { swallow = false; };
  doc.addEventListener('pointercancel', forget, capture);
  doc.addEventListener('contextmenu', forget, capture);
  doc.addEventListener('click', (event) => {
    if (!swallow || event.detail === 0) return;
    swallow = false;
    event.preventDefault();
    event.stopPropagation();
  }, { capture: true });
  doc.addEventListener('keydown', () => { forget(); open(); }, capture);
  doc.addEventListener('pointermove', open, capture);
}
