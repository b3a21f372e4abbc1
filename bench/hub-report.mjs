// The table the hub's benchmarks (bench/hub.mjs, bench/follow.mjs) print and save: one row per
// figure against its target, and target/bench/<name>.json for the summary table.
import { cpus } from 'node:os';
import { mkdir, writeFile } from 'node:fs/promises';

/** Prints `rows` ({ figure, measured, target, pass: true | false | null }) under `title` and saves them as `name`.json. */
export async function report(name, title, rows) {
  const header = `take-a-number-deluxe ${title}, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, nats-server on loopback`;
  const width = Math.max(...rows.map((r) => r.figure.length));
  const mwidth = Math.max(...rows.map((r) => r.measured.length));
  console.log(`\n${header}\n`);
  for (const r of rows) {
    const verdict = r.pass === null ? 'info' : r.pass ? 'pass' : 'MISS';
    console.log(`${r.figure.padEnd(width)}  ${r.measured.padEnd(mwidth)}  ${r.target.padEnd(16)}  ${verdict}`);
  }
  await mkdir(new URL('../target/bench/', import.meta.url), { recursive: true });
  await writeFile(new URL(`../target/bench/${name}.json`, import.meta.url), JSON.stringify({ header, rows }, null, 2));
}
