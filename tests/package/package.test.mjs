// The npm package as a stranger gets it: `make pack`'s tarball installed into scratch projects
// that hold nothing from this repository but that tarball (installed offline: it has no
// dependencies), then used from Node ESM and from TypeScript under --strict (the compiler that
// `make setup` installed), including misuse that must not compile. The bundlers and runtimes
// are in bundlers.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { install, packedTarball, root, subpaths } from './apps.mjs';

const run = promisify(execFile);
const tarball = await packedTarball();

let scratch;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'take-a-number-consumer-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A new project in the scratch folder with the tarball installed and `files` written. */
async function consumer(name, files = {}, extra = []) {
  const dir = join(scratch, name);
  await install(dir, tarball, `consumer-${name}`, extra);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), text);
  }
  return dir;
}

test('Node ESM: import, use at once, and get coded errors', async () => {
  const dir = await consumer('node', {
    'app.mjs': `
      import { Machine } from 'take-a-number-deluxe';
      const m = new Machine({ minNumber: 1, maxNumber: 2, autoShutdownTimeout: 50 });
      const out = [await m.queueNewNumber(), await m.queueNewNumber()];
      try { await m.queueNewNumber(); } catch (e) { out.push(e.name, e.code, e instanceof Error); }
      out.push(await m.serveNextQueuedNumber(2), (await m.reportState()).queue);
      try { new Machine({ minNumber: 2, maxNumber: 1 }); } catch (e) { out.push(e.code); }
      out.push(await m.exited);
      console.log(JSON.stringify(out));
    `,
  });
  const { stdout } = await run('node', ['app.mjs'], { cwd: dir });
  assert.deepEqual(JSON.parse(stdout), [
    1, 2, 'MachineError', 'all_possible_numbers_are_in_use', true, 2, [1],
    'invalid_configuration', 'normal',
  ]);
});

test('TypeScript --strict: the real API type-checks and misuse does not', async () => {
  const tsconfig = {
    compilerOptions: {
      strict: true, noEmit: true, target: 'es2022', module: 'nodenext',
      moduleResolution: 'nodenext', lib: ['es2022', 'dom'], types: [],
    },
  };
  const good = `
    import init, {
      Machine, type InitError, type InitErrorCode, type MachineError, type MachineErrorCode, type MachineState,
      type CounterTicket, type TransferredTicket, type DepartmentState,
    } from 'take-a-number-deluxe';
    export async function demo(): Promise<void> {
      await init();
      const m = new Machine({ minNumber: 1, maxNumber: 9 });
      const timed = new Machine({ minNumber: 1, maxNumber: 9, autoShutdownTimeout: 1000, queue: [4, 2] });
      const n: number = await m.queueNewNumber();
      const served: number = await m.serveNextQueuedNumber();
      const priority: number = await m.serveNextQueuedNumber(n);
      const state: MachineState = await m.reportState();
      const queue: number[] = state.queue;
      const reset: void = m.resetState();
      m.send({ anything: true });
      const alive: boolean = m.alive;
      const reason: string = await timed.exited;
      await m.stop();
      await timed.stop('closing');
      try { await m.queueNewNumber(); } catch (e) {
        const code: MachineErrorCode = (e as MachineError).code;
        if (code === 'no_process') console.log(served, priority, queue, reset, alive, reason);
      }
      // A facility's queue rules.
      const pharmacy = new Machine({ minNumber: 1, maxNumber: 9, groups: ['a', 'b'], order: 'ratio', weights: [2, 1], placement: 'taken', callsBeforeNoShow: 2 });
      const taken: number = await pharmacy.takeNumber({ group: 'b', at: 5 });
      const seat: CounterTicket = await pharmacy.call('Desk 1', { group: 'a' });
      const finished: number | null | undefined = (await pharmacy.call('Desk 1')).finished;
      await pharmacy.recall('Desk 1');
      await pharmacy.park('Desk 1');
      await pharmacy.recallParked(seat.number);
      const moved: TransferredTicket = await pharmacy.transferOut(taken);
      await pharmacy.transferIn(moved, 9);
      const desk: DepartmentState = await pharmacy.reportDepartment();
      const next: string | null = desk.nextGroup;
      const copy = new Machine({ minNumber: 1, maxNumber: 9, groups: desk.groups, state: desk });
      await copy.finish('Desk 1');
      await copy.noShow('Desk 1').catch((e: MachineError) => e.code === 'too_few_calls' || e.code === 'counter_idle');
      console.log(finished, next);
      try { new Machine({ minNumber: 1, maxNumber: 9 }); } catch (e) {
        const failure = e as InitError;
        const code: InitErrorCode = failure.code;
        if (code === 'not_initialised' && failure.name === 'InitError') console.log(failure.message);
      }
    }
  `;
  // The web entry's init() takes the .wasm's URL, bytes or module (the README's recipes).
  const web = `
    import init, { initSync, type InitError } from 'take-a-number-deluxe';
    export async function load(wasmUrl: string, bytes: Uint8Array): Promise<void> {
      try { await init({ module_or_path: wasmUrl }); } catch (e) {
        if ((e as InitError).code === 'wasm_not_found') await init({ module_or_path: fetch(wasmUrl) });
      }
      initSync({ module: bytes });
    }
  `;
  const misuse = {
    'wrong-option.ts': `import { Machine } from 'take-a-number-deluxe';\nnew Machine({ minNumber: 1, maxNum: 5 });\n`,
    'number-as-string.ts': `import { Machine } from 'take-a-number-deluxe';\nconst m = new Machine({ minNumber: 1, maxNumber: 5 });\nexport const s: string = await m.queueNewNumber();\n`,
    'priority-as-string.ts': `import { Machine } from 'take-a-number-deluxe';\nconst m = new Machine({ minNumber: 1, maxNumber: 5 });\nm.serveNextQueuedNumber('3');\n`,
    'unknown-code.ts': `import type { MachineError } from 'take-a-number-deluxe';\nexport const f = (e: MachineError) => e.code === 'queue_empty';\n`,
    'unknown-order.ts': `import { Machine } from 'take-a-number-deluxe';\nnew Machine({ minNumber: 1, maxNumber: 5, order: 'fair' });\n`,
    'pick-both.ts': `import { Machine } from 'take-a-number-deluxe';\nconst m = new Machine({ minNumber: 1, maxNumber: 5 });\nm.call('1', { group: 'a', number: 3 });\n`,
    'state-field.ts': `import { Machine } from 'take-a-number-deluxe';\nconst m = new Machine({ minNumber: 1, maxNumber: 5 });\nexport const q: string[] = (await m.reportState()).queue;\n`,
    'unknown-init-code.ts': `import type { InitError } from 'take-a-number-deluxe';\nexport const f = (e: InitError) => e.code === 'wasm_missing';\n`,
  };
  // Each subpath export with its types, in a browser project (bundler resolution, DOM lib).
  const subpathFiles = Object.fromEntries(subpaths.map((s, i) => [`subpath-${i}.ts`,
    `import ${s.imports} from '${s.specifier}';\nexport const ok: boolean = ${s.check};\n`]));
  const dir = await consumer('typescript', {
    'good.ts': good,
    'web.ts': web,
    'node-only.ts': `import { Machine, type MachineState } from 'take-a-number-deluxe';
      const m = new Machine({ minNumber: 1, maxNumber: 9, queue: [3] });
      export const n: number = await m.queueNewNumber();
      export const s: MachineState = await m.reportState();
    `,
    ...misuse,
    ...subpathFiles,
  });
  const tsc = async (file, options = {}) => {
    const config = { ...tsconfig, compilerOptions: { ...tsconfig.compilerOptions, ...options }, files: [file] };
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(config));
    return run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: dir })
      .then(() => ({ ok: true, output: '' }), (e) => ({ ok: false, output: e.stdout + e.stderr }));
  };
  const checked = await tsc('good.ts');
  assert.ok(checked.ok, `correct usage failed to compile:\n${checked.output}`);
  // A Node project without the DOM lib (and without @types/node) compiles too.
  const node = await tsc('node-only.ts', { lib: ['es2022'] });
  assert.ok(node.ok, `a Node project without the DOM lib failed to compile:\n${node.output}`);
  // A browser project resolved the way bundlers resolve gets the web entry's types.
  for (const file of ['good.ts', 'web.ts']) {
    const checkedWeb = await tsc(file, { module: 'esnext', moduleResolution: 'bundler' });
    assert.ok(checkedWeb.ok, `${file} in a bundler-resolved project failed to compile:\n${checkedWeb.output}`);
  }
  for (const [i, subpath] of subpaths.entries()) {
    const file = `subpath-${i}.ts`;
    // As a browser project sees it, and, unless it is browser-only, as a Node project does.
    const lib = subpath.lib ? { lib: subpath.lib } : {};
    const projects = [{ module: 'esnext', moduleResolution: 'bundler', ...lib }, ...(subpath.browserOnly ? [] : [lib])];
    for (const options of projects) {
      const checked = await tsc(file, options);
      assert.ok(checked.ok, `${file} (${subpath.specifier}) failed to compile:\n${checked.output}`);
    }
  }
  for (const file of Object.keys(misuse)) {
    // (init(42) would compile: the DOM lib's WebAssembly.Module is an empty interface, which
    // any value fits. init() checks its argument at run time instead.)
    const failed = await tsc(file);
    assert.ok(!failed.ok, `${file} compiled, but it misuses the API`);
    assert.match(failed.output, new RegExp(`${file}\\(\\d+,\\d+\\): error TS\\d+`), failed.output);
  }
});

test('take-a-number-deluxe/hub: a Node project shares a department through a real hub, and its types check', async () => {
  const { startHub } = await import('../support/nats.mjs');
  const hub = await startHub();
  await hub.configure([{ id: 'pharmacy', minNumber: 100, maxNumber: 199 }]);
  try {
    const dir = await consumer('hub', {
      // No init() in Node: the hub's Node entry instantiates the wasm, as the main entry does.
      'app.mjs': `
        import { connect } from '@nats-io/transport-node';
        import { Hub, CONNECTION_OPTIONS, RULES } from 'take-a-number-deluxe/hub';
        const servers = process.argv[2];
        const kiosk = new Hub({ connection: await connect({ servers, user: 'kiosk', pass: 'kiosk-demo', ...CONNECTION_OPTIONS }) });
        const staff = new Hub({ connection: await connect({ servers, user: 'staff', pass: 'staff-demo', ...CONNECTION_OPTIONS }) });
        const a = kiosk.machine({ name: 'pharmacy', minNumber: 100, maxNumber: 199 });
        const b = staff.machine({ name: 'pharmacy', minNumber: 100, maxNumber: 199 });
        const out = [await a.queueNewNumber(), await b.queueNewNumber(), await b.serveNextQueuedNumber()];
        try { await a.serveNextQueuedNumber(); } catch (e) { out.push(e.name, e.code); }
        out.push(a.state.rules === RULES, a.status);
        console.log(JSON.stringify(out));
        process.exit(0);
      `,
      'hub.ts': `
        import { connect } from '@nats-io/transport-node';
        import { Hub, type HubMachine, type HubState, type HubError, type HubMachineStatus } from 'take-a-number-deluxe/hub';
        type Record = { nowServing: number | null };
        const hooks = {
          initial: (): Record => ({ nowServing: null }),
          apply: (r: Record, e: { type: string; number?: number }): Record => (e.type === 'serve' ? { nowServing: e.number ?? null } : r),
          check: (r: unknown): boolean => typeof r === 'object' && r !== null,
        };
        export async function demo(): Promise<unknown[]> {
          const hub = new Hub({ connection: await connect({ servers: 'localhost' }), callTimeout: 5000 });
          const m: HubMachine<Record> = hub.machine({ name: 'x', minNumber: 1, maxNumber: 9, record: hooks });
          const n: number = await m.queueNewNumber();
          await m.serveNextQueuedNumber(n, { counter: 3 });
          const state: HubState<Record> | null = m.state;
          const status: HubMachineStatus = m.status;
          try { await m.reset(); } catch (e) { if ((e as HubError).code === 'forbidden') return [state?.record.nowServing, status]; }
          return [];
        }
      `,
      'hub-misuse.ts': `
        import { Hub } from 'take-a-number-deluxe/hub';
        declare const hub: Hub;
        export const s: string = await hub.machine({ name: 'x', minNumber: 1, maxNumber: 9 }).queueNewNumber();
      `,
    }, ['@nats-io/transport-node']);
    const { stdout } = await run('node', ['app.mjs', hub.servers[0]], { cwd: dir });
    assert.deepEqual(JSON.parse(stdout), [100, 101, 100, 'MachineError', 'forbidden', true, 'online']);
    // The NATS client's own types need the esnext and DOM libs (Symbol.asyncDispose, TextEncoder).
    const tsconfig = (file) => JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', lib: ['esnext', 'dom'], types: [] },
      files: [file],
    });
    await writeFile(join(dir, 'tsconfig.json'), tsconfig('hub.ts'));
    const tsc = join(root, 'node_modules', '.bin', 'tsc');
    await run(tsc, ['-p', 'tsconfig.json'], { cwd: dir }).catch((e) => assert.fail(`hub.ts failed to compile:\n${e.stdout}${e.stderr}`));
    await writeFile(join(dir, 'tsconfig.json'), tsconfig('hub-misuse.ts'));
    const misuse = await run(tsc, ['-p', 'tsconfig.json'], { cwd: dir }).then(() => '', (e) => e.stdout + e.stderr);
    assert.match(misuse, /hub-misuse\.ts\(\d+,\d+\): error TS\d+/);
  } finally {
    await hub.close();
  }
});
