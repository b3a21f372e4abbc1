// The Settings view's form: a field per setting of a SettingsForm (model/settings-form.js),
// each with its label, hint and problem, built again when the form's shape changes (a
// department, counter or language added, removed or moved) and the page's language. Typing
// only edits the model and shows the problems again: the input keeps its focus and its text.
//
// Problems come from the one validator by path; each is shown at the field of that path, or of
// the nearest one above it (a department's name as a whole, the list of departments), with
// aria-invalid and aria-describedby, so a screen reader reads it with the field.
import { el, paint } from './dom.js';
import { fieldName, languageName } from './settings-words.js';
import { PAPERS } from '../model/receipt.js';

const MINUTE = 60_000;
const NUMBER = /^-?\d+(\.\d+)?$/;

/** A number typed as one, else the text as typed: the validator then says what is wrong with it. */
const parsed = (text) => (NUMBER.test(text.trim()) ? Number(text.trim()) : text);
const shown = (value) => (value === undefined || value === null ? '' : String(value));

/**
 * @param root       the <form>'s fields container
 * @param form       () => the SettingsForm shown
 * @param languages  the language codes the page has texts for (may be offered)
 * @param queues     () => the numbers waiting, by department id (for the range notes)
 * @param onEdit     () => called after each edit of a value
 * @param onShape    (focusId) => called after an edit of the form's shape: render again, and
 *                   put the focus on the element with that id
 * @param textColourOn, contrast  config.js's, for the colour's preview
 * Returns { render(), showProblems(problems), target(path) }: target gives the field a
 * problem at `path` is shown at ({ node, name }), or null.
 */
export function mountFields({ root, i18n, form, languages, queues, onEdit, onShape, textColourOn, contrast }) {
  let fields = new Map(); // JSON of a path -> { node, problem, hints, name }
  let afterEdit = []; // parts that follow values: legends, colour previews, range notes

  const idOf = (path) => `set-${path.map((step, i) => (path[0] === 'departments' && i === 1 ? form().keyOf(step) : step)).join('-')}`;
  const departmentName = (i) => {
    const names = form().departments[i]?.name;
    const text = names && typeof names === 'object' ? i18n.text(names) : names;
    return typeof text === 'string' && text.trim() !== '' ? text : i18n.t('settings.new-department');
  };
  const nameOf = (path) => fieldName(i18n, path, departmentName);
  /** A field's label: inside its department's box, without the department's name. */
  const labelOf = (path) => fieldName(i18n, path[0] === 'departments' ? path.slice(2) : path, departmentName);

  /** Registers `node` as the field of `path`, with a problem line (and hints) read with it. */
  function register(path, node, hints = []) {
    const problem = el('p', { className: 'settings-problem', attrs: { id: `${node.id}-problem` } });
    problem.hidden = true;
    fields.set(JSON.stringify(path), { node, problem, hints, name: () => nameOf(path) });
    return problem;
  }

  /** A labelled input for the value at `path`; `read`/`write` convert between the two. */
  function input(path, { label = labelOf(path), hint, read = shown, write = (text) => text, type = 'text', attrs = {}, className } = {}) {
    const id = idOf(path);
    const node = el('input', { attrs: { id, type, autocomplete: 'off', spellcheck: 'false', ...attrs } });
    node.value = read(form().get(path));
    const hints = hint ? [el('p', { className: 'settings-hint', text: hint, attrs: { id: `${id}-hint` } })] : [];
    const problem = register(path, node, hints);
    node.addEventListener('input', () => {
      form().set(path, write(node.value));
      onEdit();
    });
    return el('div', { className: `settings-field${className ? ` ${className}` : ''}` }, [
      el('label', { text: label, attrs: { for: id } }), node, ...hints, problem,
    ]);
  }

  /** A group of fields (a fieldset) that is also where problems of `path` as a whole show. */
  function group(path, legend, children, className = 'settings-group') {
    const node = el('fieldset', { className, attrs: { id: idOf(path), tabindex: '-1' } });
    const problem = register(path, node);
    node.append(legend, ...children, problem);
    return node;
  }

  const button = (text, onClick, { className = 'secondary', attrs = {} } = {}) => {
    const node = el('button', { className, text, attrs: { type: 'button', ...attrs } });
    node.addEventListener('click', onClick);
    return node;
  };

  /** The texts of `path` (the facility's or a department's name), one field per language offered. */
  function texts(path, offered, language) {
    return offered.map((code) => input([...path, code], {
      attrs: { lang: code },
      // A language other than the default may be left empty: its readers get the default's text.
      write: (text) => (text === '' && code !== language ? undefined : text),
      hint: code === language ? undefined : i18n.t('settings.text-fallback', { language: languageName(i18n, language) }),
    }));
  }

  function facility(raw, offered) {
    const known = [...new Set([...languages, ...offered])];
    const language = raw.language;
    const choices = known.map((code) => {
      const id = `set-offer-${code}`;
      const box = el('input', { attrs: { type: 'checkbox', id, lang: code } });
      box.checked = offered.includes(code);
      // The default language is always offered: its box stays ticked, unless a file left it out.
      box.disabled = code === language && box.checked;
      box.addEventListener('change', () => {
        if (box.checked) form().addLanguage(code);
        else form().removeLanguage(code);
        onShape(id);
      });
      return el('label', { className: 'settings-check', attrs: { for: id } }, [box, el('span', { text: languageName(i18n, code) })]);
    });
    const offeredGroup = group(['languages'], el('legend', { text: i18n.t('settings.languages') }), [
      el('div', { className: 'settings-checks' }, choices),
      el('p', { className: 'settings-hint', text: i18n.t('settings.languages-hint') }),
    ]);
    // The languages a board says each call in: the offered ones, ticked in the order offered.
    const saying = Array.isArray(raw.callOutLanguages) ? raw.callOutLanguages : [];
    const sayChoices = offered.filter((code) => typeof code === 'string').map((code) => {
      const id = `set-call-out-${code}`;
      const box = el('input', { attrs: { type: 'checkbox', id, lang: code } });
      box.checked = saying.includes(code);
      box.addEventListener('change', () => {
        const now = Array.isArray(form().raw.callOutLanguages) ? form().raw.callOutLanguages : [];
        const next = offered.filter((c) => (c === code ? box.checked : now.includes(c)));
        form().set(['callOutLanguages'], next.length === 0 ? undefined : next);
        onEdit();
      });
      return el('label', { className: 'settings-check', attrs: { for: id } }, [box, el('span', { text: languageName(i18n, code) })]);
    });
    const sayGroup = group(['callOutLanguages'], el('legend', { text: i18n.t('settings.call-out') }), [
      el('div', { className: 'settings-checks' }, sayChoices),
      el('p', { className: 'settings-hint', text: i18n.t('settings.call-out-hint') }),
    ]);
    // The default language is a choice even when not offered (from a file): the select shows it.
    const choosable = [...new Set([language, ...offered])].filter((code) => typeof code === 'string');
    const select = el('select', { attrs: { id: idOf(['language']) } }, choosable.map((code) => {
      const option = el('option', { text: languageName(i18n, code), attrs: { value: code } });
      option.selected = code === language;
      return option;
    }));
    const selectProblem = register(['language'], select);
    select.addEventListener('change', () => {
      form().set(['language'], select.value);
      onShape(select.id);
    });
    const zones = el('datalist', { attrs: { id: 'set-time-zones' } },
      (Intl.supportedValuesOf?.('timeZone') ?? []).map((zone) => el('option', { attrs: { value: zone } })));
    return group([], el('legend', { text: i18n.t('settings.facility') }), [
      el('div', { className: 'settings-row' }, texts(['facility'], offered, language)),
      offeredGroup,
      sayGroup,
      el('div', { className: 'settings-row' }, [
        el('div', { className: 'settings-field' }, [el('label', { text: nameOf(['language']), attrs: { for: select.id } }), select, selectProblem]),
        input(['timeZone'], { hint: i18n.t('settings.time-zone-hint'), attrs: { list: zones.id }, write: (text) => (text.trim() === '' ? undefined : text.trim()) }),
        zones,
      ]),
      el('div', { className: 'settings-row' }, [
        input(['ticketSeconds'], { write: parsed, attrs: { inputmode: 'numeric' }, className: 'short', hint: i18n.t('settings.ticket-seconds-hint') }),
        input(['staff', 'lockAfterSeconds'], { write: parsed, attrs: { inputmode: 'numeric' }, className: 'short', hint: i18n.t('settings.lock-after-hint') }),
      ]),
      printing(raw.printing),
    ], 'settings-section');
  }

  /** How tickets print: the paper, and whether each ticket prints as it is taken. */
  function printing(value) {
    const now = value !== null && typeof value === 'object' ? value : {};
    const paperId = idOf(['printing', 'paper']);
    // A paper this page does not know (from a file) stays chosen, so that its problem shows.
    const papers = [...new Set([...Object.keys(PAPERS), ...(typeof now.paper === 'string' ? [now.paper] : [])])];
    const paper = el('select', { attrs: { id: paperId } }, papers.map((name) => {
      const option = el('option', { text: Object.hasOwn(PAPERS, name) ? i18n.t(PAPERS[name].label) : name, attrs: { value: name } });
      option.selected = name === now.paper;
      return option;
    }));
    const paperHint = el('p', { className: 'settings-hint', text: i18n.t('settings.paper-hint'), attrs: { id: `${paperId}-hint` } });
    const paperProblem = register(['printing', 'paper'], paper, [paperHint]);
    paper.addEventListener('change', () => {
      form().set(['printing', 'paper'], paper.value);
      onEdit();
    });
    const autoId = idOf(['printing', 'auto']);
    const auto = el('input', { attrs: { type: 'checkbox', id: autoId } });
    auto.checked = now.auto === true;
    const autoHint = el('p', { className: 'settings-hint', text: i18n.t('settings.print-auto-hint'), attrs: { id: `${autoId}-hint` } });
    const autoProblem = register(['printing', 'auto'], auto, [autoHint]);
    auto.addEventListener('change', () => {
      form().set(['printing', 'auto'], auto.checked);
      onEdit();
    });
    return group(['printing'], el('legend', { text: i18n.t('settings.printing') }), [
      el('div', { className: 'settings-row' }, [
        el('div', { className: 'settings-field' }, [el('label', { text: labelOf(['printing', 'paper']), attrs: { for: paperId } }), paper, paperHint, paperProblem]),
        el('div', { className: 'settings-field' }, [
          el('label', { className: 'settings-check', attrs: { for: autoId } }, [auto, el('span', { text: labelOf(['printing', 'auto']) })]),
          autoHint, autoProblem,
        ]),
      ]),
    ]);
  }

  function department(raw, i, offered) {
    const f = form();
    const path = ['departments', i];
    const d = raw.departments[i];
    const at = (field) => [...path, field];
    const legend = el('legend', { text: departmentName(i) });
    const count = raw.departments.length;
    const rangeNote = el('p', { className: 'settings-note', attrs: { id: `${idOf(path)}-range` } });
    const range = ['minNumber', 'maxNumber'].map((field) => {
      const box = input(at(field), { write: parsed, attrs: { inputmode: 'numeric' }, className: 'short' });
      fields.get(JSON.stringify(at(field))).hints.push(rangeNote); // read with either end
      return box;
    });
    const colour = colourField(at('colour'), i);
    const idField = input(at('id'), {
      attrs: f.idEditable(i) ? {} : { readonly: '' },
      hint: i18n.t(f.idEditable(i) ? 'settings.id-new-hint' : 'settings.id-kept-hint'),
    });
    const actions = el('div', { className: 'settings-department-actions' }, [
      button(i18n.t('settings.move-up'), () => { f.moveDepartment(i, i - 1); onShape(`${idOf([...path])}-up`); }, { attrs: { id: `${idOf(path)}-up` } }),
      button(i18n.t('settings.move-down'), () => { f.moveDepartment(i, i + 1); onShape(`${idOf([...path])}-down`); }, { attrs: { id: `${idOf(path)}-down` } }),
      button(i18n.t('settings.remove-department'), () => {
        const next = i + 1 < count ? idOf(['departments', i + 1]) : 'set-add-department';
        f.removeDepartment(i);
        onShape(next);
      }, { className: 'danger' }),
    ]);
    actions.children[0].disabled = i === 0;
    actions.children[1].disabled = i === count - 1;
    for (const [index, node] of [[0, actions.children[0]], [1, actions.children[1]]]) {
      node.setAttribute('aria-label', i18n.t(index === 0 ? 'settings.move-up-named' : 'settings.move-down-named', { department: departmentName(i) }));
    }
    actions.children[2].setAttribute('aria-label', i18n.t('settings.remove-named', { department: departmentName(i) }));
    const node = group(path, legend, [
      el('div', { className: 'settings-row' }, texts(at('name'), offered, raw.language)),
      el('div', { className: 'settings-row' }, [idField, ...range]),
      rangeNote,
      colour,
      counters(at('counters'), d.counters, i),
      shutdown(at('autoShutdownTimeout'), d.autoShutdownTimeout),
      actions,
    ], 'settings-department');
    // The name in the legend and the colour at the top follow what is typed.
    afterEdit.push(() => {
      legend.textContent = departmentName(i);
      const value = form().get(at('colour'));
      if (typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value)) paint(node, value, textColourOn(value));
      const change = form().rangeChange(i, queues());
      rangeNote.hidden = change === null;
      rangeNote.textContent = change === null ? ''
        : change.outside > 0 ? i18n.t('settings.range-later', { count: change.waiting, outside: change.outside })
          : i18n.t('settings.range-now', { count: change.waiting });
    });
    return node;
  }

  /** The colour as text (#rrggbb), a colour picker, and the department's name on it with its contrast. */
  function colourField(path, i) {
    const box = input(path, { hint: i18n.t('settings.colour-hint'), className: 'short', attrs: { maxlength: '7' } });
    const text = box.querySelector('input');
    const picker = el('input', { attrs: { type: 'color', id: `${text.id}-picker`, 'aria-label': i18n.t('settings.colour-picker', { department: departmentName(i) }) } });
    const sample = el('span', { className: 'settings-sample' });
    const ratio = el('span', { className: 'settings-contrast' });
    const preview = el('p', { className: 'settings-preview', attrs: { id: `${text.id}-preview` } }, [sample, ratio]);
    fields.get(JSON.stringify(path)).hints.push(preview);
    picker.addEventListener('input', () => {
      text.value = picker.value;
      form().set(path, picker.value);
      onEdit();
    });
    afterEdit.push(() => {
      const value = form().get(path);
      const good = typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value);
      preview.hidden = !good;
      if (!good) return;
      if (picker.value.toLowerCase() !== value.toLowerCase()) picker.value = value;
      const on = textColourOn(value);
      paint(sample, value, on);
      sample.textContent = departmentName(i);
      ratio.textContent = i18n.t(on === '#ffffff' ? 'settings.contrast-white' : 'settings.contrast-black',
        { ratio: contrast(value, on).toFixed(1) });
    });
    box.querySelector('label').after(el('div', { className: 'settings-colour' }, [text, picker]));
    box.append(preview);
    return box;
  }

  function counters(path, list = [], i) {
    const f = form();
    const items = (Array.isArray(list) ? list : []).map((name, j) => {
      const field = input([...path, j], { write: (value) => value, className: 'counter' });
      const remove = button(i18n.t('settings.remove'), () => {
        f.removeCounter(i, j);
        onShape(j > 0 ? idOf([...path, j - 1]) : `${idOf(path)}-add`);
      }, { attrs: { 'aria-label': i18n.t('settings.remove-counter', { counter: String(name) }) } });
      return el('li', {}, [field, remove]);
    });
    const add = button(i18n.t('settings.add-counter'), () => {
      const j = f.addCounter(i, f.nextCounter(i));
      onShape(idOf([...path, j]));
    }, { attrs: { id: `${idOf(path)}-add` } });
    return group(path, el('legend', { text: i18n.t('settings.counters') }), [
      el('p', { className: 'settings-hint', text: i18n.t(items.length === 0 ? 'settings.no-counters' : 'settings.counters-hint') }),
      el('ul', { className: 'settings-counters' }, items),
      add,
    ], 'settings-group');
  }

  /** Idle switch-off, in minutes (config.json holds milliseconds), or never. */
  function shutdown(path, value) {
    const never = value === null || value === undefined;
    const box = input(path, {
      className: 'short',
      attrs: { inputmode: 'decimal' },
      read: (ms) => (typeof ms === 'number' ? String(ms / MINUTE) : shown(ms)),
      write: (text) => {
        const minutes = parsed(text);
        return typeof minutes === 'number' ? Math.round(minutes * MINUTE) : minutes;
      },
    });
    const minutes = box.querySelector('input');
    minutes.disabled = never;
    const id = `${minutes.id}-never`;
    const check = el('input', { attrs: { type: 'checkbox', id } });
    check.checked = never;
    check.addEventListener('change', () => {
      // Unticked, it comes back with the minutes last typed, or two hours.
      const typed = parsed(minutes.value);
      form().set(path, check.checked ? null : (typeof typed === 'number' ? Math.round(typed * MINUTE) : 120 * MINUTE));
      onShape(id);
    });
    box.append(el('label', { className: 'settings-check', attrs: { for: id } }, [check, el('span', { text: i18n.t('settings.never-switch-off') })]));
    return box;
  }

  return {
    render() {
      const raw = form().raw;
      fields = new Map();
      afterEdit = [];
      const offered = Array.isArray(raw.languages) ? raw.languages.filter((c) => typeof c === 'string') : [raw.language];
      const list = Array.isArray(raw.departments) ? raw.departments : [];
      const add = button(i18n.t('settings.add-department'), () => {
        const i = form().addDepartment('');
        onShape(idOf(['departments', i, 'name', raw.language]));
      }, { attrs: { id: 'set-add-department' } });
      const departments = group(['departments'], el('legend', { text: i18n.t('settings.departments') }),
        [...list.map((d, i) => department(raw, i, offered)), add], 'settings-section');
      root.replaceChildren(facility(raw, offered), departments);
      for (const update of afterEdit) update();
    },
    /** After each edit: the parts that follow values, and every problem at its field. */
    refresh(problems) {
      for (const update of afterEdit) update();
      const at = new Map();
      for (const problem of problems) {
        const field = this.target(problem.path);
        if (field === null) continue;
        if (!at.has(field)) at.set(field, []);
        at.get(field).push(problem);
      }
      for (const field of fields.values()) {
        const found = at.get(field) ?? [];
        field.problem.hidden = found.length === 0;
        field.problem.textContent = found.map((p) => problemText(i18n, p)).join(' ');
        if (found.length > 0) field.node.setAttribute('aria-invalid', 'true');
        else field.node.removeAttribute('aria-invalid');
        const ids = [...field.hints.map((h) => h.id), ...(found.length > 0 ? [field.problem.id] : [])];
        if (ids.length > 0) field.node.setAttribute('aria-describedby', ids.join(' '));
        else field.node.removeAttribute('aria-describedby');
      }
    },
    /** The field at `path` or the nearest one above it: { node, problem, name() }, or null. */
    target(path) {
      for (let n = path.length; n >= 0; n -= 1) {
        const field = fields.get(JSON.stringify(path.slice(0, n)));
        if (field) return field;
      }
      return null;
    },
  };
}

/**
 * A problem's text in the page's language. The switch-off is typed in minutes here, so its
 * problem says minutes; config.json's own text speaks of milliseconds.
 */
export function problemText(i18n, { path, key, params }) {
  if (key === 'config.problem.auto-shutdown') return i18n.t('settings.problem.auto-shutdown');
  return i18n.t(key, params);
}
