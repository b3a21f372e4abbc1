// Property-based tests at the JS boundary (fast-check): random sequences of every API call,
// with arguments drawn from valid values and from every kind of bad JS value, run against the
// built package and, step by step, against a small JS model of the reference rules. Same
// results, same error codes, same state. The run counts its operations and must reach 10^5.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Machine } from '../../../pkg/node.js';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MIN_OPERATIONS = 100_000;

/** The reference rules over a plain array, plus the process's life. */
class Model {
  constructor(min, max, timeout) {
    Object.assign(this, { min, max, timeout, queue: [], alive: true });
  }

  take() {
    if (this.queue.length === 0) return this.#push(this.min);
    if (this.queue.length === this.max - this.min + 1) return { error: 'all_possible_numbers_are_in_use' };
    const highest = Math.max(...this.queue);
    if (highest < this.max) return this.#push(highest + 1);
    for (let n = this.min; ; n++) if (!this.queue.includes(n)) return this.#push(n);
  }

  serve(priority) {
    if (this.queue.length === 0) return { error: 'empty_queue' };
    if (priority === undefined) return { value: this.queue.shift() };
    const at = this.queue.indexOf(priority);
    if (at < 0) return { error: 'priority_number_not_found' };
    this.queue.splice(at, 1);
    return { value: priority };
  }

  state() {
    return { minNumber: this.min, maxNumber: this.max, queue: [...this.queue], autoShutdownTimeout: this.timeout };
  }

  #push(n) {
    this.queue.push(n);
    return { value: n };
  }
}

/** Settles a promise into { value } or { error: code }, checking that errors are MachineErrors. */
async function outcome(promise) {
  assert.ok(promise instanceof Promise, 'calls return promises');
  try {
    return { value: await promise };
  } catch (error) {
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'MachineError');
    return { error: error.code };
  }
}

const badValue = fc.oneof(
  fc.constant(null),
  fc.constant(NaN),
  fc.constant(Infinity),
  fc.constant(-Infinity),
  fc.double({ noInteger: true }),
  fc.integer({ min: 1, max: 1000 }).map((k) => MAX_SAFE + k * 2), // integers, but not safe
  fc.bigInt(),
  fc.string(),
  fc.boolean(),
  fc.constant(Symbol('s')),
  fc.object(),
  fc.array(fc.integer()),
  fc.constant(() => 1),
);

const notAString = badValue.filter((v) => typeof v !== 'string');

let operations = 0;
let whileAlive = 0;

// Each command: run on both, compare. `real` is { machine }, `model` the Model.
class Take {
  check() { return true; }
  async run(model, real) {
    const expected = model.alive ? model.take() : { error: 'no_process' };
    assert.deepEqual(await outcome(real.machine.queueNewNumber()), expected);
  }
  toString() { return 'take'; }
}

class Serve {
  constructor(priority) { this.priority = priority; }
  check() { return true; }
  async run(model, real) {
    const valid = this.priority === undefined || Number.isSafeInteger(this.priority);
    const expected = !valid ? { error: 'invalid_argument' } : !model.alive ? { error: 'no_process' } : model.serve(this.priority);
    assert.deepEqual(await outcome(real.machine.serveNextQueuedNumber(this.priority)), expected);
  }
  toString() { return `serve(${typeof this.priority === 'symbol' ? 'Symbol' : fc.stringify(this.priority)})`; }
}

class Report {
  check() { return true; }
  async run(model, real) {
    const expected = model.alive ? { value: model.state() } : { error: 'no_process' };
    assert.deepEqual(await outcome(real.machine.reportState()), expected);
  }
  toString() { return 'report'; }
}

class Reset {
  check() { return true; }
  async run(model, real) {
    assert.equal(real.machine.resetState(), undefined);
    if (model.alive) model.queue = [];
  }
  toString() { return 'reset'; }
}

class Send {
  constructor(message) { this.message = message; }
  check() { return true; }
  async run(_model, real) {
    assert.equal(real.machine.send(this.message), undefined);
  }
  toString() { return 'send'; }
}

class Stop {
  constructor(reason) { this.reason = reason; }
  check() { return true; }
  async run(model, real) {
    const valid = this.reason === undefined || typeof this.reason === 'string';
    const expected = !valid ? { error: 'invalid_argument' } : !model.alive ? { error: 'no_process' } : { value: undefined };
    assert.deepEqual(await outcome(real.machine.stop(this.reason)), expected);
    if (valid && model.alive) {
      model.alive = false;
      assert.equal(await real.machine.exited, this.reason ?? 'normal');
    }
    assert.equal(real.machine.alive, model.alive);
  }
  toString() { return `stop(${typeof this.reason === 'string' ? JSON.stringify(this.reason) : typeof this.reason})`; }
}

function commandsFor(span) {
  const priority = fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 6, arbitrary: fc.integer({ min: -1, max: span + 1 }) }, // offsets; shifted per machine
    { weight: 2, arbitrary: badValue },
  );
  return [
    fc.constant(new Take()),
    fc.constant(new Take()),
    priority.map((p) => new Serve(p)),
    fc.constant(new Report()),
    fc.constant(new Reset()),
    fc.oneof(badValue, fc.string(), fc.constant('timeout')).map((m) => new Send(m)),
    // A real stop ends the interesting part of a run, so it is rare; refused ones are not.
    fc.oneof({ weight: 1, arbitrary: fc.option(fc.string(), { nil: undefined }) }, { weight: 150, arbitrary: notAString })
      .map((r) => new Stop(r)),
  ];
}

/** Priority offsets are drawn relative to min; this shifts them once the machine is known. */
class Shifted {
  constructor(command, min) { this.command = command; this.min = min; }
  check() { return true; }
  run(model, real) {
    operations++;
    if (model.alive) whileAlive++;
    const c = this.command;
    if (c instanceof Serve && Number.isSafeInteger(c.priority)) return new Serve(this.min + c.priority).run(model, real);
    return c.run(model, real);
  }
  toString() { return String(this.command); }
}

test('random API sequences match the reference model, with every kind of argument', async () => {
  const machineAndCommands = fc
    .record({
      placement: fc.constantFrom('small', 'low', 'high'),
      span: fc.integer({ min: 1, max: 30 }),
      timeout: fc.oneof(fc.constant(undefined), fc.constant(Infinity), fc.constant(60_000)),
    })
    .chain(({ placement, span, timeout }) => {
      const min = placement === 'low' ? -MAX_SAFE : placement === 'high' ? MAX_SAFE - span : -3;
      return fc.record({
        min: fc.constant(min),
        max: fc.constant(min + span),
        timeout: fc.constant(timeout),
        commands: fc.commands(commandsFor(span), { maxCommands: 800, size: 'max' }),
      });
    });

  await fc.assert(
    fc.asyncProperty(machineAndCommands, async ({ min, max, timeout, commands }) => {
      const options = { minNumber: min, maxNumber: max };
      if (timeout !== undefined) options.autoShutdownTimeout = timeout;
      const machine = new Machine(options);
      const model = new Model(min, max, timeout ?? Infinity);
      await fc.asyncModelRun(() => ({ model, real: { machine } }),
        [...commands].map((c) => new Shifted(c, min)));
      if (machine.alive) await machine.stop();
    }),
    { numRuns: 300 },
  );
  assert.ok(operations >= MIN_OPERATIONS, `only ${operations} operations ran`);
  assert.ok(whileAlive * 2 >= operations, `only ${whileAlive} of ${operations} operations met a running machine`);
  console.log(`property operations: ${operations} (${whileAlive} on a running machine)`);
});

test('constructor options: valid ones start, every other value throws invalid_configuration', () => {
  const number = fc.oneof(fc.integer({ min: -50, max: 50 }), badValue, fc.constant(undefined));
  const timeout = fc.oneof(fc.constant(undefined), fc.constant(Infinity), fc.integer({ min: -5, max: 100_000 }), badValue);
  const queue = fc.oneof(fc.constant(undefined), fc.array(fc.integer({ min: -55, max: 55 }), { maxLength: 8 }), badValue);
  fc.assert(
    fc.property(number, number, timeout, queue, (minNumber, maxNumber, autoShutdownTimeout, q) => {
      operations++;
      const validTimeout = autoShutdownTimeout === undefined || autoShutdownTimeout === Infinity
        || (Number.isSafeInteger(autoShutdownTimeout) && autoShutdownTimeout >= 0);
      const validRange = Number.isSafeInteger(minNumber) && Number.isSafeInteger(maxNumber) && minNumber < maxNumber;
      const validQueue = q === undefined || (Array.isArray(q) && q.every(Number.isSafeInteger)
        && new Set(q).size === q.length && q.every((n) => validRange && n >= minNumber && n <= maxNumber));
      const options = { minNumber, maxNumber, autoShutdownTimeout, queue: q };
      let made;
      try {
        made = new Machine(options);
      } catch (error) {
        assert.equal(error.code, 'invalid_configuration');
        assert.ok(!(validRange && validTimeout && validQueue), `refused valid options ${fc.stringify(options)}`);
        return;
      }
      assert.ok(validRange && validTimeout && validQueue, `accepted invalid options ${fc.stringify(options)}`);
      made.stop().catch(() => {});
    }),
    { numRuns: 5_000 },
  );
});
