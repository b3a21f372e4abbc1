// Idle timeouts may be days long; setTimeout is not.

/** setTimeout's longest delay (about 24.8 days): a longer one fires at once in browsers and Node. */
export const MAX_DELAY = 2 ** 31 - 1;

/**
 * Calls `fire` after `ms` (any length, Infinity never), waiting in steps of at most MAX_DELAY.
 * Returns a function that cancels it.
 */
export function longTimeout(timers, ms, fire) {
  if (!(ms < Infinity)) return () => {};
  let timer = null;
  let cancelled = false;
  const wait = (left) => {
    const step = Math.min(Math.max(left, 0), MAX_DELAY);
    timer = timers.setTimeout(() => {
      if (cancelled) return;
      if (step < left) wait(left - step);
      else fire();
    }, step);
  };
  wait(ms);
  return () => {
    cancelled = true;
    timers.clearTimeout(timer);
  };
}
