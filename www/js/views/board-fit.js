// The board on whatever screen it is given: the tiles share the board's area in a grid whose
// shape is chosen by measuring the real tiles, so that nothing overflows and every number keeps
// the reading floor (model/board-pages.js); when one page of all departments cannot, each page
// takes as many as it can, in its own shape (a department with several counters may take two or
// four cells), and the pages turn by themselves, "Page 1 of 2" on screen. CSS sizes each tile's text from the tile (container units); this only picks the
// shapes and the pages.
import { numberFloor, layouts, roomiest } from '../model/board-pages.js';

/** How long a page stays up: long enough to find one's number on it. */
export const PAGE_MS = 12_000;
/** Slack for rounding in the browser's box sizes, px. */
const SLACK = 1;

/**
 * @param grid      the tiles' grid (#board), sized by the page to the board's area
 * @param pageLine  where "Page 1 of 2" goes
 * @param i18n      the page's texts
 * @returns { place(tiles), changed(), relabel() }: `place` takes a new list of tiles (each
 *          { article, now, open, counters: count }); `changed` after their contents changed;
 *          `relabel` after the language changed
 */
export function mountBoardFit({ grid, pageLine, i18n }) {
  const win = grid.ownerDocument.defaultView;
  const font = fontOf(grid);
  grid.style.setProperty('--digit-em', String(font.digitEm));
  let tiles = [];
  let pages = []; // [{ tiles, shape: { cols, rows }, span: { cols, rows } }]
  let page = 0;
  let turner = null;
  let fitted = false; // the layout in use met the floor without overflow when it was chosen
  let pending = false;

  /**
   * Each shown tile: whether it and its numbers fit, and its numbers' smallest ink height (none:
   * Infinity); and whether the grid holds them all.
   */
  const measureTiles = () => {
    const held = grid.scrollHeight <= grid.clientHeight + SLACK && grid.scrollWidth <= grid.clientWidth + SLACK;
    return {
      held,
      tiles: (pages[page]?.tiles ?? []).map((tile) => {
        const { article } = tile;
        let fits = article.scrollHeight <= article.clientHeight + SLACK && article.scrollWidth <= article.clientWidth + SLACK;
        let smallest = Infinity;
        for (const number of article.querySelectorAll('.board-number:not([hidden]), .board-counter-number')) {
          // Across only: a line box of 1 em is shorter than the font's ascent and descent, not its digits.
          if (number.scrollWidth > number.clientWidth + SLACK) fits = false;
          // "Closed" must fit too, but has no floor; a dash stands where a number will be.
          if (!number.classList.contains('board-word')) smallest = Math.min(smallest, parseFloat(win.getComputedStyle(number).fontSize) * font.ink);
        }
        return { tile, fits, smallest, box: article.getBoundingClientRect() };
      }),
    };
  };

  /** The numbers' smallest ink height, and whether the page fits. */
  const measure = () => {
    const { held, tiles: shown } = measureTiles();
    return { fits: held && shown.every(({ fits }) => fits), smallest: Math.min(...shown.map(({ smallest }) => smallest)) };
  };

  /** Counters in each shown tile, in the shape that gives their numbers the most room. */
  const arrangeCounters = () => {
    const shown = (pages[page]?.tiles ?? []).filter((tile) => tile.counters > 0);
    const boxes = shown.map((tile) => tile.now.getBoundingClientRect());
    shown.forEach((tile, i) => {
      const digits = Number(tile.article.style.getPropertyValue('--digits')) || 3;
      // A counter's box: its number (a line of digits) over its label (about a fifth of it).
      const aspect = (digits * font.digitEm + 0.4) / 1.3;
      const { cols, rows } = roomiest({ width: boxes[i].width, height: boxes[i].height, count: tile.counters, aspect });
      tile.open.style.setProperty('--counter-cols', String(cols));
      tile.open.style.setProperty('--counter-rows', String(rows));
    });
  };

  const relabel = () => {
    pageLine.hidden = pages.length < 2;
    pageLine.textContent = i18n.t('board.page', { page: page + 1, pages: pages.length });
  };

  /** Shows page `index` (its label too, unless `quietly`: while shapes are being tried). */
  const show = (index, quietly = false) => {
    page = index;
    const { tiles: on, shape, span } = pages[page];
    grid.style.setProperty('--cols', String(shape.cols));
    grid.style.setProperty('--rows', String(shape.rows));
    for (const tile of tiles) {
      tile.article.hidden = !on.includes(tile);
      const { cols, rows } = tile.counters > 1 ? span : { cols: 1, rows: 1 };
      tile.article.style.setProperty('--span-cols', String(cols));
      tile.article.style.setProperty('--span-rows', String(rows));
    }
    arrangeCounters();
    if (!quietly) relabel();
  };

  /**
   * Page after page, as many tiles as fit, in the layout (the grid's shape, and the cells a tile
   * with counters spans) that gives them the biggest numbers. Laying a page out costs the
   * browser a layout, so a layout in which some tile would get no more room than it already
   * failed in is not tried.
   */
  const fit = () => {
    win.clearInterval(turner);
    if (tiles.length === 0 || grid.clientWidth === 0) return; // not on screen: fitted when shown
    const floor = numberFloor(win.innerWidth, win.innerHeight);
    const area = { width: grid.clientWidth, height: grid.clientHeight };
    const style = win.getComputedStyle(grid);
    const gap = { cols: parseFloat(style.columnGap) || 0, rows: parseFloat(style.rowGap) || 0 };
    const failed = new Map(); // tile -> the boxes it did not fit in
    const room = (tile, { shape, span }) => cellOf(area, gap, shape, tile.counters > 1 ? span : { cols: 1, rows: 1 });
    const doomed = (tile, box) => (failed.get(tile) ?? []).some((no) => box.width <= no.width + SLACK && box.height <= no.height + SLACK);
    const plan = [];
    fitted = true;
    for (let start = 0; start < tiles.length;) {
      let chosen = null;
      let fallback = null; // one tile, its biggest numbers, if even that falls short
      for (let count = tiles.length - start; count >= 1 && chosen === null; count--) {
        const group = tiles.slice(start, start + count);
        for (const layout of layouts(group.map((tile) => tile.counters))) {
          if (count > 1 && group.some((tile) => doomed(tile, room(tile, layout)))) continue;
          pages = [{ tiles: group, ...layout }];
          show(0, true);
          const { held, tiles: shown } = measureTiles();
          for (const { tile, fits, smallest, box } of shown) {
            if (!fits || smallest < floor) failed.set(tile, [...(failed.get(tile) ?? []), box]);
          }
          const smallest = Math.min(...shown.map((one) => one.smallest));
          const result = { ...pages[0], smallest };
          if (held && shown.every((one) => one.fits) && smallest >= floor && (chosen === null || smallest > chosen.smallest)) chosen = result;
          if (count === 1 && (fallback === null || smallest > fallback.smallest)) fallback = result;
        }
      }
      if (chosen === null) fitted = false;
      plan.push(chosen ?? fallback);
      start += plan.at(-1).tiles.length;
    }
    pages = plan;
    show(0);
    // A page's contents may have changed while another was shown: checked as it comes up.
    if (pages.length > 1) turner = win.setInterval(() => { show((page + 1) % pages.length); changed(); }, PAGE_MS);
  };

  /** A tile's contents changed (a counter opened, a language's longer words): still fits? */
  function changed() {
    if (pending) return;
    pending = true;
    win.setTimeout(() => {
      pending = false;
      if (tiles.length === 0 || grid.clientWidth === 0 || !fitted) return;
      const { fits, smallest } = measure();
      if (!fits || smallest < numberFloor(win.innerWidth, win.innerHeight)) fit();
    }, 0);
  }

  // The board's area changes with the window, and from nothing when the board is shown.
  new win.ResizeObserver(() => fit()).observe(grid);

  return {
    place(list) {
      tiles = list;
      pages = [];
      page = 0;
      fit();
    },
    changed,
    relabel,
  };
}

/** The box a tile spanning `span` cells gets in `area` cut into `shape`, gaps between. */
function cellOf(area, gap, shape, span) {
  const col = (area.width - (shape.cols - 1) * gap.cols) / shape.cols;
  const row = (area.height - (shape.rows - 1) * gap.rows) / shape.rows;
  return { width: span.cols * col + (span.cols - 1) * gap.cols, height: span.rows * row + (span.rows - 1) * gap.rows };
}

/**
 * The board's font, measured once: how tall its digits' ink is and how wide its widest digit
 * is, per em, so that CSS can size a number to its box and the floor can be checked.
 */
function fontOf(node) {
  const context = node.ownerDocument.createElement('canvas').getContext('2d');
  context.font = `800 100px ${node.ownerDocument.defaultView.getComputedStyle(node).fontFamily}`;
  const all = context.measureText('0123456789');
  const digitEm = Math.max(...[...'0123456789'].map((d) => context.measureText(d).width)) / 100;
  return { ink: (all.actualBoundingBoxAscent + all.actualBoundingBoxDescent) / 100, digitEm };
}
