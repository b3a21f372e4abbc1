// Opening the staff console in the browser tests, as staff do: on a fresh device (every test
// context starts with empty storage) the staff view asks for a new PIN first; after that, for
// the PIN. Nothing is seeded into storage behind the page's back.
//
// Each helper brings its window to the front first, as a person would look at it: Chromium
// throttles animation frames in background tabs, and Playwright's click waits on them.

/** The PIN the tests set up on each fresh device; it passes the page's PIN rules. */
export const TEST_PIN = '480163';

/** Sets the device's PIN through the first-run form; the console opens. */
export async function setUpPin(page, origin, pin = TEST_PIN) {
  await page.bringToFront();
  await page.goto(`${origin}/#staff`);
  const form = page.locator('#setup-form');
  await form.getByLabel('New PIN', { exact: true }).fill(pin);
  await form.getByLabel('New PIN again').fill(pin);
  await form.getByRole('button', { name: 'Save PIN and open the console' }).click();
  await page.waitForSelector('#console:not([hidden])');
}

/** Opens the console: first-run setup on a fresh device, the unlock form otherwise. */
export async function openConsole(page, origin, pin = TEST_PIN) {
  await page.bringToFront();
  await page.goto(`${origin}/#staff`);
  await page.waitForSelector('#setup-form:not([hidden]), #unlock-form:not([hidden]), #console:not([hidden])');
  if (await page.isVisible('#console')) return;
  if (await page.isVisible('#setup-form')) {
    await setUpPin(page, origin, pin);
    return;
  }
  await page.getByLabel('Staff PIN', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.waitForSelector('#console:not([hidden])');
}

/** Types `pin` into the unlock form and waits for the page's answer (the field empties). */
export async function tryPin(page, pin) {
  await page.bringToFront();
  await page.getByLabel('Staff PIN', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.waitForFunction(() => document.getElementById('pin').value === '');
}
