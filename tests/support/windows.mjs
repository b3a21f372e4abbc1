// Simulated browser windows for Node tests of the shared machine (js/shared/): Node has
// BroadcastChannel (real, used here as is) but neither Web Locks nor IndexedDB. A World stands
// for a browser profile: one lock manager and one store. A window can close cleanly, or crash:
// then it falls silent at once (no message out or in, no write), as a killed tab does, and the
// browser frees its locks.
import { MemoryStore } from '../../js/shared/store.js';

/** The Web Locks API, exclusive mode only, with locks owned by windows. */
export class Locks {
  #queues = new Map(); // name -> [{ owner, callback, resolve, reject, granted }]

  request(owner, name, options, callback) {
    return new Promise((resolve, reject) => {
      const queue = this.#queues.get(name) ?? [];
      this.#queues.set(name, queue);
      const waiter = { owner, callback, resolve, reject, granted: false };
      options.signal?.addEventListener('abort', () => {
        if (waiter.granted) return;
        queue.splice(queue.indexOf(waiter), 1);
        reject(new DOMException('aborted', 'AbortError'));
      });
      queue.push(waiter);
      if (queue.length === 1) this.#grant(name);
    });
  }

  /** Who holds `name` now. */
  holder(name) {
    return this.#queues.get(name)?.[0]?.owner;
  }

  /** The owner is gone: its held locks pass on, its waiting requests vanish. */
  dropOwner(owner) {
    for (const [name, queue] of this.#queues) {
      const held = queue[0]?.owner === owner && queue[0].granted;
      for (let i = queue.length - 1; i >= 0; i--) if (queue[i].owner === owner) queue.splice(i, 1);
      if (held && queue.length > 0) this.#grant(name);
    }
  }

  #grant(name) {
    const queue = this.#queues.get(name);
    const waiter = queue[0];
    waiter.granted = true;
    Promise.resolve()
      .then(() => waiter.callback({ name, mode: 'exclusive' }))
      .then(waiter.resolve, waiter.reject)
      .finally(() => {
        if (queue[0] !== waiter) return; // dropped already (its window crashed)
        queue.shift();
        if (queue.length > 0) this.#grant(name);
      });
  }
}

let worlds = 0;

/**
 * A browser profile: windows share its locks and its storage. Its channels are its own too
 * (BroadcastChannel names are global to a Node process; each world's get a prefix).
 */
export class World {
  locks = new Locks();
  store = new MemoryStore();
  id = `world-${++worlds}`;
  #count = 0;

  /** The real channel behind a channel `name` of this world's windows. */
  channel(name) {
    return `${this.id}/${name}`;
  }

  window() {
    this.#count += 1;
    return new Window(this, `window-${this.#count}`);
  }
}

/** One window: what it gives a SharedMachine as `deps`, and ways to end it. */
export class Window {
  dead = false;
  #channels = new Set();
  #timers = new Set();

  constructor(world, id) {
    this.id = id;
    this.world = world;
    const window = this;
    // Hooks for the tests: called around each store write of this window.
    this.beforeSave = async () => {};
    this.afterSave = async () => {};
    this.deps = {
      locks: {
        request: (name, options, callback) => world.locks.request(window.id, name, options, callback),
      },
      BroadcastChannel: class {
        #inner;
        onmessage = null;
        constructor(name) {
          this.#inner = new BroadcastChannel(world.channel(name));
          this.#inner.onmessage = (event) => {
            if (!window.dead) this.onmessage?.(event);
          };
          window.#channels.add(this.#inner);
        }
        postMessage(message) {
          if (!window.dead) this.#inner.postMessage(message);
        }
        close() {
          this.#inner.close();
          window.#channels.delete(this.#inner);
        }
      },
      store: {
        load: (name) => (window.dead ? never() : world.store.load(name)),
        save: async (name, value) => {
          if (window.dead) return never();
          await window.beforeSave(name, value);
          if (window.dead) return never();
          await world.store.save(name, value);
          await window.afterSave(name, value);
          if (window.dead) return never();
        },
        close() {},
      },
      timers: {
        setTimeout: (fn, ms) => {
          const handle = setTimeout(() => {
            window.#timers.delete(handle);
            if (!window.dead) fn();
          }, ms);
          window.#timers.add(handle);
          return handle;
        },
        clearTimeout: (handle) => {
          clearTimeout(handle);
          window.#timers.delete(handle);
        },
      },
    };
  }

  /** The window is killed: nothing more goes out or comes in, and its locks pass on. */
  crash() {
    this.dead = true;
    for (const channel of this.#channels) channel.close();
    this.#channels.clear();
    for (const handle of this.#timers) clearTimeout(handle);
    this.#timers.clear();
    this.world.locks.dropOwner(this.id);
  }
}

const never = () => new Promise(() => {});
