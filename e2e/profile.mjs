// The demo learner shares their work, in a real Chromium: the profile is private until opened;
// they open it part by part in the settings, write a journal post, and a stranger (a second,
// signed-out browser) sees exactly what "see it as a stranger" showed; the public feed and the
// site download answer. Screenshots of the profile and its settings go to docs/screenshots/.
//
// Usage: node profile.mjs http://127.0.0.1:PORT HANDLE PASSWORD [screenshot-dir]
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';

const [base, handle, password, shots] = process.argv.slice(2);
if (!password) throw new Error('usage: node profile.mjs BASE_URL HANDLE PASSWORD [SCREENSHOT_DIR]');
if (shots) mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const owner = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
const stranger = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
for (const p of [owner, stranger]) p.setDefaultTimeout(15000);
const errors = [];
owner.on('pageerror', (e) => errors.push(String(e)));
stranger.on('pageerror', (e) => errors.push(String(e)));
const step = (text) => console.log(`profile: ${text}`);
const sections = async (page) => page.locator('main section[id]').evaluateAll(
  (all) => all.map((s) => s.id).filter((id) => id !== 'heatmap-legend'));

// Private after sign-up: a stranger gets 404.
let answer = await stranger.goto(`${base}/@${handle}`);
assert.equal(answer.status(), 404, 'a new profile is private');
step('private until opened');

await owner.goto(base + '/signin');
await owner.getByLabel('Handle or email').fill(handle);
await owner.getByLabel('Password').fill(password);
await owner.getByRole('button', { name: 'Sign in' }).click();
await owner.waitForURL(base + '/');

// Open the page, then every part but the curricula, to everyone.
await owner.goto(base + '/settings/profile');
await owner.locator('#profile').selectOption('public');
await owner.locator('#bio').fill('Teaching myself deep learning, **one project at a time**.');
for (const part of ['progress', 'heatmap', 'portfolio', 'journal', 'skills']) {
  await owner.locator(`#section-${part}`).selectOption('public');
}
await owner.locator('#profile-settings button[type=submit]').click();
await owner.waitForURL(/saved=1/);
assert.match(await owner.locator('#shown-progress').innerText(), /everyone/);
assert.match(await owner.locator('#shown-curricula').innerText(), /only you/);
// Each followed curriculum's progress is its own choice too.
const follows = owner.locator('#follow-progress form');
const count = await follows.count();
assert.ok(count >= 1, 'the demo learner follows curricula');
for (let i = 0; i < count; i += 1) {
  await owner.locator('#follow-progress form').nth(i).locator('select').selectOption('public');
  await owner.locator('#follow-progress form').nth(i).locator('button').click();
  await owner.waitForURL(/saved=1/);
}
if (shots) await owner.screenshot({ path: `${shots}/profile-settings.png`, fullPage: false });
step('opened part by part');

// A journal post, public.
await owner.goto(base + '/journal');
await owner.getByLabel('Title').fill('A year in: what I would tell myself');
await owner.getByLabel('Post (Markdown)').fill('Build early. **Log honestly.** Rest on purpose.');
await owner.locator('#post-visibility').selectOption('public');
await owner.getByRole('button', { name: 'Save the post' }).click();
await owner.waitForURL(/\/journal\/\d+$/);
assert.match(await owner.locator('.prose').innerText(), /Log honestly/);
step('wrote a public post');

// "See it as a stranger" is what a stranger gets.
await owner.goto(`${base}/@${handle}?as=stranger`);
const preview = await sections(owner);
answer = await stranger.goto(`${base}/@${handle}`);
assert.equal(answer.status(), 200);
const real = await sections(stranger);
assert.deepEqual(real, preview, 'the preview shows the stranger\'s sections');
assert.deepEqual(real, ['progress', 'heatmap', 'portfolio', 'skills', 'journal'], 'the open parts, and not the curricula');
assert.equal(await stranger.locator('#journal a', { hasText: 'A year in' }).count(), 1);
assert.equal(await stranger.locator('meta[property="og:title"]').count(), 1, 'an Open Graph card');
if (shots) await stranger.screenshot({ path: `${shots}/profile.png`, fullPage: false });
step('the stranger sees what the preview showed');

const feed = await stranger.request.get(`${base}/@${handle}/feed.xml`);
assert.equal(feed.status(), 200);
assert.match(await feed.text(), /A year in: what I would tell myself/);
const site = await owner.request.get(`${base}/settings/profile/site.zip`);
assert.equal(site.status(), 200);
assert.equal(site.headers()['content-type'], 'application/zip');
step('the feed and the site download answer');

assert.deepEqual(errors, [], 'no script errors');
await browser.close();
step('ok');
