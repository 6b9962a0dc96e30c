// The newcomer's journey, in a real Chromium against a real server:
// sign up, start "Deep learning in six months" at 20 h a week, log time, move a card, and see
// the dashboard change; then fall behind, re-plan kindly, see the new date, mark an item worth
// revisiting and grade a review. Screenshots of the main pages go to docs/screenshots/.
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

// 6. Fall behind: the plan is moved to have started six weeks ago, with only 90 minutes done.
const sixWeeksAgo = new Date(Date.now() - 42 * 86400e3).toISOString().slice(0, 10);
await page.goto(planUrl);
await page.getByLabel('Start on').fill(sixWeeksAgo);
await page.getByRole('button', { name: 'Save and re-plan' }).click();
await page.waitForLoadState('load');
await page.goto(base + '/');
const card = page.locator('li.follow-week').first();
const behind = await card.locator('p.behind').innerText();
assert.match(behind, /behind/i, 'the dashboard says the learner is behind');
const endBefore = await card.locator('p.plan-end').innerText();
step(`fell behind: "${behind}" (${endBefore})`);
await shot('dashboard-behind');

// 7. Re-plan kindly at the same budget, and 8. see the new date.
await card.locator('form.replan input[value="keep-budget"]').check();
await card.getByRole('button', { name: 'Re-plan' }).click();
await page.waitForLoadState('load');
await page.goto(base + '/');
const replanned = page.locator('li.follow-week').first();
const endAfter = await replanned.locator('p.plan-end').innerText();
assert.notEqual(endAfter, endBefore, 're-planning moves the end date');
assert.equal(await replanned.locator('form.replan').count(), 0, 'no longer behind after re-planning');
assert.ok(await page.locator('section.burnup polyline.plan-old').count() >= 1,
  'the earlier plan stays on the burn-up, faded');
step(`re-planned from today: ${endAfter}`);

// 9. Finish the first item and mark it worth revisiting.
const [followId, itemId] = firstItem.split(':');
await page.goto(`${base}/follows/${followId}/items/${itemId}`);
await page.getByRole('button', { name: /Move to done/i }).click();
await page.waitForLoadState('load');
await page.goto(`${base}/follows/${followId}/items/${itemId}`);
await page.locator('#mark-review').click();
await page.waitForLoadState('load');
await page.goto(`${base}/follows/${followId}/items/${itemId}`);
assert.match(await page.locator('#review-status').innerText(), /next review on/i);
step('marked the first item worth revisiting');

// 10. Grade a review: revisited early, remembered well; the next date moves further out.
await page.goto(base + '/reviews');
const row = page.locator('#upcoming tr').filter({ has: page.locator('td.rv-early') }).first();
const nextBefore = await row.locator('td.rv-on').innerText();
await row.locator('summary').click();
await row.getByRole('button', { name: /^Good/ }).click();
await page.waitForLoadState('load');
await page.goto(base + '/reviews');
const history = await page.locator('#upcoming .rv-history, #due .rv-history').first().innerText();
assert.match(history, /good/i, 'the grade shows in the history');
const nextAfter = await page.locator('#upcoming td.rv-on').first().innerText();
assert.notEqual(nextAfter, nextBefore, 'the next review date moves');
step(`graded a review good: next ${nextBefore} → ${nextAfter}`);
await shot('reviews');

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
