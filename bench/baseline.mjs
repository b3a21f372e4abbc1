// The plain-JS actor that a JS developer would write instead of using this package: the same
// rules and API, written to be fast (array mailbox drained once per microtask batch, a Set for
// membership, the idle deadline checked only when its one timer fires).
export class JsMachine {
  #min; #max; #timeout;
  #queue = []; #head = 0; #members = new Set(); #highest = -Infinity;
  #mailbox = []; #scheduled = false; #alive = true;
  #deadline = Infinity; #timer = null; #timerAt = Infinity;
  #exitResolve; exited;

  constructor({ minNumber, maxNumber, autoShutdownTimeout = Infinity }) {
    if (!Number.isSafeInteger(minNumber) || !Number.isSafeInteger(maxNumber) || minNumber >= maxNumber
      || !(autoShutdownTimeout === Infinity || (Number.isSafeInteger(autoShutdownTimeout) && autoShutdownTimeout >= 0))) {
      throw Object.assign(new Error('invalid configuration'), { name: 'MachineError', code: 'invalid_configuration' });
    }
    this.#min = minNumber; this.#max = maxNumber; this.#timeout = autoShutdownTimeout;
    this.exited = new Promise((resolve) => { this.#exitResolve = resolve; });
    this.#touch(performance.now());
    this.#syncTimer(performance.now());
  }

  get alive() { return this.#alive; }

  queueNewNumber() { return this.#call(0, undefined); }
  serveNextQueuedNumber(priority) {
    if (priority !== undefined && !Number.isSafeInteger(priority)) {
      return Promise.reject(Object.assign(new Error('bad priority'), { name: 'MachineError', code: 'invalid_argument' }));
    }
    return this.#call(1, priority);
  }
  reportState() { return this.#call(2, undefined); }
  resetState() { if (this.#alive) this.#post({ kind: 3 }); }
  send(message) { if (this.#alive) this.#post({ kind: 4, arg: message }); }
  stop(reason = 'normal') { return this.#call(5, reason); }

  #call(kind, arg) {
    if (!this.#alive) return Promise.reject(noProcess());
    return new Promise((resolve, reject) => this.#post({ kind, arg, resolve, reject }));
  }

  #post(message) {
    this.#mailbox.push(message);
    if (!this.#scheduled) { this.#scheduled = true; queueMicrotask(() => this.#drain()); }
  }

  #drain() {
    const now = performance.now();
    const box = this.#mailbox;
    this.#mailbox = [];
    this.#scheduled = false;
    for (const m of box) {
      if (!this.#alive) { if (m.reject) m.reject(noProcess()); continue; }
      switch (m.kind) {
        case 0: { const n = this.#take(); n === null ? m.reject(codeError('all_possible_numbers_are_in_use')) : m.resolve(n); break; }
        case 1: { const r = this.#serve(m.arg); typeof r === 'string' ? m.reject(codeError(r)) : m.resolve(r); break; }
        case 2: m.resolve({ minNumber: this.#min, maxNumber: this.#max, queue: this.#queue.slice(this.#head).filter((n) => n !== null), autoShutdownTimeout: this.#timeout }); break;
        case 3: this.#queue = []; this.#head = 0; this.#members.clear(); this.#highest = -Infinity; break;
        case 4: break;
        case 5: this.#exit(m.arg); m.resolve(); continue;
        case 6: if (now >= this.#deadline) { this.#exit('normal'); } continue;
      }
      this.#touch(now);
    }
    this.#syncTimer(now);
  }

  #take() {
    const size = this.#max - this.#min + 1;
    if (this.#members.size === 0) return this.#push(this.#min);
    if (this.#members.size >= size) return null;
    if (this.#highest < this.#max) return this.#push(this.#highest + 1);
    for (let n = this.#min; ; n++) if (!this.#members.has(n)) return this.#push(n);
  }

  #push(n) { this.#queue.push(n); this.#members.add(n); if (n > this.#highest) this.#highest = n; return n; }

  #serve(priority) {
    if (this.#members.size === 0) return 'empty_queue';
    let n;
    if (priority === undefined) {
      while (this.#queue[this.#head] === null) this.#head++;
      n = this.#queue[this.#head++];
    } else {
      if (!this.#members.has(priority)) return 'priority_number_not_found';
      n = priority;
      this.#queue[this.#queue.indexOf(n, this.#head)] = null;
    }
    this.#members.delete(n);
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) { this.#queue = this.#queue.slice(this.#head); this.#head = 0; }
    if (this.#members.size === 0) { this.#queue = []; this.#head = 0; this.#highest = -Infinity; }
    else if (n === this.#highest) { this.#highest = Math.max(...this.#members); }
    return n;
  }

  #touch(now) { this.#deadline = this.#timeout === Infinity ? Infinity : now + this.#timeout; }

  #syncTimer(now) {
    if (!this.#alive || this.#deadline === Infinity) { if (this.#timer) { clearTimeout(this.#timer); this.#timer = null; } return; }
    if (this.#timer && this.#timerAt <= this.#deadline) return;
    if (this.#timer) clearTimeout(this.#timer);
    const delay = Math.min(Math.ceil(this.#deadline - now), 2 ** 31 - 1);
    this.#timerAt = now + delay;
    this.#timer = setTimeout(() => { this.#timer = null; this.#post({ kind: 6 }); }, delay);
  }

  #exit(reason) {
    this.#alive = false;
    if (this.#timer) { clearTimeout(this.#timer); this.#timer = null; }
    this.#exitResolve(reason);
  }
}

function codeError(code) { return Object.assign(new Error(code), { name: 'MachineError', code }); }
function noProcess() { return codeError('no_process'); }
