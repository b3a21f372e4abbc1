// A single-department page: enough to try the machine in a browser.
import init, { Machine } from './pkg/take_a_number_deluxe.js';

await init();

const $ = (id) => document.getElementById(id);
let machine = new Machine({ minNumber: 1, maxNumber: 99, autoShutdownTimeout: 10 * 60 * 1000 });

async function refresh() {
  if (!machine.alive) return;
  const { queue } = await machine.reportState();
  $('waiting').textContent = `${queue.length} waiting`;
}

function wakeIfOff() {
  if (!machine.alive) {
    machine = new Machine({ minNumber: 1, maxNumber: 99, autoShutdownTimeout: 10 * 60 * 1000 });
    $('status').textContent = 'The machine had switched itself off; it is on again.';
  }
}

$('take').addEventListener('click', async () => {
  wakeIfOff();
  try {
    $('ticket').textContent = `Your number: ${await machine.queueNewNumber()}`;
  } catch (error) {
    $('ticket').textContent = error.code === 'all_possible_numbers_are_in_use'
      ? 'Sorry, no numbers left right now. Please wait a moment.'
      : `Something went wrong (${error.code}).`;
  }
  await refresh();
});

$('serve').addEventListener('click', async () => {
  wakeIfOff();
  try {
    $('serving').textContent = String(await machine.serveNextQueuedNumber());
  } catch (error) {
    $('status').textContent = error.code === 'empty_queue' ? 'Nobody is waiting.' : `Error: ${error.code}`;
  }
  await refresh();
});

await refresh();
