// The demo learner's dashboard, in a real Chromium: every chart is populated at once, the
// page reads on a phone, and screenshots for the README go to docs/screenshots/.
//
// Usage: node demo.mjs http://127.0.0.1:PORT HANDLE PASSWORD [screenshot-dir]
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';

const [base, handle, password, shots] = process.argv.slice(2);
if (!password) throw new Error('usage: node demo.mjs BASE_URL HANDLE PASSWORD [SCREENSHOT_DIR]');
if (shots) mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
page.setDefaultTimeout(15000);
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
const step = (text) => console.log(`demo: ${text}`);

await page.goto(base + '/signin');
await page.getByLabel('Handle or email').fill(handle);
await page.getByLabel('Password').fill(password);
await page.getByRole('button', { name: 'Sign in' }).click();
await page.waitForURL(base + '/');
step(`signed in as ${handle}`);

// Every chart has data: the heatmap has active days, the weekly bars, one burn-up per
// curriculum with a forecast sentence, the balance and the calibration.
const activeDays = await page.locator('#heatmap rect[class*="level-"]:not([class*="level-0"])').count();
assert.ok(activeDays > 100, `the heatmap shows a year of study (${activeDays} active days)`);
assert.ok(await page.locator('#weekly-hours svg rect').count() >= 12, 'twelve weekly bars');
const burnups = page.locator('section.burnup');
assert.ok(await burnups.count() >= 1, 'a burn-up per followed curriculum');
assert.match(await burnups.first().innerText(), /finish between|forecast/i, 'a forecast sentence');
assert.match(await page.locator('#balance').innerText(), /%/, 'the inhale/exhale shares');
assert.match(await page.locator('#calibration').innerText(), /×/, 'the calibration factor');
assert.ok(await page.locator('form.replan').count() >= 1, 'the demo learner is behind: a kind re-plan is offered');
step('every chart is populated');

if (shots) {
  await page.screenshot({ path: `${shots}/demo-dashboard.png`, fullPage: true });
  await page.locator('section.burnup').first().screenshot({ path: `${shots}/demo-burnup.png` });
  await page.locator('#heatmap').screenshot({ path: `${shots}/demo-heatmap.png` });
}

const phone = await context.newPage();
await phone.setViewportSize({ width: 390, height: 844 });
await phone.goto(base + '/');
const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
assert.ok(overflow <= 1, `no sideways scrolling on a phone (overflow ${overflow}px)`);
if (shots) await phone.screenshot({ path: `${shots}/demo-dashboard-phone.png`, fullPage: false });

for (const path of ['/week', '/reviews', '/commitments']) {
  await page.goto(base + path);
  assert.equal(await page.locator('h1').count() > 0, true, `${path} renders`);
  if (shots) await page.screenshot({ path: `${shots}/demo-${path.slice(1)}.png`, fullPage: false });
}

assert.deepEqual(errors, [], 'no script errors');
await browser.close();
step('ok');
