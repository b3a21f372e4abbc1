// The board's reading floor and the grid shapes it tries (www/js/model/board-pages.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { characterHeightMm, numberFloor, shapes, roomiest, layouts, SPANS, NUMBER_FLOOR_SHARE } from '../../www/js/model/board-pages.js';

test('the reading floor is 1 inch per 10 feet: 50 mm at 6 m, on a 50-inch screen 8% of its short side', () => {
  assert.equal(characterHeightMm(3048), 25.4);
  assert.ok(Math.abs(characterHeightMm(6000) - 50) < 0.1);
  assert.ok(Math.abs(NUMBER_FLOOR_SHARE - 50 / 623) < 0.001);
  // The short side counts, whichever way the screen is turned.
  assert.equal(numberFloor(1920, 1080), numberFloor(1080, 1920));
  assert.equal(numberFloor(3840, 2160), 2 * numberFloor(1920, 1080));
  assert.ok(numberFloor(1920, 1080) > 86 && numberFloor(1920, 1080) < 87);
});

test('the shapes tried for n tiles hold them all, with neither an empty row nor an empty column', () => {
  for (let n = 1; n <= 12; n++) {
    const found = shapes(n);
    assert.ok(found.some(({ cols }) => cols === 1) && found.some(({ rows }) => rows === 1), `${n}: one column and one row are tried`);
    for (const { cols, rows } of found) {
      assert.ok(cols * rows >= n, `${n} in ${cols}x${rows}`);
      assert.ok(cols * (rows - 1) < n, `${n} in ${cols}x${rows}: no empty row`);
      assert.ok((cols - 1) * rows < n, `${n} in ${cols}x${rows}: no empty column`);
    }
  }
  assert.deepEqual(shapes(5), [{ cols: 1, rows: 5 }, { cols: 2, rows: 3 }, { cols: 3, rows: 2 }, { cols: 5, rows: 1 }]);
});

test('counters go in the shape that gives them the most room: rows of them on a wide tile, a column on a tall one', () => {
  assert.deepEqual(roomiest({ width: 1200, height: 400, count: 6, aspect: 2 }), { cols: 3, rows: 2 });
  assert.deepEqual(roomiest({ width: 400, height: 1200, count: 6, aspect: 2 }), { cols: 1, rows: 6 });
  assert.deepEqual(roomiest({ width: 2400, height: 200, count: 6, aspect: 2 }), { cols: 6, rows: 1 });
  assert.deepEqual(roomiest({ width: 500, height: 500, count: 1, aspect: 2 }), { cols: 1, rows: 1 });
});

test('a page with a multi-counter tile also tries it over two or four cells, in grids with a cell for every cell taken', () => {
  const plain = layouts([0, 0, 0]);
  assert.deepEqual(plain.map(({ span }) => span), shapes(3).map(() => ({ cols: 1, rows: 1 })), 'no counters: one cell each');
  const mixed = layouts([6, 0, 0]);
  assert.deepEqual([...new Set(mixed.map(({ span }) => `${span.cols}x${span.rows}`))], SPANS.map(({ cols, rows }) => `${cols}x${rows}`));
  for (const { shape, span } of mixed) {
    const cells = 2 + span.cols * span.rows;
    assert.ok(shape.cols * shape.rows >= cells && shape.cols >= span.cols && shape.rows >= span.rows, `${cells} cells in ${shape.cols}x${shape.rows}`);
  }
  // Two side by side and one below: the 2x2 grid with the big tile across its top row.
  assert.ok(mixed.some(({ shape, span }) => shape.cols === 2 && shape.rows === 2 && span.cols === 2 && span.rows === 1));
  // A single counter is a number like any other: no span.
  assert.deepEqual(layouts([1, 0]).map(({ span }) => span), shapes(2).map(() => ({ cols: 1, rows: 1 })));
});
