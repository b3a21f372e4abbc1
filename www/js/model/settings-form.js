// The Settings view's editing model: a facility's configuration in config.json's shape, edited
// field by field, checked by config.js's one validator, compared with another version, exported
// and imported. No DOM here, so Node tests drive it; views/settings.js renders from it.
//
// The form holds a raw configuration (what config.json would say), never a validated one: a
// half-typed value is kept as typed, so that its problem shows next to its field instead of the
// keystroke being lost. `hub` is never part of it: it is how this device reaches the hub, set
// by whoever serves config.json, and is not the manager's to save.
import { toRaw } from './config-raw.js';
import { read } from './config-reading.js';

const problemsOf = (raw) => read(raw).problems;

/** A new department's colour: the validator's default. */
const NEW_COLOUR = '#1d3557';
/** How many numbers a new department gets. */
const NEW_RANGE = 100;

/**
 * `raw` in its fullest form: texts by language, defaults written out, null for "never"
 * (config.js's toRaw after validation), without `hub`. A configuration with problems is only
 * copied: it cannot be read into defaults.
 */
export function normalise(raw) {
  const { config, problems } = read(raw);
  const full = problems.length === 0 ? toRaw(config) : structuredClone(raw);
  if (full !== null && typeof full === 'object') delete full.hub;
  return full;
}

/** Counts waiting tickets given as a number or a queue. */
const countOf = (waiting) => (Array.isArray(waiting) ? waiting.length : Number(waiting) || 0);

export class SettingsForm {
  /** The configuration being edited (config.json's shape). Read it; change it with the methods. */
  raw;
  /** The version this form started from (0: the served config.json, nothing saved yet). */
  base;
  /** The configuration of that version, normalised: what `changed` and the range notes compare with. */
  saved;
  /** Per department, in order: the id it had in `saved` (its record's key), or null when new. */
  #origins;
  /** Per department, a key that stays with it while it moves: for a view's element ids. */
  #keys;
  #nextKey = 0;

  /** @param raw config.json's shape (a hub in it is dropped); @param base its version number */
  constructor(raw, { base = 0 } = {}) {
    this.base = base;
    this.saved = normalise(raw);
    this.load(raw);
  }

  /**
   * Edits `raw` instead of the current edits (an imported file, say), keeping `base`: a
   * department whose id is saved already is that department, any other is new.
   */
  load(raw) {
    this.raw = normalise(raw);
    const savedIds = new Set(this.#departmentsOf(this.saved).map((d) => d?.id));
    const departments = this.#departmentsOf(this.raw);
    this.#origins = departments.map((d) => (savedIds.has(d?.id) ? d.id : null));
    this.#keys = departments.map(() => this.#newKey());
  }

  /**
   * Keeps the edits, to be saved over version `base` (saved meanwhile elsewhere, with `raw`):
   * what they remove or change is now counted against it.
   */
  rebase(raw, base) {
    this.base = base;
    this.saved = normalise(raw);
  }

  #newKey() {
    this.#nextKey += 1;
    return `d${this.#nextKey}`;
  }

  #departmentsOf(raw) {
    return Array.isArray(raw?.departments) ? raw.departments : [];
  }

  get departments() {
    return this.#departmentsOf(this.raw);
  }

  /** Whether the edits differ from the version the form started from. */
  get changed() {
    return JSON.stringify(this.raw) !== JSON.stringify(this.saved);
  }

  /** The value at `path` (`['departments', 0, 'name', 'es']`), or undefined. */
  get(path) {
    return path.reduce((value, step) => (value === null || value === undefined ? undefined : value[step]), this.raw);
  }

  /**
   * Sets the value at `path`; undefined removes the field (a name left to fall back to the
   * default language, no time zone). Containers on the way are made. An existing department's
   * id is its record's key: changing it throws.
   */
  set(path, value) {
    if (path[0] === 'departments' && path[2] === 'id' && path.length === 3 && !this.idEditable(path[1])) {
      throw new RangeError('an existing department keeps its id');
    }
    let at = this.raw;
    for (let i = 0; i < path.length - 1; i += 1) {
      if (at[path[i]] === null || typeof at[path[i]] !== 'object') at[path[i]] = typeof path[i + 1] === 'number' ? [] : {};
      at = at[path[i]];
    }
    const last = path.at(-1);
    if (value === undefined) {
      if (Array.isArray(at)) at.splice(last, 1);
      else delete at[last];
    } else {
      at[last] = value;
    }
  }

  /** Whether department `index` is new, so that its id may still be chosen. */
  idEditable(index) {
    return this.#origins[index] === null;
  }

  /** A key that follows department `index` through moves (not saved anywhere). */
  keyOf(index) {
    return this.#keys[index];
  }

  /** The id department `index` has in the saved version, or null when it is new. */
  originOf(index) {
    return this.#origins[index];
  }

  /**
   * Adds a department at the end: a free id, named `name` in the default language, the 100
   * numbers after the highest range, no counters, never switched off. Returns its index.
   */
  addDepartment(name = '') {
    const list = this.departments;
    const ids = new Set(list.map((d) => d?.id));
    let n = list.length + 1;
    while (ids.has(`department-${n}`)) n += 1;
    const top = Math.max(0, ...list.map((d) => (Number.isSafeInteger(d?.maxNumber) ? d.maxNumber : 0)));
    const language = typeof this.raw.language === 'string' ? this.raw.language : 'en';
    if (!Array.isArray(this.raw.departments)) this.raw.departments = [];
    this.raw.departments.push({
      id: `department-${n}`, name: { [language]: name }, minNumber: top + 1, maxNumber: top + NEW_RANGE,
      autoShutdownTimeout: null, colour: NEW_COLOUR, counters: [],
    });
    this.#origins.push(null);
    this.#keys.push(this.#newKey());
    return this.raw.departments.length - 1;
  }

  removeDepartment(index) {
    this.raw.departments.splice(index, 1);
    this.#origins.splice(index, 1);
    this.#keys.splice(index, 1);
  }

  /** Moves department `from` to place `to` (the order customers and the board show). */
  moveDepartment(from, to) {
    if (to < 0 || to >= this.departments.length || from === to) return;
    for (const list of [this.raw.departments, this.#origins, this.#keys]) list.splice(to, 0, ...list.splice(from, 1));
  }

  /** Adds counter `name` to department `index`; returns its place. */
  addCounter(index, name) {
    const dept = this.raw.departments[index];
    if (!Array.isArray(dept.counters)) dept.counters = [];
    dept.counters.push(name);
    return dept.counters.length - 1;
  }

  removeCounter(index, place) {
    this.raw.departments[index].counters.splice(place, 1);
  }

  renameCounter(index, place, name) {
    this.raw.departments[index].counters[place] = name;
  }

  /**
   * A counter name no counter of department `index` has yet: the number after the highest
   * numbered one ("4" after "1", "2", "3").
   */
  nextCounter(index) {
    const counters = this.raw.departments[index].counters ?? [];
    const numbers = counters.map(Number).filter(Number.isSafeInteger);
    let n = Math.max(0, ...numbers) + 1;
    while (counters.includes(String(n))) n += 1;
    return String(n);
  }

  /** Offers `code` too (a language the page has texts for). */
  addLanguage(code) {
    if (!Array.isArray(this.raw.languages)) this.raw.languages = [this.raw.language ?? 'en'];
    if (!this.raw.languages.includes(code)) this.raw.languages.push(code);
  }

  /**
   * Stops offering `code`, and drops the facility's and departments' texts in it, which nobody
   * would see any more. The default language stays: returns false.
   */
  removeLanguage(code) {
    if (code === this.raw.language) return false;
    this.raw.languages = (this.raw.languages ?? []).filter((c) => c !== code);
    if (Array.isArray(this.raw.callOutLanguages)) {
      this.raw.callOutLanguages = this.raw.callOutLanguages.filter((c) => c !== code);
      if (this.raw.callOutLanguages.length === 0) delete this.raw.callOutLanguages; // the screen's own
    }
    const drop = (texts) => {
      if (texts !== null && typeof texts === 'object' && !Array.isArray(texts)) delete texts[code];
    };
    drop(this.raw.facility);
    for (const dept of this.departments) drop(dept?.name);
    return true;
  }

  /** Every problem of the edits (config.js's problems: `{ path, key, params }`). */
  problems() {
    return problemsOf(this.raw);
  }

  /**
   * The saved departments these edits remove while tickets wait in them, as
   * `[{ id, names, waiting }]`; `waitingById` gives each department's waiting tickets (a count
   * or the queue) by id.
   */
  removedWithWaiting(waitingById) {
    const kept = new Set(this.departments.map((d) => d?.id));
    return this.#departmentsOf(this.saved)
      .filter((d) => !kept.has(d.id))
      .map((d) => ({ id: d.id, names: d.name, waiting: countOf(waitingById[d.id]) }))
      .filter((d) => d.waiting > 0);
  }

  /**
   * What a new range means for department `index`, whose queue (numbers waiting, by id in
   * `queues`) the running machine holds: null when the range is unchanged, the department new,
   * nobody waiting or the range not valid yet; otherwise `{ waiting, outside }`, `outside` the
   * waiting numbers the new range does not hold. The engine takes a range that holds every
   * waiting number at once, and any other once the queue is empty or reset.
   */
  rangeChange(index, queues) {
    const origin = this.#origins[index];
    const dept = this.departments[index];
    const before = this.#departmentsOf(this.saved).find((d) => d.id === origin);
    if (!before || !dept) return null;
    const { minNumber: min, maxNumber: max } = dept;
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min >= max) return null;
    if (min === before.minNumber && max === before.maxNumber) return null;
    const queue = Array.isArray(queues[origin]) ? queues[origin] : [];
    if (queue.length === 0) return null;
    return { waiting: queue.length, outside: queue.filter((n) => n < min || n > max).length };
  }

  /** The edits as a config.json file: pretty JSON, two spaces, a final newline. */
  export() {
    return exportText(this.raw);
  }
}

/** `raw` as config.json's text. */
export function exportText(raw) {
  return `${JSON.stringify(raw, null, 2)}\n`;
}

/**
 * A config.json file's `text`, read for the form: `{ ok: true, raw, problems }` (the
 * configuration without `hub`, and its problems, to show once loaded), or `{ ok: false,
 * problems }` for a file that is not JSON at all (its problem at `[]`, key
 * settings.import-not-json, with the parser's words in `params.detail`).
 */
export function importText(text) {
  let raw;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ path: [], key: 'settings.import-not-json', params: { detail: error.message } }] };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, problems: [{ path: [], key: 'config.problem.not-object', params: {} }] };
  }
  const found = problemsOf(raw).filter((p) => p.path[0] !== 'hub');
  const copy = structuredClone(raw);
  delete copy.hub;
  return { ok: true, raw: copy, problems: found };
}

// What changed between two versions, for people: each change is `{ path, kind, before, after }`
// with `kind` 'added', 'removed', 'changed' or 'moved'. A department is named by its id in the
// path (`['departments', 'pharmacy', 'maxNumber']`), since its place may differ between the
// two, and each of its changes carries its `names` (texts by language) for the words.

const FIELDS = ['language', 'timeZone', 'opening', 'ticketSeconds'];
const DEPARTMENT_FIELDS = ['minNumber', 'maxNumber', 'colour', 'autoShutdownTimeout'];
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** The changes from configuration `a` to `b` (both config.json's shape), in the order of the file. */
export function diff(a, b) {
  const before = normalise(a) ?? {};
  const after = normalise(b) ?? {};
  const changes = [];
  const field = (path, x, y, extra = {}) => {
    if (same(x, y)) return;
    const kind = x === undefined ? 'added' : y === undefined ? 'removed' : 'changed';
    changes.push({ path, kind, before: x, after: y, ...extra });
  };
  const texts = (path, x, y, extra) => {
    const [tx, ty] = [textsOf(x, before.language), textsOf(y, after.language)];
    for (const code of new Set([...Object.keys(tx), ...Object.keys(ty)])) field([...path, code], tx[code], ty[code], extra);
  };
  const list = (path, x = [], y = [], extra = {}) => {
    for (const item of x) if (!y.includes(item)) changes.push({ path, kind: 'removed', before: item, after: undefined, ...extra });
    for (const item of y) if (!x.includes(item)) changes.push({ path, kind: 'added', before: undefined, after: item, ...extra });
    const kept = x.filter((item) => y.includes(item));
    if (!same(kept, y.filter((item) => x.includes(item)))) changes.push({ path, kind: 'moved', before: x, after: y, ...extra });
  };

  texts(['facility'], before.facility, after.facility);
  field(['language'], before.language, after.language);
  list(['languages'], before.languages, after.languages);
  list(['callOutLanguages'], before.callOutLanguages ?? [], after.callOutLanguages ?? []);
  for (const name of FIELDS.slice(1)) field([name], before[name], after[name]);
  field(['staff', 'lockAfterSeconds'], before.staff?.lockAfterSeconds, after.staff?.lockAfterSeconds);
  for (const name of ['paper', 'auto']) field(['printing', name], before.printing?.[name], after.printing?.[name]);

  const [da, db] = [before.departments ?? [], after.departments ?? []].map((l) => (Array.isArray(l) ? l : []));
  const byId = (l) => new Map(l.filter((d) => d && typeof d === 'object').map((d) => [d.id, d]));
  const [ma, mb] = [byId(da), byId(db)];
  for (const [id, d] of ma) {
    if (!mb.has(id)) changes.push({ path: ['departments', id], kind: 'removed', before: d, after: undefined, names: textsOf(d.name, before.language) });
  }
  for (const [id, y] of mb) {
    const names = textsOf(y.name, after.language);
    const x = ma.get(id);
    if (!x) {
      changes.push({ path: ['departments', id], kind: 'added', before: undefined, after: y, names });
      continue;
    }
    const at = (name) => ['departments', id, name];
    texts(at('name'), x.name, y.name, { names });
    for (const name of DEPARTMENT_FIELDS) field(at(name), x[name] ?? null, y[name] ?? null, { names });
    // Left out, a department's opening is the facility's; null, none.
    field(at('opening'), x.opening, y.opening, { names });
    list(at('counters'), x.counters ?? [], y.counters ?? [], { names });
  }
  const order = (l, other) => l.map((d) => d?.id).filter((id) => other.has(id));
  if (!same(order(da, mb), order(db, ma))) {
    changes.push({ path: ['departments'], kind: 'moved', before: da.map((d) => d?.id), after: db.map((d) => d?.id) });
  }
  // Fields this version of the page does not edit (a newer one's), so that a change is never unseen.
  const known = new Set(['facility', 'languages', 'callOutLanguages', 'staff', 'printing', 'departments', 'hub', ...FIELDS]);
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!known.has(name)) field([name], before[name], after[name]);
  }
  return changes;
}

/** A text or texts by language, as texts by language. */
function textsOf(value, language) {
  if (typeof value === 'string') return { [language ?? 'en']: value };
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}
