// The customer's choice of queue group, after tapping a department that has groups (config.json
// `groups`): a large button per group with its icon, name and description, in the customer's
// language, and a way back to the departments. It stands in for the department cards while it
// is open; keyboard and screen reader users land on its heading, Escape goes back, and it goes
// back by itself when nobody touches it for the facility's ticket time (the next customer then
// finds the start screen).
import { el, setText } from './dom.js';
import { groupIcon } from './group-icons.js';

/**
 * @param root    the customer view's section: the picker goes after its department cards
 * @param cards   the department cards' container (#departments): hidden while the picker is open
 * @param i18n    the window's PageLanguage
 * @param idleMs  () => how long the picker stays without a touch or key press
 * @param choose  (dept, groupId) => the customer picked group `groupId` of `dept`
 * Returns { open(dept, button), close({ focus }), render(), isOpen() }.
 */
export function mountGroupPicker({ root, cards, i18n, idleMs, choose }) {
  const doc = root.ownerDocument;
  const win = doc.defaultView;
  const title = el('h3', { attrs: { id: 'group-picker-title', tabindex: '-1' } });
  const hint = el('p', { className: 'hint', attrs: { id: 'group-picker-hint' } });
  const list = el('ul', { className: 'group-list', attrs: { 'aria-labelledby': 'group-picker-title' } });
  const back = el('button', { className: 'secondary group-back', attrs: { type: 'button' } });
  const picker = el('section', {
    className: 'group-picker',
    attrs: { id: 'group-picker', 'aria-labelledby': 'group-picker-title', 'aria-describedby': 'group-picker-hint', hidden: '' },
  }, [title, hint, list, back]);
  cards.after(picker);

  let dept = null; // the department whose groups are shown
  let opener = null; // its "Take a number" button, where focus goes back to
  let timer = null;
  const arm = () => {
    win.clearTimeout(timer);
    timer = dept === null ? null : win.setTimeout(() => close({ focus: false }), idleMs());
  };

  function render() {
    if (dept === null) return;
    const department = i18n.text(dept.config.names);
    setText(title, i18n.t('groups.title', { department }));
    setText(hint, i18n.t('groups.hint'));
    setText(back, i18n.t('groups.back'));
    list.replaceChildren(...dept.config.groups.map((group) => {
      const description = group.descriptions === null ? '' : i18n.text(group.descriptions);
      return el('li', {}, [el('button', { className: 'group-choice', attrs: { type: 'button', 'data-group': group.id } }, [
        groupIcon(doc, group.icon),
        el('span', { className: 'group-words' }, [
          el('span', { className: 'group-name', text: i18n.text(group.names) }),
          ...(description === '' ? [] : [el('span', { className: 'group-description', text: description })]),
        ]),
      ])]);
    }));
  }

  function open(which, button) {
    dept = which;
    opener = button;
    render();
    cards.hidden = true;
    picker.hidden = false;
    title.focus();
    arm();
  }

  /** Back to the department cards; `focus`: to the button that opened the picker. */
  function close({ focus = true } = {}) {
    if (dept === null) return;
    const id = dept.config.id;
    dept = null;
    arm();
    picker.hidden = true;
    cards.hidden = false;
    // The button may be another by now (new settings built the cards again).
    const button = opener?.isConnected ? opener : cards.querySelector(`button[data-department="${id}"]`);
    opener = null;
    if (focus) button?.focus();
  }

  picker.addEventListener('click', (event) => {
    if (dept === null) return;
    if (event.target.closest('.group-back')) {
      close();
      return;
    }
    const choice = event.target.closest('button[data-group]');
    if (!choice) return;
    const which = dept;
    close(); // focus on the department's button again, as after a take without groups
    choose(which, choice.dataset.group);
  });
  doc.addEventListener('keydown', (event) => {
    if (dept === null) return;
    if (event.key === 'Escape') close();
    else arm();
  });
  doc.addEventListener('pointerdown', () => { if (dept !== null) arm(); });

  return { open, close, render, isOpen: () => dept !== null, department: () => dept };
}
