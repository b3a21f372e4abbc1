// The printed ticket's paper without a browser (www/js/model/receipt.js): the papers a facility
// may set, read from config.json the same as the table has them, and the page each one prints
// on, a roll's as tall as the receipt measured. tests/e2e/print.test.mjs checks Chromium's PDFs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PAPERS, DEFAULT_PAPER, paperOf, pageOf, receiptCss } from '../../www/js/model/receipt.js';
import { read } from '../../www/js/model/config-reading.js';
import { toRaw } from '../../www/js/model/config-raw.js';
import { shipped } from '../support/www-files.mjs';

const PX_PER_MM = 96 / 25.4;
const withPrinting = (printing) => read({ ...structuredClone(shipped), printing });
const keys = (found) => found.map((p) => [p.path.join('.'), p.key]);

test('config.json takes exactly the papers of the table, an 80 mm roll and no automatic printing by default', () => {
  assert.deepEqual(read(shipped).config.printing, { paper: DEFAULT_PAPER, auto: false });
  assert.equal(DEFAULT_PAPER, '80mm');
  for (const name of Object.keys(PAPERS)) {
    for (const auto of [true, false]) {
      const { config, problems } = withPrinting({ paper: name, auto });
      assert.deepEqual(problems, [], name);
      assert.deepEqual(config.printing, { paper: name, auto }, name);
      assert.equal(paperOf(config.printing), PAPERS[name]);
      assert.equal(PAPERS[name].name, name);
      assert.deepEqual(toRaw(config).printing, { paper: name, auto }, 'written back as read');
    }
  }
  // The reader names the papers again (it is on the first screen; the table is not): near misses.
  for (const paper of ['A4', 'Letter', '80', '80 mm', '57mm', 'a4 ', 'a5', '', null, 80]) {
    assert.deepEqual(keys(withPrinting({ paper }).problems), [['printing.paper', 'config.problem.paper']], String(paper));
  }
  assert.deepEqual(keys(withPrinting({ auto: 1 }).problems), [['printing.auto', 'config.problem.print-auto']]);
  assert.deepEqual(keys(withPrinting([]).problems), [['printing', 'config.problem.printing']]);
  assert.deepEqual(withPrinting({ auto: true }).config.printing, { paper: '80mm', auto: true }, 'a field left out is its default');
  assert.deepEqual(withPrinting(null).problems, []);
});

test('an unknown paper prints on the usual roll', () => {
  assert.equal(paperOf(undefined), PAPERS['80mm']);
  assert.equal(paperOf({ paper: 'a5' }), PAPERS['80mm']);
  assert.equal(paperOf({ paper: 'toString' }), PAPERS['80mm']);
});

test('a roll\'s page is the roll\'s width, the receipt centred on what the printer reaches, as tall as the receipt', () => {
  assert.equal(pageOf(PAPERS['80mm'], 100 * PX_PER_MM), 'size: 80mm 109mm; margin: 4mm 4mm;');
  assert.equal(pageOf(PAPERS['58mm'], 100 * PX_PER_MM), 'size: 58mm 109mm; margin: 4mm 5mm;');
  for (const paper of Object.values(PAPERS).filter((p) => p.roll)) {
    // The printable width: 72 mm of 80, 48 of 58.
    assert.equal(paper.printable, paper.width - 8 - (paper.width === 58 ? 2 : 0));
    for (const mm of [20, 61.37, 133.333, 400]) {
      const [, width, height] = /^size: ([\d.]+)mm ([\d.]+)mm;/.exec(pageOf(paper, mm * PX_PER_MM));
      assert.equal(Number(width), paper.width);
      // Room for the receipt, its edges and a millimetre of slack; never a tenth more.
      assert.ok(Number(height) >= mm + 9 - 1e-9 && Number(height) < mm + 9.1 + 1e-9, `${paper.name}: ${mm} mm -> ${height}`);
      assert.match(height, /^\d+(\.\d)?$/, 'whole tenths of a millimetre');
    }
  }
  assert.equal(pageOf(PAPERS['80mm'], -5), 'size: 80mm 9mm; margin: 4mm 4mm;', 'nothing measured: the edges alone');
});

test('a sheet keeps its own size, with the receipt at the top', () => {
  assert.equal(pageOf(PAPERS.a4, 1234), 'size: A4; margin: 15mm;');
  assert.equal(pageOf(PAPERS.letter, 99), 'size: letter; margin: 15mm;');
});

test('the receipt is laid out at the printable width before it is measured, and printed with its page', () => {
  assert.equal(receiptCss(PAPERS['58mm']), '[data-receipt] #ticket { width: 48mm; font-size: 8pt; }');
  assert.equal(receiptCss(PAPERS['80mm'], 100 * PX_PER_MM),
    '[data-receipt] #ticket { width: 72mm; font-size: 10pt; }\n@page { size: 80mm 109mm; margin: 4mm 4mm; }');
  assert.match(receiptCss(PAPERS.a4, 10), /width: 100mm; font-size: 12pt; }\n@page \{ size: A4; margin: 15mm; \}$/);
});
