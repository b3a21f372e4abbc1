// The Settings view, for a manager (the console's third page, at #settings): the facility's
// configuration edited field by field (views/settings-fields.js, on model/settings-form.js),
// saved as a new version of the settings record, its history with what changed and a restore,
// and export and import of config.json files. Nothing invalid is saved: the one validator
// (model/config.js) checks every field, and a refused save lists the problems.
//
// Another manager's save is never silently lost nor does it silently overwrite edits: a newer
// version that arrives while this form has edits is announced with what changed, and the
// manager chooses to load it or keep their edits and save over it.
import { SettingsForm, diff, exportText, importText } from '../model/settings-form.js';
import { contrast } from '../model/config.js';
import { el, setText, boundTexts } from './dom.js';
import { mountFields, problemText } from './settings-fields.js';
import { changeText, savedBy } from './settings-words.js';

/**
 * @param root         the #settings section of the console
 * @param i18n         the page's PageLanguage
 * @param record       the settings record: { latest, ready, subscribe(fn), history(), version(n) }
 *                     (entries `{ version, config, savedAt, by: { device, account } }`)
 * @param served       the served config.json's configuration, in its shape (toRaw), used while
 *                     nothing is saved; its hub is left out
 * @param departments  the page's Department objects, or () => them: their waiting tickets
 * @param onSave       (config, { base }) => Promise of record.save's result: saves `config`
 *                     over version `base`, and configures the departments
 * @param languages    the language codes the page has texts for, which may be offered
 * @param textColourOn config.js's; timeZone the facility's (or () => it), for the history's times
 * Returns { render() }: call it when the page comes on screen (it reads the history again).
 */
export function mountSettings({
  root, i18n, record, served, departments, onSave, languages = ['en', 'es'], textColourOn, timeZone,
}) {
  const doc = root.ownerDocument;
  const texts = boundTexts(i18n);
  const start = record.latest ?? { version: 0, config: served };
  let form = new SettingsForm(start.config, { base: start.version });
  let shown = record.latest ?? null; // the entry of the version the form is based on (null: the served file)
  let newer = null; // a version saved elsewhere while this form has edits: { entry, refused }
  let busy = false;

  const listOf = () => (typeof departments === 'function' ? departments() : departments);
  const queues = () => Object.fromEntries(listOf().map((d) => [d.config.id, d.view().queue]));
  const namesOf = (id, ...configs) => configs.map((c) => c?.departments?.find?.((d) => d?.id === id)?.name).find(Boolean);
  const zone = () => (typeof timeZone === 'function' ? timeZone() : timeZone);
  const when = (ms) => new Intl.DateTimeFormat(i18n.code, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone() }).format(new Date(ms));

  // The parts, built once.
  const title = texts.text(el('h3', { attrs: { id: 'settings-title' } }), 'settings.title');
  const version = el('p', { className: 'settings-version', attrs: { id: 'settings-version' } });
  const exportButton = texts.text(el('button', { className: 'secondary', attrs: { type: 'button', id: 'settings-export' } }), 'settings.export');
  const file = el('input', { className: 'visually-hidden', attrs: { type: 'file', id: 'settings-file', accept: '.json,application/json', tabindex: '-1', 'aria-hidden': 'true' } });
  const importButton = texts.text(el('button', { className: 'secondary', attrs: { type: 'button', id: 'settings-import' } }), 'settings.import');
  const newerBox = el('div', { className: 'settings-newer', attrs: { id: 'settings-newer' } });
  const fieldsRoot = el('div', { className: 'settings-fields' });
  const save = texts.text(el('button', { attrs: { type: 'submit', id: 'settings-save' } }), 'settings.save');
  const discard = texts.text(el('button', { className: 'secondary', attrs: { type: 'button', id: 'settings-discard' } }), 'settings.discard');
  const status = el('p', { className: 'settings-status', attrs: { id: 'settings-status', role: 'status' } });
  const summary = el('div', { className: 'settings-summary', attrs: { id: 'settings-summary', role: 'alert' } });
  const formEl = el('form', { className: 'settings-form', attrs: { novalidate: '', 'aria-labelledby': title.id } },
    [summary, fieldsRoot, el('div', { className: 'settings-actions' }, [save, discard, status])]);
  const historyTitle = texts.text(el('h3', { attrs: { id: 'settings-history-title' } }), 'settings.history');
  const historyList = el('ol', { className: 'settings-history', attrs: { id: 'settings-history', reversed: '' } });
  const dialog = confirmDialog(i18n);
  root.replaceChildren(
    el('div', { className: 'settings-head' }, [title, el('div', { className: 'settings-file' }, [exportButton, importButton, file])]),
    version, newerBox, formEl,
    el('section', { className: 'settings-history-box', attrs: { 'aria-labelledby': historyTitle.id } }, [historyTitle, historyList]),
    dialog.node,
  );
  root.setAttribute('aria-labelledby', title.id);

  const fields = mountFields({
    root: fieldsRoot, i18n, form: () => form, languages, queues, textColourOn, contrast,
    onEdit: () => edited(),
    onShape: (focusId) => {
      fields.render();
      edited();
      doc.getElementById(focusId)?.focus();
    },
  });

  /** After any edit: problems at their fields; the refusal's summary goes once they are fixed. */
  function edited() {
    const found = form.problems();
    fields.refresh(found);
    if (found.length === 0) summary.replaceChildren();
    discard.disabled = !form.changed;
    if (said?.key === 'settings.unsaved' || form.changed) say(form.changed ? 'settings.unsaved' : null);
  }

  /** The status line: a key and its params, kept so that it follows a change of language. */
  let said = null;
  function say(key, params = {}) {
    said = key === null ? null : { key, params };
    setText(status, key === null ? '' : i18n.t(key, params));
  }

  function renderVersion() {
    setText(version, shown === null ? i18n.t('settings.version-served')
      : i18n.t('settings.version', { version: shown.version, when: when(shown.savedAt), by: savedBy(i18n, shown.by) }));
  }

  /** Edits this entry's configuration from now on, dropping any edits. */
  function use(entry) {
    form = new SettingsForm(entry.config, { base: entry.version });
    shown = entry.version === 0 ? null : entry;
    newer = null;
    summary.replaceChildren();
    renderAll();
  }

  function renderAll() {
    fields.render();
    edited();
    renderVersion();
    renderNewer();
  }

  /** The list of refused problems: each a button that takes the focus to its field. */
  function showSummary(found) {
    const items = found.map((problem) => {
      const field = fields.target(problem.path);
      const text = i18n.t('settings.summary-item', { field: field ? field.name() : '', problem: problemText(i18n, problem) });
      const go = el('button', { className: 'link', text, attrs: { type: 'button' } });
      go.addEventListener('click', () => field?.node.focus());
      return el('li', {}, [go]);
    });
    summary.replaceChildren(el('p', { text: i18n.t('settings.refused-problems', { count: found.length }) }), el('ul', {}, items));
    summary.scrollIntoView?.({ block: 'nearest' });
  }

  /** The newer version's notice: who saved it and when, what changed, and the two ways on. */
  function renderNewer() {
    newerBox.hidden = newer === null;
    if (newer === null) return newerBox.replaceChildren();
    const { entry, refused } = newer;
    const params = { version: entry.version, when: when(entry.savedAt), by: savedBy(i18n, entry.by) };
    const changes = changeList(i18n, diff(form.saved, entry.config), (id) => namesOf(id, entry.config, form.saved));
    const toggle = el('button', { className: 'secondary', text: i18n.t(newer.open ? 'settings.hide-changes' : 'settings.show-changes'), attrs: { type: 'button', 'aria-expanded': String(Boolean(newer.open)), 'aria-controls': 'settings-newer-changes' } });
    changes.id = 'settings-newer-changes';
    changes.hidden = !newer.open;
    toggle.addEventListener('click', () => {
      newer.open = !newer.open;
      renderNewer();
      newerBox.querySelector('button').focus();
    });
    const load = el('button', { className: 'secondary', text: i18n.t('settings.load-version', params), attrs: { type: 'button' } });
    load.addEventListener('click', () => {
      use(entry);
      say('settings.applied', params);
      save.focus();
    });
    const keep = el('button', { className: 'secondary', text: i18n.t('settings.keep-edits', params), attrs: { type: 'button' } });
    keep.addEventListener('click', () => {
      form.rebase(entry.config, entry.version);
      shown = entry;
      newer = null;
      renderAll();
      save.focus();
    });
    newerBox.replaceChildren(
      el('p', { text: i18n.t(refused ? 'settings.refused-changed' : 'settings.newer', params) }),
      el('div', { className: 'settings-newer-actions' }, [toggle, load, keep]),
      changes,
    );
  }

  async function submit() {
    if (busy) return;
    const found = form.problems();
    fields.refresh(found);
    if (found.length > 0) {
      say(null);
      showSummary(found);
      return;
    }
    const removed = form.removedWithWaiting(queues());
    if (removed.length > 0 && !await dialog.ask({
      title: i18n.t('settings.remove-title'),
      text: i18n.t('settings.remove-text'),
      items: removed.map((d) => i18n.t('settings.remove-item', { department: i18n.text(d.names), count: d.waiting })),
      confirm: i18n.t('settings.remove-confirm'),
    })) return;
    await saveAs(structuredClone(form.raw), form.base);
  }

  /** Saves `config` over version `base`; the form then shows the version saved. */
  async function saveAs(config, base) {
    busy = true;
    save.disabled = true;
    say('settings.saving');
    let result;
    try {
      result = await onSave(config, { base });
    } catch (error) {
      result = { ok: false, code: 'unavailable', message: error.message };
    } finally {
      busy = false;
      save.disabled = false;
    }
    if (result.ok) {
      use(result.entry);
      say('settings.saved', { version: result.entry.version });
      loadHistory();
      if (record.latest) offered(record.latest); // saved elsewhere since, while this save ran
    } else if (result.code === 'changed') {
      newer = { entry: result.latest, refused: true, open: true };
      renderNewer();
      say(null);
      newerBox.querySelector('button')?.focus();
    } else {
      const key = { forbidden: 'settings.failed-forbidden', offline: 'settings.failed-offline' }[result.code] ?? 'settings.failed-unavailable';
      say(key, { message: result.message ?? result.code });
    }
    return result;
  }

  formEl.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  discard.addEventListener('click', () => {
    use(shown ?? { version: 0, config: served });
    say(null);
  });

  exportButton.addEventListener('click', () => {
    const url = URL.createObjectURL(new Blob([exportText(form.raw)], { type: 'application/json' }));
    const link = el('a', { attrs: { href: url, download: 'config.json' } });
    link.hidden = true;
    root.append(link);
    link.click();
    link.remove();
    // Revoked later, not at once: the browser reads the file after the click returns.
    doc.defaultView.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  });
  importButton.addEventListener('click', () => file.click());
  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    file.value = '';
    if (!chosen) return;
    const read = importText(await chosen.text());
    if (!read.ok) {
      say('settings.import-failed', { file: chosen.name, problem: problemText(i18n, read.problems[0]) });
      return;
    }
    // Loaded to review, not saved: the manager saves it, or discards it.
    form.load(read.raw);
    summary.replaceChildren();
    renderAll();
    say('settings.imported', { file: chosen.name, count: read.problems.length });
    importButton.focus();
  });

  // Versions saved by any window or device. While this form's own save is in flight, the
  // record offers that save's version before onSave returns (it still configures the
  // departments): it is not news from elsewhere, and saveAs looks again once it returns.
  record.subscribe((entry) => {
    renderVersion();
    loadHistory();
    if (!busy) offered(entry);
  });
  function offered(entry) {
    if (!entry || entry.version <= form.base) return;
    if (form.changed) {
      newer = { entry, refused: false, open: false };
      renderNewer();
    } else {
      use(entry);
      say('settings.applied', { version: entry.version, when: when(entry.savedAt), by: savedBy(i18n, entry.by) });
    }
  }
  record.ready?.then(() => {
    const latest = record.latest;
    if (latest && latest.version > form.base && !form.changed) use(latest);
  }, () => {});

  // History: newest first; each version's changes up to the current one, and its restore.
  let historyShown = new Set();
  async function loadHistory() {
    let entries;
    try {
      entries = await record.history();
    } catch (error) {
      historyList.replaceChildren(el('li', { text: i18n.t('settings.history-failed', { message: error.message }) }));
      return;
    }
    if (entries.length === 0) {
      historyList.replaceChildren(el('li', { className: 'empty', text: i18n.t('settings.history-empty') }));
      return;
    }
    const current = entries[0].version;
    historyList.replaceChildren(...entries.map((entry) => historyItem(entry, entry.version === current)));
  }

  function historyItem({ version: n, savedAt, by }, isCurrent) {
    const text = el('p', { text: i18n.t(isCurrent ? 'settings.history-current' : 'settings.history-item', { version: n, when: when(savedAt), by: savedBy(i18n, by) }) });
    const item = el('li', { attrs: { 'data-version': String(n), value: String(n) } }, [text]);
    if (isCurrent) return item;
    const changesId = `settings-changes-${n}`;
    const changes = el('div', { className: 'settings-changes', attrs: { id: changesId } });
    const show = el('button', { className: 'secondary', text: i18n.t('settings.what-changed'), attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': changesId } });
    const restore = el('button', { className: 'secondary', text: i18n.t('settings.restore'), attrs: { type: 'button' } });
    const showChanges = async () => {
      const [then, now] = [await record.version(n), record.latest];
      if (!then || !now) return;
      changes.replaceChildren(
        el('p', { text: i18n.t('settings.changes-since', { version: n }) }),
        changeList(i18n, diff(then.config, now.config), (id) => namesOf(id, now.config, then.config)),
      );
      changes.hidden = false;
      show.setAttribute('aria-expanded', 'true');
      historyShown.add(n);
    };
    show.addEventListener('click', () => {
      if (show.getAttribute('aria-expanded') === 'true') {
        changes.hidden = true;
        show.setAttribute('aria-expanded', 'false');
        historyShown.delete(n);
      } else showChanges();
    });
    restore.addEventListener('click', async () => {
      const ok = await dialog.ask({
        title: i18n.t('settings.restore-title', { version: n }),
        text: i18n.t(form.changed ? 'settings.restore-text-edits' : 'settings.restore-text'),
        confirm: i18n.t('settings.restore-confirm'),
      });
      if (!ok) return;
      const entry = await record.version(n);
      if (entry) await saveAs(structuredClone(entry.config), record.latest?.version ?? form.base);
    });
    changes.hidden = true;
    if (historyShown.has(n)) showChanges();
    item.append(el('div', { className: 'settings-history-actions' }, [show, restore]), changes);
    return item;
  }

  i18n.subscribe(() => {
    texts.apply();
    renderAll();
    if (said) say(said.key, said.params);
    if (summary.childElementCount > 0) showSummary(form.problems());
    loadHistory();
  });
  renderAll();
  loadHistory();
  return {
    render() {
      renderVersion();
      loadHistory();
    },
  };
}

/** What changed, as a list; "No changes." when nothing did. */
function changeList(i18n, changes, names) {
  if (changes.length === 0) return el('ul', { className: 'settings-change-list' }, [el('li', { text: i18n.t('settings.change.none') })]);
  return el('ul', { className: 'settings-change-list' }, changes.map((change) => el('li', { text: changeText(i18n, change, names) })));
}

/** A modal confirmation: `ask({ title, text, items, confirm })` resolves true when confirmed. */
function confirmDialog(i18n) {
  const title = el('h2', { attrs: { id: 'settings-confirm-title' } });
  const text = el('p', { attrs: { id: 'settings-confirm-text' } });
  const list = el('ul', { className: 'settings-confirm-list' });
  const cancel = el('button', { className: 'secondary', attrs: { value: 'cancel' } });
  const yes = el('button', { className: 'danger', attrs: { value: 'confirm' } });
  const node = el('dialog', { attrs: { id: 'settings-confirm', 'aria-labelledby': title.id, 'aria-describedby': `${text.id} settings-confirm-list` } }, [
    title, text, list, el('form', { className: 'dialog-actions', attrs: { method: 'dialog' } }, [cancel, yes]),
  ]);
  list.id = 'settings-confirm-list';
  let answer = null;
  node.addEventListener('close', () => {
    answer?.(node.returnValue === 'confirm');
    answer = null;
  });
  return {
    node,
    ask({ title: heading, text: words, items = [], confirm }) {
      title.textContent = heading;
      text.textContent = words;
      list.replaceChildren(...items.map((item) => el('li', { text: item })));
      list.hidden = items.length === 0;
      cancel.textContent = i18n.t('common.cancel');
      yes.textContent = confirm;
      node.returnValue = '';
      node.showModal();
      cancel.focus();
      return new Promise((resolve) => { answer = resolve; });
    },
  };
}
