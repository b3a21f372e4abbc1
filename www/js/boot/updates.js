// Keeps the built kiosk offline-capable and up to date: registers the service worker, and
// applies a new build or config.json at a quiet moment (see update-policy.js), never while a
// customer is reading a ticket or the staff console is in use. The page says when it is busy.
//
// www/ served as it is (development, the unbundled page's tests) has no service worker: the
// build (scripts/build-site.mjs) defines KIOSK_SERVICE_WORKER, so only the built page registers.
import { UpdatePolicy } from './update-policy.js';
import { APPLY_UPDATE, CHECK_CONFIG, CONFIG_CHANGED, CONFIG_REJECTED, message } from './sw-protocol.js';

/** How often the kiosk asks the server for a new build and a new config.json. */
export const CHECK_EVERY_MS = 10 * 60_000;

/* global KIOSK_SERVICE_WORKER -- defined by the build */
const workerUrl = typeof KIOSK_SERVICE_WORKER === 'string' ? KIOSK_SERVICE_WORKER : null;

/**
 * Starts the service worker and the update checks, first thing, so that even a build that
 * fails to start can be replaced by the next one. The worker is registered after the load
 * event and `registerAfter` (the page started, or gave up), or 10 s after the load event at
 * the latest, so that a page stuck half-way still gets the next build. Returns
 * `keepFirstScreen(screen)`, which hands the worker the customer's first screen for the next
 * start (kept-screen.js) once it is active, and `watch({ busy, onNotice })`, for the page to
 * call once it is running:
 * - busy      returns true while an update must not interrupt (the staff console unlocked);
 * - onNotice  gets a notice for staff as a text key and its params (the server's config.json
 *             was refused, say).
 * Where there is no worker (the unbuilt page, a browser without service workers, which then
 * simply runs online), both do nothing.
 */
export function keepUpToDate({ registerAfter = Promise.resolve() } = {}) {
  if (!workerUrl || !('serviceWorker' in navigator)) return { keepFirstScreen() {}, watch() {} };
  let busy = () => false;
  const notices = [];
  let onNotice = (key, params) => notices.push([key, params]); // until the page can show them
  const container = navigator.serviceWorker;
  const policy = new UpdatePolicy({ now: Date.now() });
  let controlled = Boolean(container.controller);
  let timer = null;
  let registration = null;

  const step = () => {
    clearTimeout(timer);
    timer = null;
    const decision = policy.decide(Date.now(), busy());
    if (decision.action === 'wait') timer = setTimeout(step, decision.ms);
    else if (decision.action === 'activate') registration?.waiting?.postMessage(message(APPLY_UPDATE));
    else if (decision.action === 'reload') window.location.reload();
  };
  const updateWaiting = () => {
    policy.updateWaiting();
    step();
  };

  // A touch, a key, or someone moving the window to another view (staff opening the console).
  for (const type of ['pointerdown', 'keydown', 'hashchange']) {
    window.addEventListener(type, () => policy.activity(Date.now()), { capture: true, passive: true });
  }
  // The first worker takes control without a reload (nothing new to show); later ones bring a
  // new build, which the page shows after reloading.
  container.addEventListener('controllerchange', () => {
    if (!controlled) {
      controlled = true;
      return;
    }
    policy.controllerChanged();
    step();
  });
  let lastProblem = null;
  container.addEventListener('message', (event) => {
    if (event.data?.type === CONFIG_CHANGED) {
      policy.configChanged();
      step();
    } else if (event.data?.type === CONFIG_REJECTED && event.data.problem !== lastProblem) {
      lastProblem = event.data.problem;
      onNotice('notice.config-refused', { problem: lastProblem });
    }
  });

  // Once the page has started: the worker's install downloads the whole build, which should
  // not compete with the page's own start.
  const register = () => registerWorker(container, {
    onRegistered: (reg) => { registration = reg; }, onWaiting: updateWaiting, onNotice: (key, params) => onNotice(key, params),
  });
  const loaded = document.readyState === 'complete' ? Promise.resolve()
    : new Promise((resolve) => window.addEventListener('load', resolve, { once: true }));
  loaded.then(() => Promise.race([registerAfter, new Promise((resolve) => setTimeout(resolve, 10_000))])).then(register);
  // Ask the browser to keep the cache and the saved tickets under storage pressure.
  navigator.storage?.persist?.().catch(() => {});
  return {
    keepFirstScreen(screen) {
      container.ready.then((reg) => reg.active?.postMessage(screen)).catch(() => {});
    },
    watch(page) {
      busy = page.busy ?? busy;
      onNotice = page.onNotice ?? onNotice;
      for (const [key, params] of notices.splice(0)) onNotice(key, params);
    },
  };
}

/**
 * Registers the worker: `onRegistered(registration)`, or `onNotice` says why not. Then
 * `onWaiting()` runs whenever a new build waits for the page, and the build and config.json
 * are checked again every CHECK_EVERY_MS.
 */
function registerWorker(container, { onRegistered, onWaiting, onNotice }) {
  return container.register(workerUrl).then((reg) => {
    onRegistered(reg);
    if (reg.waiting && container.controller) onWaiting();
    reg.addEventListener('updatefound', () => {
      const worker = reg.installing;
      worker?.addEventListener('statechange', () => {
        if (worker.state === 'installed' && container.controller) onWaiting();
      });
    });
    setInterval(() => {
      reg.update().catch(() => {}); // offline: try again next time
      container.controller?.postMessage(message(CHECK_CONFIG));
    }, CHECK_EVERY_MS);
  }).catch((error) => onNotice('notice.offline-unavailable', { problem: error.message }));
}
