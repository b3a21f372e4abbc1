// The printed ticket on each paper a facility may set (config.json's `printing.paper`): the
// page's size and margins, the receipt's width and type size on it, and, on a roll, a page as
// tall as the receipt, so that a roll printer feeds one short ticket and not a page's length
// of blank paper. No DOM: views/receipt-print.js measures the receipt and applies the sheet.

/**
 * The papers, by their name in config.json (config-reading.js names them again: keep both).
 * A roll's page is as wide as the roll; the receipt is as wide as what the usual printers of
 * that roll print on (72 mm of 80, 48 mm of 58), centred. A sheet keeps its own size, with the
 * receipt at the top, as wide as an 80 mm roll's would be and in a larger type, to cut out.
 * `size` is the CSS page size of a sheet (named: Chromium makes them exact in points); `label`
 * the key of the paper's name in i18n/<language>.json (the Settings view's choices).
 */
export const PAPERS = {
  '80mm': { name: '80mm', label: 'settings.paper.80mm', roll: true, width: 80, printable: 72, typePt: 10 },
  '58mm': { name: '58mm', label: 'settings.paper.58mm', roll: true, width: 58, printable: 48, typePt: 8 },
  a4: { name: 'a4', label: 'settings.paper.a4', roll: false, size: 'A4', width: 210, printable: 100, typePt: 12 },
  letter: { name: 'letter', label: 'settings.paper.letter', roll: false, size: 'letter', width: 215.9, printable: 100, typePt: 12 },
};

/** The paper when `printing` (config's) names none this page knows: the usual receipt roll. */
export const DEFAULT_PAPER = '80mm';

/** Blank paper above and below a receipt on a roll, in mm: room for the printer's cutter. */
const ROLL_EDGE = 4;
/** A sheet's margins, in mm: inside what office printers reach. */
const SHEET_MARGIN = 15;
/**
 * Added to a roll's page, in mm: the measured height is in CSS pixels and the page's size is
 * rounded to whole device pixels, and a page a hair too short would put the last line on a
 * second page.
 */
const SLACK = 1;
const MM_PER_PX = 25.4 / 96;

/** The paper of `printing` (`{ paper, auto }`, config's): one of PAPERS. */
export function paperOf(printing) {
  return Object.hasOwn(PAPERS, printing?.paper ?? '') ? PAPERS[printing.paper] : PAPERS[DEFAULT_PAPER];
}

/**
 * The CSS for printing on `paper` (one of PAPERS) a receipt `heightPx` CSS pixels tall: its
 * width and type size (under `<html data-receipt>`, as kiosk.css's receipt layout), and the
 * page. Without a height, the width and type size alone: what the receipt is measured in.
 */
export function receiptCss(paper, heightPx = null) {
  const receipt = `[data-receipt] #ticket { width: ${paper.printable}mm; font-size: ${paper.typePt}pt; }`;
  if (heightPx === null) return receipt;
  return `${receipt}\n@page { ${pageOf(paper, heightPx)} }`;
}

/** The `@page` declarations for `paper`: a roll's height from the receipt's, in whole tenths of a mm. */
export function pageOf(paper, heightPx) {
  if (!paper.roll) return `size: ${paper.size}; margin: ${SHEET_MARGIN}mm;`;
  const side = (paper.width - paper.printable) / 2;
  const height = Math.ceil((Math.max(0, heightPx) * MM_PER_PX + 2 * ROLL_EDGE + SLACK) * 10) / 10;
  return `size: ${paper.width}mm ${height}mm; margin: ${ROLL_EDGE}mm ${side}mm;`;
}
