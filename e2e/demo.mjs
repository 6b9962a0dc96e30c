// The demo learner, in a real Chromium: every chart is populated at once; the learner is
// behind, and the plan page, dashboard, Today, /week and the calendar feed agree on the future
// dates of the work left; a re-plan leaves the past weeks' budget alone; the pages read on a
// phone, and screenshots for the README go to docs/screenshots/.
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
assert.match(await page.locator('h1').first().innerText(), /^Today/);
step(`signed in as ${handle}, on Today`);
if (shots) await page.screenshot({ path: `${shots}/demo-today.png`, fullPage: false });
await page.goto(base + '/dashboard');

// Every chart has data: the heatmap has active days, the weekly bars, one burn-up per
// curriculum with a forecast sentence, the balance and the calibration.
const activeDays = await page.locator('#heatmap rect[class*="level-"]:not([class*="level-0"])').count();
assert.ok(activeDays > 100, `the heatmap shows a year of study (${activeDays} active days)`);
assert.ok(await page.locator('#weekly-hours svg rect').count() >= 12, 'twelve weekly bars');
const burnups = page.locator('section.burnup');
assert.ok(await burnups.count() >= 1, 'a burn-up per followed curriculum');
assert.match(await burnups.first().innerText(), /80 % likely/, 'a forecast that states its probability');
assert.match(await page.locator('#balance').innerText(), /%/, 'the inhale/exhale shares');
assert.match(await page.locator('#calibration').innerText(), /×/, 'the calibration factor');
assert.ok(await page.locator('form.replan').count() >= 1, 'the demo learner is behind: a kind re-plan is offered');
step('every chart is populated');

if (shots) {
  await page.screenshot({ path: `${shots}/demo-dashboard.png`, fullPage: true });
  await page.locator('section.burnup').first().screenshot({ path: `${shots}/demo-burnup.png` });
  await page.locator('#heatmap').screenshot({ path: `${shots}/demo-heatmap.png` });
}

// A learner who fell behind: the plan page, the dashboard, Today, /week and the calendar feed
// give the same future dates for the work left, and none in the past.
const isoToday = await page.evaluate(() => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
});
const card = page.locator('li.follow-week').first();
const followId = (await card.getAttribute('id')).replace('follow-', '');
const dashboardEnd = await card.locator('p.plan-end').getAttribute('data-end');
assert.match(await card.locator('p.behind').innerText(), /behind the plan you accepted/);
if (shots) await card.screenshot({ path: `${shots}/demo-behind.png` });
await page.goto(`${base}/follows/${followId}`);
const planEnd = await page.locator('#plan-end').getAttribute('datetime');
assert.equal(planEnd, dashboardEnd, 'the plan page and the dashboard give the same end');
const planDates = await page.locator('.plan-table time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')));
assert.ok(planDates.length > 0, 'the plan table has dates');
assert.ok(planDates.every((d) => d >= isoToday), `no date of the work left is in the past (${planDates.find((d) => d < isoToday)})`);
await page.getByRole('button', { name: 'Get a private feed address' }).click();
await page.waitForLoadState('load');
const feedUrl = await page.locator('#feed-url').inputValue();
const ics = await (await page.request.get(feedUrl)).text();
const unfolded = ics.replace(/\r\n /g, '');
const starts = unfolded.split('BEGIN:VEVENT').slice(1)
  .filter((event) => event.includes('UID:item-'))
  .map((event) => event.match(/DTSTART;VALUE=DATE:(\d{8})/)[1]);
const toIso = (d) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
assert.ok(starts.length > 0, 'the feed has the items');
assert.ok(starts.every((d) => toIso(d) >= isoToday), 'no feed event of the work left starts in the past');
const planStarts = [...new Set(planDates.filter((_, n) => n % 2 === 0))].sort();
assert.deepEqual([...new Set(starts.map(toIso))].sort(), planStarts, 'the feed and the plan page agree on every start');
await page.goto(base + '/');
assert.equal(await page.locator(`#today-${followId} p.plan-end`).getAttribute('data-end'), planEnd, 'Today agrees');
await page.goto(base + '/week');
assert.ok(await page.locator('#next-week .wk-planned li').count() > 0, '/week plans the week after');
step(`behind, and every page agrees: the work left ends on ${planEnd}`);

// A re-plan leaves the budget of every past week as it was.
await page.goto(base + '/dashboard');
const budgets = () => page.locator('#weekly-hours tbody tr').evaluateAll((rows) =>
  rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent.trim())));
const budgetsBefore = await budgets();
const replanCard = page.locator(`#follow-${followId}`);
await replanCard.locator('form.replan input[value="keep-end"]').check();
await replanCard.getByRole('button', { name: 'Re-plan' }).click();
await page.waitForLoadState('load');
await page.goto(base + '/dashboard');
const budgetsAfter = await budgets();
assert.deepEqual(budgetsAfter.slice(1).map((r) => [r[0], r[2]]), budgetsBefore.slice(1).map((r) => [r[0], r[2]]),
  'past weeks keep the budget they had');
assert.equal(await page.locator(`#follow-${followId} form.replan`).count(), 0, 'no longer behind');
step('re-planned: the past weeks kept their budget');

const phone = await context.newPage();
await phone.setViewportSize({ width: 390, height: 844 });
await phone.goto(base + '/dashboard');
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
