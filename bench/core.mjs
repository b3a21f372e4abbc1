// The JS benchmark scenarios, shared by Node (bench/run.mjs) and Chromium (bench/browser.html).
// The wasm Machine and the plain-JS baseline run the same scenario in alternating order, round
// after round, so both see the same machine state (JIT warm-up, GC pressure, CPU clock).

const now = () => performance.now();
// Collect garbage before each timed run when the runtime allows it (node --expose-gc,
// Chromium --js-flags=--expose-gc): otherwise a collection left over from the previous run
// lands in whichever run comes next, and pipelined runs of 20,000 promises swing by 2x.
const collect = () => globalThis.gc?.();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const BIG = Number.MAX_SAFE_INTEGER;

/** Nanoseconds per call of `op`, `n` calls, fired at once and then awaited together. */
async function pipelined(machine, n, op) {
  const calls = new Array(n);
  collect();
  const t0 = now();
  for (let i = 0; i < n; i++) calls[i] = op(machine, i);
  await Promise.all(calls);
  return ((now() - t0) * 1e6) / n;
}

/** Nanoseconds per call of `op`, `n` calls, each awaited before the next. */
async function awaited(machine, n, op) {
  collect();
  const t0 = now();
  for (let i = 0; i < n; i++) await op(machine, i);
  return ((now() - t0) * 1e6) / n;
}

const take = (m) => m.queueNewNumber();
const serve = (m) => m.serveNextQueuedNumber();
const report = (m) => m.reportState();

/** The per-call scenarios: [name, setup(Machine) -> machine, op]. */
function perCallScenarios(n) {
  return [
    ['queueNewNumber', (M) => new M({ minNumber: 1, maxNumber: BIG }), take],
    ['serveNextQueuedNumber', async (M) => {
      const m = new M({ minNumber: 1, maxNumber: BIG });
      await Promise.all(Array.from({ length: n }, () => m.queueNewNumber()));
      return m;
    }, serve],
    ['reportState (10 queued)', async (M) => {
      const m = new M({ minNumber: 1, maxNumber: BIG });
      await Promise.all(Array.from({ length: 10 }, () => m.queueNewNumber()));
      return m;
    }, report],
  ];
}

/**
 * Per-call cost of the wasm Machine against the baseline: for each scenario and mode, the
 * median ns per call of each over `rounds` interleaved rounds, and the median per-round ratio.
 */
export async function perCall({ Machine, JsMachine, rounds = 15, n = 20_000 }) {
  const results = [];
  for (const [name, setup, op] of perCallScenarios(n)) {
    for (const [mode, run] of [['pipelined', pipelined], ['awaited', awaited]]) {
      const samples = { wasm: [], js: [] };
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? ['wasm', 'js'] : ['js', 'wasm'];
        for (const who of order) {
          const M = who === 'wasm' ? Machine : JsMachine;
          const machine = await setup(M);
          samples[who].push(await run(machine, n, op));
          await machine.stop();
        }
      }
      // The first round warms up the JIT. The ratio is the median of each round's own ratio:
      // the two runs of a round are adjacent in time, so drift in the machine's speed (other
      // processes, CPU clock) cancels out better than in a ratio of two medians.
      const wasm = samples.wasm.slice(1);
      const js = samples.js.slice(1);
      const ratio = median(wasm.map((w, i) => w / js[i]));
      results.push({ name, mode, wasmNs: median(wasm), jsNs: median(js), ratio });
    }
  }
  return results;
}

/**
 * Scaling through the JS API: ns per step with 10^2 and 10^6 numbers queued (the queue length
 * stays constant: one in, one out per step), for the wasm Machine.
 */
export async function scaling({ Machine, sizes = [100, 1_000_000], steps = 20_000, rounds = 5 }) {
  const scenarios = [
    ['take + serve', (size) => ({ minNumber: 0, maxNumber: BIG, queue: range(0, size) }),
      (m) => [m.queueNewNumber(), m.serveNextQueuedNumber()]],
    ['take + priority serve (middle)', (size) => ({ minNumber: 0, maxNumber: BIG, queue: range(0, size) }),
      (m, i, size) => [m.queueNewNumber(), m.serveNextQueuedNumber(Math.floor(size / 2) + i)]],
    // A range of size + 1 numbers, all but one queued, the highest among them: takes wrap.
    ['wrap-around take + serve', (size) => ({ minNumber: 0, maxNumber: size, queue: range(1, size + 1) }),
      (m) => [m.queueNewNumber(), m.serveNextQueuedNumber()]],
  ];
  const results = [];
  for (const [name, options, step] of scenarios) {
    const perSize = {};
    for (const size of sizes) {
      const samples = [];
      for (let r = 0; r < rounds; r++) {
        const m = new Machine(options(size));
        const calls = [];
        collect();
        const t0 = now();
        for (let i = 0; i < steps; i++) calls.push(...step(m, i, size));
        await Promise.all(calls);
        samples.push(((now() - t0) * 1e6) / steps);
        await m.stop();
      }
      perSize[size] = median(samples.slice(1));
    }
    results.push({ name, perSize, ratio: perSize[sizes[1]] / perSize[sizes[0]] });
  }
  return results;
}

function range(from, to) {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
