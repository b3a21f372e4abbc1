// The Chromium half of the JS benchmark: same scenarios as Node, the web build of the package.
import init, { Machine } from '../pkg/take_a_number_deluxe.js';
import { JsMachine } from './baseline.mjs';
import { perCall } from './core.mjs';

const ready = init();
window.benchmark = async () => {
  await ready;
  return { perCall: await perCall({ Machine, JsMachine }) };
};
