// Waiting in Node tests: for a condition, for a time, and for a rejection's code.
import assert from 'node:assert/strict';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resolves once `condition()` holds (it may return a promise); fails the test after
 * `timeoutMs`, naming `what`.
 */
export async function until(condition, what, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** The `code` of the MachineError `promise` rejects with; fails the test if it resolves. */
export async function codeOf(promise) {
  try {
    await promise;
  } catch (error) {
    assert.equal(error.name, 'MachineError');
    return error.code;
  }
  assert.fail('expected a rejection');
}
