// Sharing and learning from each other's curricula, in a real Chromium against a real server:
//   1. Ada publishes her curriculum and a profile with a finished project and its evidence;
//   2. Bob finds her curriculum in explore and forks it;
//   3. Bob follows his copy, logs time, writes notes, and changes one item's hours;
//   4. Ada changes three items and removes one;
//   5. Bob previews the update, sees what it does to his plan, and accepts;
//   6. Bob's notes, logs, board and edited hours are as they were;
//   7. Bob's static site, downloaded, opens in Chromium from the file system with working links.
// Screenshots of explore, of the update preview and of a review go to docs/screenshots/.
//
// Usage: node sharing.mjs http://127.0.0.1:PORT [screenshot-dir]
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const base = process.argv[2];
const shots = process.argv[3];
if (!base) throw new Error('usage: node sharing.mjs BASE_URL [SCREENSHOT_DIR]');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const errors = [];
const step = (text) => console.log(`sharing: ${text}`);

async function learner(handle) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(base + '/signup');
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Display name').fill(handle[0].toUpperCase() + handle.slice(1));
  await page.getByLabel('Email').fill(`${handle}@example.org`);
  await page.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Create my account' }).click();
  await page.waitForURL(base + '/');
  return page;
}

async function saveItem(page, curriculum, id, fields) {
  await page.goto(`${curriculum}/items/${id}/edit`);
  for (const [label, value] of Object.entries(fields)) {
    await page.getByLabel(label, { exact: true }).fill(value);
  }
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.waitForURL(new RegExp(`${curriculum.replace(/[/.]/g, '\\$&')}(#.*)?$`));
}

async function openProfile(page, parts) {
  await page.goto(base + '/settings/profile');
  await page.locator('#profile').selectOption('public');
  for (const part of parts) await page.locator(`#section-${part}`).selectOption('public');
  await page.locator('#profile-settings button[type=submit]').click();
  await page.waitForURL(/saved=1/);
  const follows = page.locator('#follow-progress form');
  for (let i = 0; i < await follows.count(); i += 1) {
    await follows.nth(i).locator('select').selectOption('public');
    await follows.nth(i).locator('button').click();
    await page.waitForURL(/saved=1/);
  }
}

// 1. Ada publishes "Deep learning in six months", follows it, and finishes a project with
//    its evidence; her profile shows it.
const ada = await learner('ada');
await ada.goto(base + '/templates/deep-learning-in-six-months');
await ada.getByRole('button', { name: 'Use this template' }).click();
await ada.waitForURL(/\/curricula\/\d+$/);
const source = ada.url();
await ada.locator('#visibility').selectOption('public');
await ada.locator('form.visibility-form button').click();
await ada.waitForLoadState('load');
await ada.getByRole('link', { name: 'Follow this curriculum' }).click();
await ada.getByLabel('Hours a week').fill('15');
await ada.getByRole('button', { name: 'Follow and plan' }).click();
await ada.waitForURL(/\/follows\/\d+$/);
const adaPlan = ada.url();
await ada.goto(`${adaPlan}/items/kaggle-titanic`);
await ada.locator('#kind').selectOption('repository');
await ada.getByLabel('Address').fill('https://github.com/ada/titanic');
await ada.getByLabel('Title (optional)').fill('Titanic, end to end');
await ada.getByRole('button', { name: 'Add evidence' }).click();
await ada.waitForLoadState('load');
await ada.getByRole('button', { name: /Move to done/i }).click();
await ada.waitForLoadState('load');
await openProfile(ada, ['progress', 'portfolio', 'skills']);
const adaProfile = await ada.context().browser().newContext();
const anon = await adaProfile.newPage();
await anon.goto(base + '/@ada');
assert.match(await anon.locator('#portfolio').innerText(), /Titanic, end to end/);
step('ada published her curriculum and a profile with a project and its evidence');

// 2. Bob finds it in explore and forks it.
const bob = await learner('bob');
await bob.goto(base + '/explore');
await bob.getByLabel('Search titles, skills and authors').fill('deep learning ada');
await bob.getByRole('button', { name: 'Search' }).click();
await bob.waitForURL(/\/explore\?/);
const found = bob.locator('.card.listed h3 a', { hasText: 'Deep learning in six months' });
assert.equal(await found.count(), 1, 'explore finds ada\'s curriculum by title and author');
if (shots) await bob.screenshot({ path: `${shots}/explore.png`, fullPage: false });
await found.click();
await bob.waitForURL(source);
await bob.getByRole('button', { name: 'Fork: make your own copy' }).click();
await bob.waitForURL((url) => /\/curricula\/\d+$/.test(url.toString()) && url.toString() !== source);
const copy = bob.url();
assert.match(await bob.locator('.lineage').innerText(), /Forked from “Deep learning in six months” by @ada/);
step(`bob forked it: ${copy}`);

// 3. Bob follows his copy, logs time, writes notes and changes one item's hours.
await bob.getByRole('link', { name: 'Follow this curriculum' }).click();
await bob.getByLabel('Hours a week').fill('10');
await bob.getByRole('button', { name: 'Follow and plan' }).click();
await bob.waitForURL(/\/follows\/\d+$/);
const plan = bob.url();
const notesItem = `${plan}/items/coursera-machine-learning`;
await bob.goto(notesItem);
await bob.getByLabel('Notes (Markdown)').fill('Week 2: **gradient descent** clicked.');
await bob.getByRole('button', { name: 'Save notes' }).click();
await bob.waitForLoadState('load');
await bob.goto(`${plan}/items/python-crash-course`);
await bob.locator('#lh-duration').fill('1h30m');
await bob.locator('#log-here button[type=submit]').click();
await bob.waitForLoadState('load');
await saveItem(bob, copy, 'fastai-v1', { Hours: '60' });
step('bob follows his copy: notes, a log, his own hours on fast.ai');

async function bobsRecord() {
  await bob.goto(notesItem);
  const notes = await bob.locator('#notes').innerText();
  await bob.goto(base + '/logs');
  const logs = await bob.locator('main').innerText();
  await bob.goto(`${plan}/board`);
  const board = await bob.locator('main').innerText();
  return { notes, logs, board };
}
const before = await bobsRecord();
assert.match(before.notes, /gradient descent/);
assert.match(before.logs, /1 h 30 min|1\.5 h|90 min/);

// 4. Ada changes three items and removes one.
await saveItem(ada, source, 'linear-algebra', { Title: 'Linear algebra, 2nd edition' });
await saveItem(ada, source, 'matrix-calculus', { Hours: '14' });
await saveItem(ada, source, 'optimization', { Notes: 'Read chapters 1 to 4 only.' });
await ada.goto(`${source}/items/dls-structuring-projects/edit`);
await ada.getByRole('button', { name: 'Remove the item' }).click();
await ada.waitForLoadState('load');
step('ada changed three items and removed one');

// 5. Bob sees the update, previews it with its plan impact, and accepts.
await bob.goto(copy);
await bob.locator('#update-available a').click();
await bob.waitForURL(`${copy}/upstream`);
const updated = await bob.locator('#updated').innerText();
assert.match(updated, /Linear algebra, 2nd edition: title/);
assert.match(updated, /hours/);
assert.match(updated, /notes/);
assert.match(await bob.locator('#removed').innerText(), /Structuring/i);
const impact = await bob.locator('#impact').innerText();
assert.match(impact, /Work left/);
assert.match(impact, /The plan ends/);
if (shots) await bob.screenshot({ path: `${shots}/update-preview.png`, fullPage: false });
await bob.locator('#accept').click();
await bob.waitForURL(/synced=1/);
assert.match(await bob.locator('#curriculum-notice').innerText(), /Updated from its source/);
step('bob previewed the update with its plan impact and accepted it');

// 6. Everything of Bob's is where it was; his hours on fast.ai stand, Ada's changes arrived.
const after = await bobsRecord();
assert.equal(after.notes, before.notes, 'the notes');
assert.equal(after.logs, before.logs, 'the logs');
assert.match(after.board, /Python/);
await bob.goto(`${copy}/items/fastai-v1/edit`);
assert.equal(await bob.getByLabel('Hours', { exact: true }).inputValue(), '60', "bob's own hours");
await bob.goto(copy);
assert.ok(await bob.locator('main').getByText('Linear algebra, 2nd edition').count() > 0, "ada's title");
assert.equal(await bob.locator('#item-dls-structuring-projects').count(), 0, 'the untouched removed item is gone');
assert.equal(await bob.locator('#update-available').count(), 0);
step("bob's notes, logs, board and own hours remain");

// And Bob reviews the item he logged time on: half stars, a note for the next learner.
await bob.goto(`${plan}/items/python-crash-course`);
await bob.locator('#reviews summary').click();
await bob.getByLabel('Rating, 0.5 to 5 stars').fill('4½');
await bob.getByLabel('Review (optional, Markdown)').fill('Short and *practical*.');
await bob.getByLabel('For the next learner, without spoilers (optional)').fill('Do the projects in part two.');
await bob.getByRole('button', { name: 'Save review' }).click();
await bob.waitForURL(/saved=rating/);
const review = await bob.locator('.review.mine').innerText();
assert.match(review, /4\.5/);
assert.match(review, /logged 1\.5 h, not finished/);
assert.match(review, /Do the projects in part two/);
if (shots) await bob.locator('#crowd').screenshot({ path: `${shots}/item-review.png` });
step('bob reviewed an item: ' + review.split('\n')[0]);

// 7. Bob's static site opens from the file system with working links.
await bob.goto(base + '/journal');
await bob.getByLabel('Title').fill('Forked, then merged');
await bob.getByLabel('Post (Markdown)').fill('I took **the update** and kept my hours.');
await bob.locator('#post-visibility').selectOption('public');
await bob.getByRole('button', { name: 'Save the post' }).click();
await bob.waitForURL(/\/journal\/\d+$/);
await openProfile(bob, ['progress', 'journal', 'portfolio', 'skills']);
const zip = await bob.request.get(base + '/settings/profile/site.zip');
assert.equal(zip.status(), 200);
const dir = mkdtempSync(join(tmpdir(), 'bob-site-'));
writeFileSync(join(dir, 'site.zip'), await zip.body());
execFileSync('python3', ['-m', 'zipfile', '-e', join(dir, 'site.zip'), join(dir, 'site')]);
const root = join(dir, 'site');
const offline = await (await browser.newContext({ offline: true })).newPage();
offline.on('pageerror', (e) => errors.push(String(e)));
await offline.goto('file://' + join(root, 'index.html'));
assert.match(await offline.locator('body').innerText(), /Forked, then merged/);
const links = await offline.locator('a[href]').evaluateAll((all) => all.map((a) => a.getAttribute('href')));
const local = links.filter((h) => !/^(https?:|mailto:|#)/.test(h));
assert.ok(local.length >= 2, `the site links its own pages: ${local}`);
for (const href of local) {
  assert.ok(existsSync(join(root, href.split('#')[0])), `${href} is in the site (${readdirSync(root)})`);
}
await offline.locator('a', { hasText: 'Forked, then merged' }).first().click();
await offline.waitForLoadState('load');
assert.match(await offline.locator('body').innerText(), /kept my hours/);
step(`bob's site opens from ${root} with ${local.length} working links`);

assert.deepEqual(errors, [], 'no script errors');
await browser.close();
step('ok');
