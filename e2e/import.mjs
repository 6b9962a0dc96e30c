// Moving a Trello board in, in a real Chromium against a real server: upload an export with
// status lists, read the import's report, set ten missing estimates in the hours grid in one
// submit, follow the curriculum, and find the board already showing what was done; later,
// update the curriculum from an edited TOML, see the diff, apply it, and find the logs, notes
// and board as they were.
//
// Usage: node import.mjs http://127.0.0.1:PORT [screenshot-dir]
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const base = process.argv[2];
const shots = process.argv[3];
if (!base) throw new Error('usage: node import.mjs BASE_URL [SCREENSHOT_DIR]');
const board = fileURLToPath(new URL('./data/trello-ml-board.json', import.meta.url));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
const page = await context.newPage();
page.setDefaultTimeout(15000);
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
const step = (text) => console.log(`import: ${text}`);

await page.goto(base + '/signup');
await page.getByLabel('Handle').fill('mira');
await page.getByLabel('Display name').fill('Mira');
await page.getByLabel('Email').fill('mira@example.org');
await page.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
await page.getByRole('button', { name: 'Create my account' }).click();
await page.waitForURL(base + '/');

// 1. Upload a Trello export with status lists.
await page.goto(base + '/curricula');
await page.locator('#import-file').setInputFiles(board);
await page.locator('#import button[type=submit]').click();
await page.waitForURL(/\/curricula\/\d+\/hours\?imported$/);
const curriculumUrl = page.url().replace(/\/hours\?imported$/, '');
step(`uploaded the board: ${curriculumUrl}`);

// 2. The report says what the file did and did not give.
const report = await page.locator('#import-report').innerText();
assert.match(report, /14 items have no estimate in the source/);
assert.match(report, /3 items done and 2 items in progress in the source/);
assert.equal(await page.locator('tr.needs-estimate').count(), 14);
if (shots) await page.screenshot({ path: `${shots}/import-report.png`, fullPage: true });
step('read the report: 14 estimates missing, 3 done and 2 in progress');

// 3. Ten hours in the grid, one submit.
const missing = page.locator('tr.needs-estimate input');
for (let n = 0; n < 10; n += 1) await missing.nth(n).fill(String(10 + n * 5));
await page.getByRole('button', { name: 'Save every estimate' }).click();
await page.waitForURL(/\/hours\?saved=10$/);
assert.equal(await page.locator('#hours-notice').innerText(), '10 estimates are saved.');
assert.equal(await page.locator('tr.needs-estimate').count(), 4);
if (shots) await page.screenshot({ path: `${shots}/hours-grid.png`, fullPage: false });
step('set ten estimates in one submit');

// 4. Follow: the board already shows what was done.
await page.goto(curriculumUrl);
await page.getByRole('link', { name: /^Follow/ }).first().click();
await page.getByLabel('Hours a week').fill('8');
await page.getByRole('button', { name: 'Follow and plan' }).click();
await page.waitForURL(/\/follows\/\d+/);
const followUrl = page.url().match(/^(.*\/follows\/\d+)/)[1];
await page.goto(followUrl + '/board');
const done = await page.locator('#column-done .board-card').evaluateAll((cards) => cards.map((c) => c.dataset.item).sort());
assert.deepEqual(done, ['git-and-github-basics', 'kaggle-titanic', 'python-crash-course-book']);
const doing = await page.locator('#column-doing .board-card').count();
assert.equal(doing, 2, 'the card in Doing and the half-ticked project');
step('followed: the board starts with 3 done and 2 in progress');

// 5. Work on it, then update the curriculum from an edited TOML.
const item = `${followUrl}/items/fast-ai-practical-deep-learning-for-coders`;
await page.goto(item);
await page.locator('#lh-duration').fill('50m');
await page.locator('#lh-note').fill('lesson 1');
await page.locator('#lh-duration').press('Enter');
await page.waitForLoadState('load');
await page.goto(item);
await page.locator('#notes-text').fill('Start with lesson 1, then the book.');
await page.getByRole('button', { name: 'Save notes' }).click();
await page.waitForLoadState('load');
const boardBefore = await page.goto(followUrl + '/board').then(() =>
  page.locator('.board > .column').evaluateAll((cols) => cols.map((c) =>
    [c.dataset.status, [...c.querySelectorAll('.board-card')].map((k) => k.dataset.item).sort()])));

const toml = await (await page.request.get(curriculumUrl + '/download.toml')).text();
const edited = toml
  .replace('title = "Git and GitHub basics"\nhours = 4', 'title = "Git and GitHub basics"\nhours = 6')
  .replace('[[phases.items]]\nid = "statistics-refresher"',
    '[[phases.items]]\nid = "transformers-from-scratch"\nkind = "project"\ntitle = "Transformers from scratch"\nhours = 20\n\n[[phases.items]]\nid = "statistics-refresher"');
assert.notEqual(edited, toml, 'the edit applies to the downloaded file');
const dir = mkdtempSync(join(tmpdir(), 'autodidact-import-'));
writeFileSync(join(dir, 'edited.toml'), edited);
await page.goto(curriculumUrl);
await page.getByRole('link', { name: 'Update from a file' }).click();
await page.locator('#update-file').setInputFiles(join(dir, 'edited.toml'));
await page.getByRole('button', { name: 'Compare' }).click();
await page.waitForLoadState('load');
assert.deepEqual(await page.locator('#update-added li').allInnerTexts(), ['Transformers from scratch 20 h']);
assert.match((await page.locator('#update-changed li').allInnerTexts()).join('\n'), /Git and GitHub basics: hours 4 h → 6 h/);
assert.match(await page.locator('#update-hours').innerText(), /\(\+22 h\)/);
if (shots) await page.screenshot({ path: `${shots}/update-diff.png`, fullPage: false });
await page.getByRole('button', { name: 'Apply these changes' }).click();
await page.waitForURL(/\?updated$/);
assert.match(await page.locator('#curriculum-notice').innerText(), /^Updated from your file/);

const boardAfter = await page.goto(followUrl + '/board').then(() =>
  page.locator('.board > .column').evaluateAll((cols) => cols.map((c) =>
    [c.dataset.status, [...c.querySelectorAll('.board-card')].map((k) => k.dataset.item).sort()])));
const withoutNew = boardAfter.map(([s, ids]) => [s, ids.filter((i) => i !== 'transformers-from-scratch')]);
assert.deepEqual(withoutNew, boardBefore, 'every card is where it was');
await page.goto(item);
assert.match(await page.locator('#notes-rendered').innerText(), /Start with lesson 1/);
assert.match(await page.locator('table.item-logs').innerText(), /50 min/);
step('updated from an edited TOML: diff seen, applied, logs, notes and board unchanged');

assert.deepEqual(errors, [], 'no script errors');
await browser.close();
step('ok');
