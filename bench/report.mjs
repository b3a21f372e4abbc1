// The table every benchmark script prints and saves (bench/run.mjs, bench/hub.mjs,
// bench/follow.mjs): one row per figure against its target, and target/bench/<name>.json for
// the summary table.
import { cpus } from 'node:os';
import { mkdir, writeFile } from 'node:fs/promises';

/** The machine and the day a table was measured on, for its header. */
export const measuredOn = () => `${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;

/**
 * Prints `rows` ({ figure, measured, target, pass: true | false | null }) under `header`, the
 * targets in a column `targetWidth` wide, and saves both as target/bench/`name`.json.
 */
export async function report(name, header, rows, { targetWidth = 16 } = {}) {
  const width = Math.max(...rows.map((r) => r.figure.length));
  const mwidth = Math.max(...rows.map((r) => r.measured.length));
  console.log(`\n${header}\n`);
  for (const r of rows) {
    const verdict = r.pass === null ? 'info' : r.pass ? 'pass' : 'MISS';
    console.log(`${r.figure.padEnd(width)}  ${r.measured.padEnd(mwidth)}  ${r.target.padEnd(targetWidth)}  ${verdict}`);
  }
  await mkdir(new URL('../target/bench/', import.meta.url), { recursive: true });
  await writeFile(new URL(`../target/bench/${name}.json`, import.meta.url), JSON.stringify({ header, rows }, null, 2));
}
