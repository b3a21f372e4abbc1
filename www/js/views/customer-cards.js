// The customer view's department cards, built once per page by whichever script gets there
// first: early-screen.js, which shows them before the machines have started, or the customer view
// (customer.js), which then takes over the same nodes rather than building a second set. The
// page may also come with them (the service worker's first screen, kept-screen.js).
import { el, paint } from './dom.js';

/**
 * The cards of `departments` (validated config.json departments) in `root` (#departments): the ones
 * already there when they are these departments, in this order (painted again: the page's
 * first screen may have come from another configuration), or new ones (a tap kept on the old
 * ones carried over by department).
 * Returns a Map id -> { card, name, status, estimate, button }.
 */
export function customerCards(root, departments, textColourOn) {
  const existing = [...root.children];
  const same = existing.length === departments.length
    && existing.every((card, i) => card.dataset.card === departments[i].id);
  // A tap first.js kept on old cards stays with its department, if that is still there.
  const tapped = same ? null : root.querySelector('button[aria-busy="true"]')?.dataset.department;
  if (same) departments.forEach(({ colour }, i) => paint(existing[i], colour, textColourOn(colour)));
  else root.replaceChildren(...departments.map((dept) => cardOf(dept, textColourOn)));
  const cards = new Map([...root.children].map((card) => [card.dataset.card, {
    card,
    name: card.querySelector('h3'),
    status: card.querySelector('.card-status'),
    estimate: card.querySelector('.card-estimate'),
    button: card.querySelector('button[data-department]'),
  }]));
  cards.get(tapped)?.button.setAttribute('aria-busy', 'true');
  return cards;
}

function cardOf({ id, colour }, textColourOn) {
  const card = el('article', { className: 'department-card', attrs: { 'aria-labelledby': `name-${id}`, 'data-card': id } }, [
    el('h3', { attrs: { id: `name-${id}` } }),
    el('p', { className: 'card-status', attrs: { id: `status-${id}` } }),
    // Hidden until there is an estimate: a line that came and went would move the button.
    el('p', { className: 'card-estimate', attrs: { id: `estimate-${id}`, hidden: '' } }),
    el('button', {
      className: 'take',
      attrs: { type: 'button', 'aria-describedby': `name-${id} status-${id} estimate-${id}`, 'data-department': id },
    }),
  ]);
  paint(card, colour, textColourOn(colour));
  return card;
}
