// How the board shares its screen among the departments, without the DOM: the size a number
// must keep to be read across the room, and the grid shapes to try. views/board-fit.js
// measures the real tiles in them and cuts the pages.

/**
 * The reading rule: the sign makers' rule of thumb of 1 inch of letter height per 10 feet of
 * viewing distance (25.4 mm per 3048 mm, distance / 120), on the height of a capital or a digit.
 * At 6 m: 50 mm.
 */
export const READING_DISTANCE_MM = 6000;
export const characterHeightMm = (distanceMm) => (distanceMm * 25.4) / 3048;
/**
 * The smallest screen we expect across a 6 m room: 50 inches, 16:9, whose short side is
 * 50 x 25.4 x 9 / sqrt(16² + 9²) = 623 mm. A bigger screen only makes the numbers bigger; on a
 * smaller one the floor holds for a shorter room (a 43-inch screen: 5.2 m).
 */
export const SHORT_SIDE_MM = (50 * 25.4 * 9) / Math.hypot(16, 9);
/** The digits' ink height, as a share of the screen's short side: 50 / 623 = 8.0%. */
export const NUMBER_FLOOR_SHARE = characterHeightMm(READING_DISTANCE_MM) / SHORT_SIDE_MM;

/** The least ink height (px) of a number on a screen of `width` x `height` px. */
export const numberFloor = (width, height) => NUMBER_FLOOR_SHARE * Math.min(width, height);

/**
 * The grid shapes for `count` tiles on one page: every number of columns that leaves neither
 * an empty row nor an empty column, as { cols, rows }.
 */
export function shapes(count) {
  const found = [];
  for (let cols = 1; cols <= count; cols++) {
    const rows = Math.ceil(count / cols);
    if ((cols - 1) * rows < count) found.push({ cols, rows });
  }
  return found;
}

/**
 * The shape that gives `count` boxes of `aspect` (width / height) the most room in a
 * `width` x `height` area (gaps left out): { cols, rows }. For the counters inside a tile.
 */
export function roomiest({ width, height, count, aspect }) {
  let best = { cols: 1, rows: count, scale: -1 };
  for (const { cols, rows } of shapes(count)) {
    const scale = Math.min(width / cols / aspect, height / rows);
    if (scale > best.scale) best = { cols, rows, scale };
  }
  return { cols: best.cols, rows: best.rows };
}

/**
 * What a tile with more than one counter may take in the grid, so that its numbers need not
 * shrink to a single cell: one cell, two side by side, two stacked, or four.
 */
export const SPANS = [{ cols: 1, rows: 1 }, { cols: 2, rows: 1 }, { cols: 1, rows: 2 }, { cols: 2, rows: 2 }];

/**
 * The layouts to try for a page of tiles, given each tile's number of counters: a span for the
 * tiles with more than one (the others take a cell each), and a grid shape with a cell for each
 * cell they take, as { shape: { cols, rows }, span: { cols, rows } }.
 */
export function layouts(counters) {
  const big = counters.filter((count) => count > 1).length;
  const found = [];
  for (const span of big > 0 ? SPANS : SPANS.slice(0, 1)) {
    const cells = counters.length - big + big * span.cols * span.rows;
    for (const shape of shapes(cells)) {
      if (shape.cols >= span.cols && shape.rows >= span.rows) found.push({ shape, span });
    }
  }
  return found;
}
