// The newcomer's journey, in a real Chromium against a real server:
// sign up and land on Today, start "Deep learning in six months" at 20 h a week, log time and
// see the dashboard change, drag a card to Doing, run a timer across a reload, tick a checklist
// in notes, find that a delay of 0 does not lower a commitment at once, mark an item worth
// revisiting and grade a review. Falling behind and re-planning are in demo.mjs, on a learner
// with a year of history. Screenshots of the main pages go to docs/screenshots/.
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
const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
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

// 1. The landing page, then sign up: a learner lands on Today.
await page.goto(base + '/');
await shot('landing');
await page.getByRole('link', { name: 'Sign up' }).first().click();
await page.getByLabel('Handle').fill('ada');
await page.getByLabel('Display name').fill('Ada Lovelace');
await page.getByLabel('Email').fill('ada@example.org');
await page.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
await page.getByRole('button', { name: 'Create my account' }).click();
await page.waitForURL(base + '/');
assert.match(await page.locator('h1').first().innerText(), /^Today/);
step('signed up and landed on Today');

// 2. Start "Deep learning in six months" from the shipped curricula, at 20 h a week.
await page.goto(base + '/curricula');
await page.getByRole('link', { name: 'Preview Deep learning in six months' }).click();
await page.waitForURL(/\/templates\/deep-learning-in-six-months$/);
await page.getByRole('button', { name: 'Use this template' }).click();
await page.waitForURL(/\/curricula\/\d+$/);
const curriculumUrl = page.url();
assert.match(await page.locator('h1').first().innerText(), /Deep learning in six months/);
await shot('curriculum');
await page.getByRole('link', { name: /^Follow/ }).first().click();
await page.getByLabel('Hours a week').fill('20');
await page.getByRole('button', { name: 'Follow and plan' }).click();
await page.waitForURL(/\/follows\/\d+$/);
const planUrl = page.url();
const followId = planUrl.split('/').pop();
step(`following at 20 h a week: ${planUrl}`);
await shot('plan');

// 3. Log 90 minutes on the first item from the quick form; the dashboard changes.
const before = await page.goto(base + '/dashboard').then(() => page.locator('main').innerText());
await page.locator('#ql-duration').fill('90m');
const firstItem = await page.locator('#ql-item option').nth(1).getAttribute('value');
await page.locator('#ql-item').selectOption(firstItem);
await page.locator('#ql-note').fill('chapter 1');
await page.getByRole('button', { name: 'Log', exact: true }).click();
await page.waitForLoadState('load');
await page.goto(base + '/dashboard');
const after = await page.locator('main').innerText();
assert.notEqual(after, before, 'the dashboard changes after logging');
assert.match(after, /1\.5 h|1 h 30|90 min/, 'the logged time shows on the dashboard');
step('logged 90 minutes and saw the dashboard change');
await shot('dashboard');
await page.goto(base + '/logs');
await shot('logs');

// 4. Drag a card from To do to Doing on the board.
await page.goto(planUrl + '/board');
const todoCard = page.locator('#column-todo .phase-group[open] .board-card').first();
const dragged = await todoCard.getAttribute('data-item');
await todoCard.dragTo(page.locator('#column-doing'));
await page.waitForFunction(
  (id) => document.querySelector('#column-doing #card-' + CSS.escape(id)) !== null, dragged);
await page.goto(planUrl + '/board');
assert.equal(await page.locator(`#column-doing #card-${dragged}`).count(), 1, 'the dragged card stays in Doing');
step(`dragged “${dragged}” from To do to Doing`);
await shot('board');

// 5. A timer started from Today runs on the server, across a reload.
await page.goto(base + '/');
await shot('today');
const todayItem = await page.locator('.today-item').first().locator('input[name="item"]').first().getAttribute('value');
await page.locator('.today-item').first().getByRole('button', { name: 'Start timer' }).click();
await page.waitForLoadState('load');
await page.reload();
const running = await page.locator('#timer').innerText();
assert.match(running, /running since/, 'the timer still runs after a reload');
const timerStarted = Date.now();
step(`timer running after a reload: ${running.split('\n')[0]}`);

// 6. A checklist in notes is ticked from the page.
const [, checklistItem] = todayItem.split(':');
await page.goto(`${base}/follows/${followId}/items/${checklistItem}`);
await page.locator('#notes-text').fill('- [ ] watch lesson 1\n- [ ] do the notebook');
await page.getByRole('button', { name: 'Save notes' }).click();
await page.waitForLoadState('load');
await page.locator('#notes-rendered button.task-box').first().click();
await page.waitForLoadState('load');
assert.deepEqual(await page.locator('#notes-rendered button.task-box').allInnerTexts(), ['☑', '☐']);
assert.match(await page.locator('#notes-text').inputValue(), /^- \[x\] watch lesson 1/);
step('ticked a checklist box in the notes');

// 7. Setting the commitment delay to 0 does not make a lower commitment instant.
await page.goto(base + '/commitments');
await page.locator('#hours').fill('10');
await page.getByRole('button', { name: 'Set the weekly minimum' }).click();
await page.waitForLoadState('load');
await page.goto(base + '/settings');
await page.locator('#loosen_delay_days').fill('0');
await page.getByRole('button', { name: 'Save pacing' }).click();
await page.waitForLoadState('load');
await page.goto(base + '/settings');
assert.match(await page.locator('#delay-pending').innerText(), /waits 7 days until/);
await page.goto(base + '/commitments');
await page.locator('#hours').fill('2');
await page.getByRole('button', { name: 'Set the weekly minimum' }).click();
await page.waitForLoadState('load');
await page.goto(base + '/commitments');
assert.match(await page.locator('#in-force').innerText(), /^10 h a week is in force/);
assert.match(await page.locator('.cm-pending').first().innerText(), /Lowering to 2 h takes effect on/);
step('a delay of 0 did not lower the commitment at once');

// 8. Stop the timer: its time is logged on its item.
const waited = Date.now() - timerStarted;
if (waited < 31000) await page.waitForTimeout(31000 - waited);
await page.goto(base + '/');
await page.getByRole('button', { name: 'Stop and log' }).click();
await page.waitForLoadState('load');
await page.goto(`${base}/follows/${followId}/items/${checklistItem}`);
assert.ok(await page.locator('#item-logs tbody tr').count() >= 1, 'the timed log is on its item');
step('stopped the timer: its time is logged on its item');

// 9. Finish the first item and mark it worth revisiting.
const [, itemId] = firstItem.split(':');
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

// Today and the board on a phone: no sideways scrolling, the header and quick log compact,
// and "Doing" first on the board.
const phone = await context.newPage();
await phone.setViewportSize({ width: 390, height: 844 });
await phone.goto(base + '/');
const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
assert.ok(overflow <= 1, `no sideways scrolling on a phone (overflow ${overflow}px)`);
const chrome = await phone.evaluate(() => document.querySelector('.quick-log').getBoundingClientRect().bottom);
assert.ok(chrome <= 125, `header and quick log fit in about 120 px on a phone (${chrome}px)`);
await shot('today-phone', phone);
await phone.goto(planUrl + '/board');
const first = await phone.evaluate(() => {
  const cols = [...document.querySelectorAll('.board > .column')];
  cols.sort((a, b) => a.getBoundingClientRect().left - b.getBoundingClientRect().left);
  return cols[0].getAttribute('data-status');
});
assert.equal(first, 'doing', 'Doing comes first on a phone');
await shot('board-phone', phone);
await phone.goto(base + '/dashboard');
await shot('dashboard-phone', phone);

// A title of 200 characters without a space wraps on a phone; a longer one is refused.
await page.goto(curriculumUrl + '/edit');
assert.equal(await page.locator('#title').getAttribute('maxlength'), '200');
const longTitle = 'Deep' + 'learning'.repeat(24) + 'okay';
await page.locator('#title').fill(longTitle);
await page.getByRole('button', { name: 'Save' }).click();
await page.waitForURL(curriculumUrl);
for (const path of [curriculumUrl, base + '/curricula']) {
  await phone.goto(path);
  const wide = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(wide <= 1, `a 200-character word does not widen ${path} on a phone (${wide}px)`);
}
const tooLong = await page.request.post(curriculumUrl + '/edit', {
  form: { csrf: await page.locator('input[name=csrf]').first().inputValue(), title: longTitle + 'x', description: '' },
  headers: { Origin: base },
});
assert.equal(tooLong.status(), 422, 'a 201-character title is refused');
assert.match(await tooLong.text(), /more than the 200 allowed/);
step('a 200-character title wraps on a phone, and 201 characters are refused');

assert.deepEqual(errors, [], 'no script errors');
await browser.close();
step('ok');
