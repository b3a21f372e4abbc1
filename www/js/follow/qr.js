// The QR code of a follow address, drawn on the device: no outside service ever sees a ticket.
// lean-qr's "nano" build encodes (2 kB gzipped; the size comparison is in docs/follow.md); this
// module only draws its modules as SVG, with DOM calls (the page's CSP allows no inline style),
// black on white whatever the page's colours, with the quiet zone scanners need.
import { generate, correction } from 'lean-qr/nano';

const SVG = 'http://www.w3.org/2000/svg';
/** The standard's quiet zone: four modules of white on every side. */
export const QUIET_ZONE = 4;

/**
 * An `<svg>` of `doc` showing `text` as a QR code (error correction M or better: a ticket in a
 * pocket gets creased). It scales to whatever size CSS gives it and stays sharp, one unit per
 * module. Throws a RangeError when `text` does not fit in a QR code, a TypeError when it is
 * not a text.
 */
export function qrSvg(doc, text) {
  if (typeof text !== 'string' || text === '') throw new TypeError('a QR code needs a text');
  let code;
  try {
    code = generate(text, { minCorrectionLevel: correction.M });
  } catch (error) {
    throw new RangeError(`this text is too long for a QR code (${text.length} characters; ${error.message})`);
  }
  const side = code.size + 2 * QUIET_ZONE;
  const svg = doc.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${side} ${side}`);
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.setAttribute('class', 'qr-code');
  const background = doc.createElementNS(SVG, 'rect');
  background.setAttribute('width', String(side));
  background.setAttribute('height', String(side));
  background.setAttribute('fill', '#fff');
  const modules = doc.createElementNS(SVG, 'path');
  modules.setAttribute('d', pathOf(code));
  modules.setAttribute('fill', '#000');
  svg.append(background, modules);
  return svg;
}

/** One path for every dark module, a rectangle per run of them in a row (a third the size). */
function pathOf(code) {
  const parts = [];
  for (let y = 0; y < code.size; y++) {
    for (let x = 0; x < code.size; x++) {
      if (!code.get(x, y)) continue;
      const start = x;
      while (x + 1 < code.size && code.get(x + 1, y)) x++;
      parts.push(`M${start + QUIET_ZONE} ${y + QUIET_ZONE}h${x - start + 1}v1h${start - x - 1}z`);
    }
  }
  return parts.join('');
}
