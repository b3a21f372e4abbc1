// Departments of the page as one window of a simulated browser (windows.mjs) runs them: a
// Department on a SharedMachine over the real package (pkg/node.js), each closed after its test.
import { Machine } from '../../pkg/node.js';
import { SharedMachine } from '../../js/shared/client.js';
import { validate } from '../../www/js/model/config.js';
import { Department } from '../../www/js/model/department.js';
import { kioskRecord } from '../../www/js/model/ticket-record.js';
import { shipped } from './www-files.mjs';

const opened = new Set();
/**
 * Closes the departments a test opened, even when it failed (an open channel keeps Node running):
 * `afterEach(closeDepartments)` in each file that opens them.
 */
export function closeDepartments() {
  for (const d of opened) d.close();
  opened.clear();
}

/** A department of `config` (validated) in a window of `world`, closed by closeDepartments. */
export function department(world, config) {
  const machine = new SharedMachine({
    name: config.id, minNumber: config.minNumber, maxNumber: config.maxNumber,
    autoShutdownTimeout: config.autoShutdownTimeout, opening: config.opening, record: kioskRecord({ timeZone: 'UTC' }),
  }, { Machine, ...world.window().deps });
  const d = new Department({ config, machine });
  opened.add(d);
  return d;
}

/** The shipped config's department with counters. */
export const bloodTests = () => validate(shipped).departments[2];
