// The newcomer's journey, in a real Chromium against a real server:
// sign up, start "Deep learning in six months" at 20 h a week, log time, move a card, and see
// the dashboard change. Screenshots of the main pages go to docs/screenshots/.
//
// Usage: node journey.mjs http://127.0.0.1:PORT [screenshot-dir]
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';

const base = process.argv[2];
const shots = process.argv[3];
if (!base) throw new Error('usage: node journey.mjs BASE_URL [SCREENSHOT_DIR]');
if (shots) mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
const page = await context.newPage();
page.setDefaultTimeout(15000);
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));

async function shot(name, target = page) {
  if (shots) await target.screenshot({ path: `${shots}/${name}.png`, fullPage: false });
}

function step(text) {
  console.log(`journey: ${text}`);
}

// 1. The landing page, then sign up.
await page.goto(base + '/');
await shot('landing');
await page.getByRole('link', { name: 'Sign up' }).first().click();
await page.getByLabel('Handle').fill('ada');
await page.getByLabel('Display name').fill('Ada Lovelace');
await page.getByLabel('Email').fill('ada@example.org');
await page.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
await page.getByRole('button', { name: 'Create my account' }).click();
await page.waitForURL(base + '/');
assert.equal(await page.locator('h1').first().innerText(), 'Dashboard');
step('signed up and saw the dashboard');
await shot('dashboard-empty');

// 2. Start "Deep learning in six months" from the shipped curricula, at 20 h a week.
await page.goto(base + '/curricula');
await page.getByRole('button', { name: 'Use Deep learning in six months' }).click();
await page.waitForURL(/\/curricula\/\d+$/);
assert.match(await page.locator('h1').first().innerText(), /Deep learning in six months/);
await shot('curriculum');
await page.getByRole('link', { name: /^Follow/ }).first().click();
await page.getByLabel('Hours a week').fill('20');
await page.getByRole('button', { name: 'Follow and plan' }).click();
await page.waitForURL(/\/follows\/\d+$/);
const planUrl = page.url();
step(`following at 20 h a week: ${planUrl}`);
await shot('plan');

// 3. Log 90 minutes on the first item from the quick form.
const before = await page.goto(base + '/').then(() => page.locator('main').innerText());
await page.locator('#ql-duration').fill('90m');
const firstItem = await page.locator('#ql-item option').nth(1).getAttribute('value');
await page.locator('#ql-item').selectOption(firstItem);
await page.locator('#ql-note').fill('chapter 1');
await page.getByRole('button', { name: 'Log', exact: true }).click();
await page.waitForLoadState('load');
await page.goto(base + '/');
const after = await page.locator('main').innerText();
assert.notEqual(after, before, 'the dashboard changes after logging');
assert.match(after, /1\.5 h|1 h 30|90 min/, 'the logged time shows on the dashboard');
step('logged 90 minutes and saw the dashboard change');

// 4. Move the first card to doing on the board.
await page.goto(planUrl + '/board');
const doing = page.locator('[data-column="doing"], #doing, section:has(h2:has-text("Doing"))').first();
const doingBefore = await doing.locator('article, li.card, .card').count();
await page.getByRole('button', { name: /to Doing/i }).first().click();
await page.waitForLoadState('load');
await page.waitForFunction(
  ([sel, n]) => document.querySelectorAll(sel).length > n,
  ['[data-column="doing"] .card, #doing .card', doingBefore],
).catch(() => {});
await page.goto(planUrl + '/board');
const doingAfter = await page.locator('[data-column="doing"], #doing, section:has(h2:has-text("Doing"))').first()
  .locator('article, li.card, .card').count();
assert.ok(doingAfter > doingBefore, `a card moved to doing (${doingBefore} → ${doingAfter})`);
step('moved a card to doing');
await shot('board');

// 5. The dashboard shows the plan, the hours and the log.
await page.goto(base + '/');
await shot('dashboard');
await page.goto(base + '/logs');
await shot('logs');

// The dashboard on a phone.
const phone = await context.newPage();
await phone.setViewportSize({ width: 390, height: 844 });
await phone.goto(base + '/');
const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
assert.ok(overflow <= 1, `no sideways scrolling on a phone (overflow ${overflow}px)`);
await shot('dashboard-phone', phone);

assert.deepEqual(errors, [], 'no script errors');
await browser.close();
step('ok');
