// Following makes your own copy, in a real Chromium against a real server: Kim follows Rosa's
// public curriculum and works on it (a card done, notes, evidence, a log); Rosa then adds an
// item, makes it private and adds a title Kim must never see, and deletes it. Kim's plan,
// board, notes, evidence and logs stay exactly as they were at every step, and her copy says
// where it came from.
//
// Usage: node lineage.mjs http://127.0.0.1:PORT [screenshot-dir]
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

const base = process.argv[2];
const shots = process.argv[3];
if (!base) throw new Error('usage: node lineage.mjs BASE_URL [SCREENSHOT_DIR]');
const SECRET = 'Written after going private';

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const errors = [];

async function learner(handle) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(base + '/signup');
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Display name').fill(handle);
  await page.getByLabel('Email').fill(`${handle}@example.org`);
  await page.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Create my account' }).click();
  await page.waitForURL(base + '/');
  return page;
}

function step(text) {
  console.log(`lineage: ${text}`);
}

// Rosa shares "Deep learning in six months".
const rosa = await learner('rosa');
await rosa.goto(base + '/curricula');
await rosa.getByRole('link', { name: 'Preview Deep learning in six months' }).click();
await rosa.waitForURL(/\/templates\/deep-learning-in-six-months$/);
await rosa.getByRole('button', { name: 'Use this template' }).click();
await rosa.waitForURL(/\/curricula\/\d+$/);
const source = rosa.url();
await rosa.locator('#visibility').selectOption('public');
await rosa.locator('form.visibility-form button').click();
await rosa.waitForLoadState('load');
step(`rosa shares ${source}`);

// Kim follows it and works on it.
const kim = await learner('kim');
await kim.goto(source);
await kim.getByRole('link', { name: 'Follow this curriculum' }).click();
await kim.getByLabel('Hours a week').fill('10');
await kim.getByRole('button', { name: 'Follow and plan' }).click();
await kim.waitForURL(/\/follows\/\d+$/);
const plan = kim.url();
const item = `${plan}/items/python-crash-course`;
await kim.goto(item);
await kim.getByLabel('Notes (Markdown)').fill('Lesson 3: **SGD** by hand.');
await kim.getByRole('button', { name: 'Save notes' }).click();
await kim.waitForLoadState('load');
await kim.locator('#kind').selectOption('notebook');
await kim.getByLabel('Address').fill('https://example.org/sgd.ipynb');
await kim.getByLabel('Title (optional)').fill('SGD');
await kim.getByRole('button', { name: 'Add evidence' }).click();
await kim.waitForLoadState('load');
await kim.getByRole('button', { name: /Move to done/i }).click();
await kim.waitForLoadState('load');
await kim.goto(base + '/logs/new');
await kim.locator('#duration').fill('45m');
const choice = await kim.locator('#item option').nth(1).getAttribute('value');
await kim.locator('#item').selectOption(choice);
await kim.locator('main form[action="/logs"] button[type="submit"]').click();
await kim.waitForLoadState('load');
step('kim follows it: a card done, notes, evidence, a log');

async function kimsRecord() {
  const parts = [];
  for (const path of [plan, `${plan}/board`, item, base + '/logs']) {
    await kim.goto(path);
    parts.push(await kim.locator('main').innerText());
  }
  return parts.join('\n----\n');
}
async function neverShown() {
  for (const path of [base + '/', base + '/follows', base + '/curricula', plan, `${plan}/board`, base + '/week']) {
    await kim.goto(path);
    assert.ok(!(await kim.content()).includes(SECRET), `${path} shows what was written after going private`);
  }
}
const before = await kimsRecord();
assert.match(before, /SGD/);
assert.match(before, /45 min|0\.75 h|45m/);

async function addItem(title, id) {
  await rosa.goto(source + '/items/new');
  await rosa.getByLabel('Title').fill(title);
  await rosa.getByLabel('Id').fill(id);
  await rosa.getByLabel('Hours').fill('100');
  await rosa.getByRole('button', { name: 'Add the item' }).click();
  await rosa.waitForLoadState('load');
}

// 1. Rosa adds 100 hours.
await addItem('A new course', 'a-new-course');
assert.equal(await kimsRecord(), before, "rosa's edit changed kim's record");
step("rosa added an item: kim's plan is unchanged");

// 2. Rosa makes it private, then adds a title Kim must never see.
await rosa.goto(source);
await rosa.locator('#visibility').selectOption('private');
await rosa.locator('form.visibility-form button').click();
await rosa.waitForLoadState('load');
await addItem(SECRET, 'secret-item');
assert.equal(await kimsRecord(), before, "going private changed kim's record");
await neverShown();
step('rosa went private and added a secret: kim sees none of it');

// 3. Rosa deletes it.
await rosa.goto(source + '/delete');
await rosa.getByRole('button', { name: 'Delete for good' }).click();
await rosa.waitForLoadState('load');
assert.equal(await kimsRecord(), before, "the deletion changed kim's record");
await neverShown();
await kim.goto(plan);
const copy = await kim.locator('a[href^="/curricula/"]').first().getAttribute('href');
await kim.goto(base + copy);
assert.match(await kim.locator('.lineage').innerText(), /Forked from “Deep learning in six months” by @rosa/);
if (shots) await kim.screenshot({ path: `${shots}/forked-copy.png` });
step('rosa deleted it: kim keeps her copy, which says where it came from');

assert.deepEqual(errors, [], 'no script errors');
await browser.close();
step('ok');
