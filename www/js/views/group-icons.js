// The icons a queue group may show (config.json's `icon`: config-groups.js lists the names),
// drawn inline as SVG paths in a 24×24 box, in the text's colour: no request, no image file, and
// nothing the CSP has to allow. Each is decorative (aria-hidden): the group's name says it.

const SVG = 'http://www.w3.org/2000/svg';

/** Each icon's paths: filled shapes in currentColor. */
const PATHS = {
  person: ['M12 2a4 4 0 1 1 0 8a4 4 0 1 1 0-8z', 'M4 22v-3a6 6 0 0 1 6-6h4a6 6 0 0 1 6 6v3z'],
  priority: ['M12 2l2.9 6.3l6.9.7l-5.2 4.6l1.5 6.8L12 17l-6.1 3.4l1.5-6.8L2.2 9l6.9-.7z'],
  elderly: ['M10 1.5a3 3 0 1 1 0 6a3 3 0 1 1 0-6z', 'M7 22l1.5-8l-2.5 2v4H4v-5l5-5h3l2 4l3 1v2l-4-1l-1-2l-1 5l2 7h-2.2l-1.8-6l-1 6z',
    'M17 12h1.6v10H17z'],
  pregnant: ['M11 1.5a3 3 0 1 1 0 6a3 3 0 1 1 0-6z', 'M8 22v-6l-1-1l1-5a2 2 0 0 1 2-2h2l2 3a4 4 0 0 1 1 6h-2v5h-2v-5h-1v5z'],
  accessible: ['M10 1.5a2.5 2.5 0 1 1 0 5a2.5 2.5 0 1 1 0-5z',
    'M9 8h2v5h5l3 6l-1.8.9L14.8 15H9z', 'M8 11.2v2.3a4.5 4.5 0 1 0 6.4 5.5l1.3 1.6A6.5 6.5 0 1 1 8 11.2z'],
  child: ['M12 5a3 3 0 1 1 0 6a3 3 0 1 1 0-6z', 'M7 22v-5l-2-3l1.5-1L9 15h6l2.5-2l1.5 1l-2 3v5h-3v-4h-2v4z'],
  appointment: ['M4 5h16a1 1 0 0 1 1 1v15a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1zm1 6v9h14v-9z', 'M7 2h2v5H7zm8 0h2v5h-2z',
    'M7 13h3v3H7z'],
  info: ['M12 2a10 10 0 1 1 0 20a10 10 0 1 1 0-20zm-1.3 8v8h2.6v-8zm1.3-4.5a1.6 1.6 0 1 0 0 3.2a1.6 1.6 0 1 0 0-3.2z'],
};

/** Icon `name` as an <svg> element (class `group-icon`), hidden from screen readers. */
export function groupIcon(doc, name) {
  const svg = doc.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'group-icon');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of PATHS[name] ?? PATHS.info) {
    const path = doc.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

/** The names drawn here: the same list as config-groups.js's GROUP_ICONS (a test keeps them so). */
export const DRAWN = Object.keys(PATHS);

/**
 * A ticket's group mark (the board, the call overlay): the group's icon and its short label
 * (model/queue-rules.js shortLabels), one image named by the group's name (screen readers, and
 * a tooltip). The label is drawn by CSS from data-label, so that the number's own text stays
 * the number alone. Nothing (null) for a ticket without a group.
 */
export function groupMark(doc, group, label, name) {
  if (group === null) return null;
  const mark = doc.createElement('span');
  mark.className = 'group-mark';
  mark.dataset.group = group.id;
  mark.setAttribute('role', 'img');
  mark.setAttribute('aria-label', name);
  mark.title = name;
  const letter = doc.createElement('span');
  letter.className = 'group-letter';
  letter.dataset.label = label;
  mark.append(groupIcon(doc, group.icon), letter);
  return mark;
}
