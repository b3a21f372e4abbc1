// Prints the "pin" entry for www/config.json: node scripts/pin-hash.mjs 2468
// The kiosk stores only this salted hash; it checks an entered PIN with WebCrypto.
import { randomBytes } from 'node:crypto';
import { hashPin } from '../www/js/staff.js';

const pin = process.argv[2];
if (!pin || !/^\d{4,12}$/.test(pin)) {
  console.error('usage: node scripts/pin-hash.mjs <PIN of 4 to 12 digits>');
  process.exit(2);
}
const salt = randomBytes(16).toString('hex');
const iterations = 210_000;
const hash = await hashPin(pin, salt, iterations);
console.log(JSON.stringify({ algorithm: 'PBKDF2-SHA256', salt, iterations, hash }, null, 2));
