// The Settings view's words for fields and changes: what a field is called (next to it, in the
// list of problems a refused save shows, and in "what changed"), and a change of
// settings-form.js's diff as one line. Shared by the form and the history, so that a field is
// called the same in both.
import { PAPERS } from '../model/receipt.js';

/** The label key of each field, by the last step of its path (department fields included). */
const LABELS = {
  facility: 'settings.facility-name',
  language: 'settings.language',
  languages: 'settings.languages',
  callOutLanguages: 'settings.call-out',
  timeZone: 'settings.time-zone',
  opening: 'settings.opening',
  ticketSeconds: 'settings.ticket-seconds',
  lockAfterSeconds: 'settings.lock-after',
  printing: 'settings.printing',
  paper: 'settings.paper',
  auto: 'settings.print-auto',
  departments: 'settings.departments',
  id: 'settings.id',
  name: 'settings.name',
  minNumber: 'settings.min-number',
  maxNumber: 'settings.max-number',
  colour: 'settings.colour',
  counters: 'settings.counters',
  autoShutdownTimeout: 'settings.shutdown',
};

/** A language's name in the page's language ("Spanish", "español"). */
export function languageName(i18n, code) {
  try {
    return new Intl.DisplayNames([i18n.code], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * What the field at `path` is called: "Name (Spanish)", "Pharmacy: Last number".
 * `departmentName(step)` names a department by the step after 'departments' (a place or an id).
 */
export function fieldName(i18n, path, departmentName) {
  const inDepartment = path[0] === 'departments' && path.length > 2;
  const rest = inDepartment ? path.slice(2) : path;
  const labelled = rest.findLast((step) => typeof step === 'string' && LABELS[step]);
  let label = labelled === undefined ? String(rest.at(-1) ?? '') : i18n.t(LABELS[labelled]);
  const after = rest.slice(rest.indexOf(labelled) + 1);
  if ((labelled === 'name' || labelled === 'facility') && typeof after[0] === 'string') {
    label = i18n.t('settings.in-language', { field: label, language: languageName(i18n, after[0]) });
  } else if (labelled === 'counters' && typeof after[0] === 'number') {
    label = i18n.t('settings.counter-number', { number: after[0] + 1 });
  }
  if (!inDepartment) return label;
  return i18n.t('settings.of-department', { department: departmentName(path[1]), field: label });
}

/** A value as a person reads it: languages by name, "never", minutes, lists with commas. */
function valueOf(i18n, path, value) {
  if (path.at(-1) === 'opening' && (value === undefined || typeof value === 'object')) {
    if (value === undefined || value === null) return i18n.t(value === null ? 'settings.opening-none' : 'settings.opening-facility');
    return i18n.t(value.waiting === 'keep' ? 'settings.opening-keep' : 'settings.opening-clear', { time: String(value.time), timeZone: String(value.timeZone) });
  }
  if (value === undefined || value === null) {
    return path.at(-1) === 'autoShutdownTimeout' ? i18n.t('settings.never') : i18n.t('settings.nothing');
  }
  if (path[0] === 'language' || path[0] === 'languages' || path[0] === 'callOutLanguages') {
    return Array.isArray(value) ? value.map((c) => languageName(i18n, c)).join(', ') : languageName(i18n, value);
  }
  if (path.at(-1) === 'autoShutdownTimeout' && typeof value === 'number') return i18n.minutes(value);
  if (path[0] === 'printing' && path[1] === 'paper' && Object.hasOwn(PAPERS, value)) return i18n.t(PAPERS[value].label);
  if (typeof value === 'boolean') return i18n.t(value ? 'settings.yes' : 'settings.no');
  if (Array.isArray(value)) return value.join(', ');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * One change of diff (settings-form.js) as a sentence. `names(id)` gives a department's names
 * by id when the change does not carry them (the order of departments).
 */
export function changeText(i18n, change, names) {
  const { path, kind, before, after } = change;
  const department = (id) => i18n.text(change.names ?? names(id) ?? { [i18n.code]: id });
  if (path[0] === 'departments' && path.length === 2) {
    return i18n.t(kind === 'added' ? 'settings.change.department-added' : 'settings.change.department-removed',
      { department: department(path[1]) });
  }
  if (path[0] === 'departments' && path.length === 1) {
    return i18n.t('settings.change.order', { order: after.map((id) => i18n.text(names(id) ?? { [i18n.code]: id })).join(', ') });
  }
  const field = fieldName(i18n, path, department);
  const params = { field, before: valueOf(i18n, path, before), after: valueOf(i18n, path, after) };
  if (kind === 'added') return i18n.t('settings.change.added', params);
  if (kind === 'removed') return i18n.t('settings.change.removed', params);
  if (kind === 'moved') return i18n.t('settings.change.moved', params);
  return i18n.t('settings.change.changed', params);
}

/** Who saved a version: "device counter-2, account manager", or "this browser". */
export function savedBy(i18n, by) {
  const parts = [];
  if (by?.device) parts.push(i18n.t('settings.by-device', { device: by.device }));
  if (by?.account) parts.push(i18n.t('settings.by-account', { account: by.account }));
  return parts.length === 0 ? i18n.t('settings.by-nobody') : parts.join(', ');
}
