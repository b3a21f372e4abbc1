// The page's frame, <body>: which view's section is shown (route.js says which), "Starting…"
// until it is mounted, and the marks on <body> that tests and diagnostics read. Only main.js
// uses it, so it stays out of what the first screen loads.
import { SECTIONS } from '../model/route.js';
import { pageStatus } from '../model/page-status.js';
import { showFatal } from './page.js';

/**
 * The page's frame, <body>: `show(route, { later, problem })` shows the section of `route`
 * (route.js); until the views after the customer's are mounted (`later`), "Starting…" in their
 * place, or `problem` if they never will be. It tells every `subscribe`r the route shown.
 * `mark(name, value)` sets `body[data-name]`, the marks tests and diagnostics read (view, hub,
 * hosting, usable, ready); `follow(facility)` keeps the departments' marks up to date (departments.js).
 */
export function mountFrame(doc) {
  const $ = (id) => doc.getElementById(id);
  const listeners = new Set();
  return {
    show(route, { later, problem = null }) {
      const mounted = route.section === 'customer' || later;
      if (!mounted && problem !== null) {
        showFatal(doc, problem);
        return;
      }
      $('fatal').hidden = true;
      $('loading').hidden = mounted;
      for (const section of SECTIONS) $(`view-${section}`).hidden = !mounted || section !== route.section;
      // No link leads customers to the staff view (SECURITY.md): inside the console, two buttons
      // switch between its pages.
      for (const link of doc.querySelectorAll('[data-view-link]')) {
        if (link.dataset.viewLink === route.view) link.setAttribute('aria-current', 'page');
        else link.removeAttribute('aria-current');
      }
      doc.body.dataset.view = route.view;
      for (const listener of listeners) listener(route);
    },
    mark(name, value) {
      doc.body.dataset[name] = value;
    },
    /** Marks body[data-hub] and [data-hosting] after each change; returns the marking, to run again. */
    follow(facility) {
      const mark = () => {
        const { departments } = facility;
        doc.body.dataset.hub = pageStatus(departments);
        doc.body.dataset.hosting = departments.filter((d) => d.isHost).map((d) => d.config.id).join(' ');
      };
      facility.watch(mark);
      return mark;
    },
    subscribe(listener) {
      listeners.add(listener);
    },
  };
}
