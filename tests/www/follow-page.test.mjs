// The follow page's file (www/follow.html) next to the kiosk's: the same strict CSP, as the two
// are copies that must not drift (the build widens both connect-src the same way).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { www } from '../support/www-files.mjs';

const cspOf = (html) => /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];

test('the follow page has the kiosk page\'s Content-Security-Policy, and says its language', async () => {
  const [kiosk, follow] = await Promise.all(['index.html', 'follow.html'].map((f) => readFile(new URL(f, www), 'utf8')));
  assert.ok(cspOf(kiosk));
  assert.equal(cspOf(follow), cspOf(kiosk));
  assert.match(follow, /<html lang="en">/);
  assert.doesNotMatch(follow, /\sstyle=|<script>(?!<)/, 'no inline style or script for the CSP to refuse');
});
