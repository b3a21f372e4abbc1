// The start-up of the kiosk page, all in boot/ with this file as its one entry (index.html's
// only script): the customer's first screen kept by the service worker (kept-screen.js,
// service-worker.js), the early screen that builds it when there is none (early-screen.js),
// what that screen and main.js both load (loading.js), and the updates (updates.js). What the
// kept screen buys: a warm start usable in about 340 ms instead of 480-500 ms on a slow kiosk
// (4x CPU slowdown; BENCHMARKS.md, run of 2026-12-04, night); a cold start costs the same.
//
// This file is the page's only <script>, and all that a customer waits for when the service
// worker serves the page with the customer's first screen already in it (service-worker.js
// keeps the one early-screen.js last showed, for the configuration it still holds): no imports,
// so it runs as soon as the page is parsed, on a small kiosk computer well before
// early-screen.js and its modules.
//
// It keeps the first "Take a number" tap until the customer view answers it, whether the cards
// came with the page or early-screen.js builds them: the tapped button is marked aria-busy (the
// customer sees it taken, kiosk.css), and that mark is the record loading.js `takeOver` reads
// (nothing imports this script, so the page's first request is all of it). When the cards came
// with the page, it paints them (the page's CSP allows no inline styles), keeps a language
// picked on them, shows them and says the page is usable. Then it loads early-screen.js, which
// checks them against the configuration.

// Top-level statements and unnamed functions only: the build keeps functions' names with a
// helper from a shared chunk, which would be a second request before the page is usable.
const departments = document.getElementById('departments');

try {
  // On the container, so that it also hears the cards early-screen.js builds later; until the
  // customer view answers taps itself (data-answering, set by takeOver). One tap at a time.
  departments.addEventListener('click', (event) => {
    if (departments.dataset.answering || departments.querySelector('button[aria-busy="true"]')) return;
    event.target.closest('button[data-department]')?.setAttribute('aria-busy', 'true');
  });

  // The service worker's first screen: the cards, their texts and the language switch, as
  // early-screen.js showed them for this configuration (a start without one: early-screen.js
  // builds it). Only the customer view is shown this early; early-screen.js shows any other.
  if (departments.children.length > 0) {
    for (const card of departments.children) {
      card.style.setProperty('--dept-colour', card.dataset.colour);
      card.style.setProperty('--dept-text', card.dataset.text);
    }
    // A language picked now shows as picked, and early-screen.js applies it (its own switch
    // replaces these buttons, and their listeners with them).
    for (const button of document.querySelectorAll('#language-switch button[data-language]')) {
      button.addEventListener('click', () => {
        for (const other of button.parentElement.children) other.setAttribute('aria-pressed', String(other === button));
      });
    }
    if (location.hash === '' || location.hash === '#customer') {
      document.getElementById('loading').hidden = true;
      document.getElementById('view-customer').hidden = false;
    }
    document.body.dataset.usable = 'true';
  }
} finally {
  // Whatever went wrong above (and is reported as it is), early-screen.js and main.js come next:
  // they build what is missing, or say why the page cannot start.
  import('./early-screen.js').catch((error) => {
    // Without early-screen.js there is no page: say so, as main.js would (views/page.js showFatal).
    if (departments) departments.dataset.answering = 'none';
    delete document.body.dataset.usable;
    document.getElementById('loading').hidden = true;
    for (const view of document.querySelectorAll('.view')) view.hidden = true;
    document.getElementById('fatal-text').textContent = `Unexpected error: ${error.message}`;
    document.getElementById('fatal').hidden = false;
  });
}
