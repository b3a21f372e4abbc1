// Renders the app icons (www/icons/*.png) from www/icons/icon.svg with Debian's Chromium, the
// renderer the kiosk runs in: `node scripts/make-icons.mjs`. The PNGs are committed; run this
// again after changing the SVG. Sizes: 32 with rounded corners for the page's favicon, and what
// the web app manifest lists: 192 and 512 with rounded corners ("any"), and 512 full bleed
// ("maskable": the platform cuts its own shape).
import { readFile, writeFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../tests/support/browser.mjs';

const icons = new URL('../www/icons/', import.meta.url);
const svg = await readFile(new URL('icon.svg', icons));
const src = `data:image/svg+xml;base64,${svg.toString('base64')}`;
const variants = [
  // The page's favicon: a PNG, not the SVG, which Chromium renders as a document of its own on
  // the page's main thread while the kiosk starts (BENCHMARKS.md, start-up).
  { file: 'icon-32.png', size: 32, rounded: true },
  { file: 'icon-192.png', size: 192, rounded: true },
  { file: 'icon-512.png', size: 512, rounded: true },
  { file: 'icon-maskable-512.png', size: 512, rounded: false },
];

const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
try {
  for (const { file, size, rounded } of variants) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    const radius = rounded ? '18%' : '0';
    await page.setContent(`<style>html,body{margin:0;background:transparent}img{display:block;width:${size}px;height:${size}px;border-radius:${radius}}</style><img src="${src}">`);
    await page.locator('img').evaluate((img) => img.decode());
    await writeFile(new URL(file, icons), await page.screenshot({ omitBackground: true, type: 'png' }));
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(`wrote ${variants.map((v) => v.file).join(', ')} in www/icons/`);
