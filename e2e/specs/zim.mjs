// The ZIM file for Kiwix (`cargo xtask dist`, xtask/src/zim.rs), served by kiwix-serve, which
// each test starts on a free 127.0.0.1 port and stops: once with its default top bar (which
// kiwix-serve 3.3 injects into our page, its scripts running under our policy) and once with
// --nosearchbar. Every view drawn, the keyboard walk, selection, downloads, links that stay
// inside the ZIM, no service worker, and zero console errors. Console errors are counted apart
// by where they come from: our page (the book's files) and kiwix-serve's bar (`/skin/`); both
// must be zero (the runner also fails a test on any console error or CSP violation).
//
// Env: ZIM_FILE (default: the newest pakru-atlas_*_all_*.zim at the repository root),
// KIWIX_SERVE (default: kiwix-serve on PATH). Skips when there is no ZIM file.

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BY_DATE, EVENTS, STORY } from '../data.mjs';
import { assert, canvasNotBlank, gotoApp, sleep } from '../lib.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));

function zimFile() {
  if (process.env.ZIM_FILE) return process.env.ZIM_FILE;
  const found = readdirSync(repo).filter((f) => /^pakru-atlas_[a-z]+_all_\d{4}-\d{2}\.zim$/.test(f)).sort();
  return found.length ? join(repo, found[found.length - 1]) : null;
}

/** The ZIM build's policy (xtask/src/zim.rs, zim_csp). */
const ZIM_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'unsafe-hashes' 'sha256-47mKTaMaEn1L3m5DAz9muidMqw636xxw7EFAK/YnPdg='; " +
  "style-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** Starts kiwix-serve on `zim` with `args`; resolves once its catalog answers. */
async function startKiwix(ctx, zim, args = []) {
  const bin = process.env.KIWIX_SERVE || 'kiwix-serve';
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(bin, ['--address', '127.0.0.1', '--port', String(port), ...args, zim], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    let exited = null;
    child.on('exit', (code, sig) => (exited = `exited (${code ?? sig})`));
    child.on('error', (e) => (exited = `did not start: ${e.message}`));
    const base = `http://127.0.0.1:${port}/`;
    const stop = () =>
      new Promise((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      });
    for (let t = 0; t < 100 && !exited; t++) {
      try {
        const r = await fetch(`${base}catalog/v2/entries`);
        if (r.ok) {
          ctx.log(`kiwix-serve ${args.join(' ') || '(default top bar)'} on ${base} (pid ${child.pid})`);
          return { base, book: basename(zim, '.zim'), stop };
        }
      } catch {}
      await sleep(100);
    }
    await stop();
    lastError = `${bin} ${exited || 'did not answer in 10 s'} on port ${port}: ${log.trim().slice(-400)}`;
  }
  throw new Error(lastError);
}

/** Runs `fn(server)` with kiwix-serve started, and stops it whatever happens. */
async function withKiwix(ctx, args, fn) {
  const zim = zimFile();
  if (!zim || !existsSync(zim)) ctx.skip('no ZIM file (run `cargo xtask dist`, or set ZIM_FILE)');
  const server = await startKiwix(ctx, zim, args);
  try {
    await fn(server);
  } finally {
    await server.stop();
  }
}

/** Console errors of `page`, by origin: ours (the book's files or inline) and kiwix-serve's (/skin/). */
function collectErrors(page, base, book) {
  const errors = { ours: [], kiwix: [] };
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const where = (m.location() && m.location().url) || '';
    const text = `${m.text()} (${where || page.url()})`;
    if (where.startsWith(`${base}skin/`)) errors.kiwix.push(text);
    else errors.ours.push(text);
  });
  page.on('pageerror', (e) => errors.ours.push(`uncaught: ${e.message}`));
  return errors;
}

const detailTitle = async (page, title, what) => {
  await page.waitForFunction((t) => document.querySelector('#detail-h')?.textContent.trim() === t, title, { timeout: 3000 }).catch(() => {});
  assert.equal((await page.locator('#detail-h').textContent()).trim(), title, `${what}: detail panel title`);
};

/** Everything a reader does, in the book served at `base`; `bar`: whether the top bar is on. */
async function exercise({ page, ctx }, { base, book }, bar) {
  const errors = collectErrors(page, base, book);
  const home = `${base}${book}/`;
  const inside = (u, what) => assert(String(u).startsWith(home), `${what}: ${u} is not inside the book ${home}`);
  await ctx.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base.slice(0, -1) });

  await gotoApp(page, home);
  inside(page.url(), 'the welcome page');
  const doc = await page.evaluate(() => ({
    csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content,
    marker: document.querySelector('meta[name="pakru-package"]')?.content,
    bar: !!document.querySelector('#kiwixtoolbar'),
  }));
  assert.equal(doc.csp, ZIM_CSP, "the ZIM build's policy");
  assert.equal(doc.marker, 'zim', 'the ZIM marker');
  assert.equal(doc.bar, bar, 'kiwix-serve top bar present');
  if (bar) {
    // The bar does not cover the atlas's header.
    const [barBox, h1] = [await page.locator('#kiwixtoolbar').boundingBox(), await page.locator('header h1').boundingBox()];
    assert(barBox && h1 && h1.y >= barBox.y + barBox.height - 1, `the bar (${JSON.stringify(barBox)}) covers the title (${JSON.stringify(h1)})`);
  }

  // Every view drawn; the table lists every event.
  for (const sel of ['#timeline', '#map', '#trade-chart', '#students-chart']) {
    await page.locator(sel).scrollIntoViewIfNeeded();
    await canvasNotBlank(page, sel, { minColors: 4, minPixels: 1000 });
  }
  assert.equal(await page.locator('table.events tbody tr[data-event-id]').count(), EVENTS.length, 'table rows');
  await page.evaluate(() => scrollTo(0, 0));
  await ctx.screenshot(`zim-${bar ? 'top-bar' : 'nosearchbar'}`);

  // The keyboard walk of the timeline.
  await page.focus('canvas#timeline');
  await page.keyboard.press('Home');
  await detailTitle(page, BY_DATE[0].title, 'Home');
  for (let k = 1; k <= 3; k++) {
    await page.keyboard.press('ArrowRight');
    await detailTitle(page, BY_DATE[k].title, `ArrowRight ×${k}`);
  }
  await page.keyboard.press('End');
  await detailTitle(page, BY_DATE[BY_DATE.length - 1].title, 'End');
  await page.keyboard.press('ArrowLeft');
  await detailTitle(page, BY_DATE[BY_DATE.length - 2].title, 'ArrowLeft');
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'timeline', 'focus stays on the timeline');

  // Selection from the table; the address records it and stays inside the book.
  const pick = BY_DATE[5];
  await page.locator(`tr[data-event-id="${pick.id}"] button.event-link`).click();
  await detailTitle(page, pick.title, 'table click');
  inside(page.url(), 'the address after a selection');

  // The share link: inside the book, and it opens the same selection.
  await page.locator('#copy-link').click();
  await page.waitForFunction(() => /copied/.test(document.querySelector('.share-row .status')?.textContent || ''), null, { timeout: 5000 });
  const link = await page.evaluate(() => navigator.clipboard.readText());
  inside(link, 'the copied link');
  const shared = await ctx.newPage();
  const sharedErrors = collectErrors(shared, base, book);
  await gotoApp(shared, link);
  await detailTitle(shared, pick.title, 'the shared link');

  // An embed's "Open in the atlas" link points inside the book, at the full atlas.
  await gotoApp(shared, `${home}index.html?embed=1`);
  const open = new URL(await shared.locator('#open-atlas').getAttribute('href'), shared.url());
  inside(open, '"Open in the atlas"');
  assert.equal(open.searchParams.get('embed'), null, '"Open in the atlas" leaves embed mode');
  await gotoApp(shared, open.toString());
  assert.equal(await shared.locator('header h1').count(), 1, 'the full atlas opens from the embed link');

  // The story, fetched from the book when opened: a step by its address.
  await gotoApp(shared, `${home}index.html?story=rq2&step=3`);
  await shared.waitForFunction(() => !!document.querySelector('#story .story-step-h'), null, { timeout: 10_000 });
  assert.equal(await shared.locator('#story .story-progress').innerText(), `Chapter 2 · step 3 of ${STORY.chapters[1].steps.length}`, 'a story step inside the book');
  inside(shared.url(), 'the story step');

  // Urdu inside the book: its language file and its module come from the book too.
  await gotoApp(shared, `${home}index.html?lang=ur`);
  assert.equal(await shared.evaluate(() => [document.documentElement.lang, document.documentElement.dir].join(' ')), 'ur rtl', 'Urdu inside the book');
  assert.equal(await shared.locator('.lang-failed').count(), 0, 'its file and module loaded');

  // Downloads (blob: and data: URLs) work under the ZIM's policy.
  const take = async (locator) => {
    const [d] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), locator.click()]);
    return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
  };
  const csv = await take(page.locator('#dl-csv'));
  assert.equal(csv.name, 'pakistan-russia-events.csv', 'CSV name');
  assert.atLeast(csv.bytes.toString('utf8').trim().split('\n').length, EVENTS.length + 1, 'CSV lines');
  const png = await take(page.locator('.downloads button', { hasText: 'PNG' }).first());
  assert.equal(png.bytes.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'PNG signature');

  // No service worker inside the ZIM, none asked for.
  await sleep(500);
  const sw = await page.evaluate(async () => ('serviceWorker' in navigator ? (await navigator.serviceWorker.getRegistrations()).length : 0));
  assert.equal(sw, 0, 'service worker registrations');
  const swRequests = ctx.requests.filter((u) => /\/sw\.js(\?|$)/.test(u));
  assert.deepEqual(swRequests, [], 'requests for sw.js');

  const violations = await page.evaluate(() => window.__cspViolations);
  assert.deepEqual(violations, [], 'CSP violations in our page');
  assert.deepEqual([...errors.ours, ...sharedErrors.ours], [], 'console errors from our page');
  assert.deepEqual([...errors.kiwix, ...sharedErrors.kiwix], [], "console errors from kiwix-serve's bar scripts");
  return errors;
}

export const tests = {
  'kiwix-serve with its top bar: every view, keyboard, selection, links, downloads; the bar works': async ({ page, ctx }) => {
    await withKiwix(ctx, [], async (server) => {
      await exercise({ page, ctx }, server, true);
      // The bar's search form sends its query to kiwix-serve (form-action 'self').
      await page.evaluate(() => scrollTo(0, 0));
      await page.locator('#kiwixsearchbox').fill('Tashkent');
      const [nav] = await Promise.all([page.waitForNavigation({ timeout: 10_000 }), page.locator('#kiwixsearchbox').press('Enter')]);
      const u = new URL(page.url());
      assert.equal(u.pathname, '/search', "the bar's search went to kiwix-serve");
      assert.equal(u.searchParams.get('content'), server.book, 'searched in this book');
      assert(nav && nav.ok(), `search: HTTP ${nav && nav.status()}`);
    });
  },

  'kiwix-serve --nosearchbar: every view, keyboard, selection, links, downloads': async ({ page, ctx }) => {
    await withKiwix(ctx, ['--nosearchbar'], (server) => exercise({ page, ctx }, server, false));
  },

  'the ZIM in the Kiwix catalog: metadata and a 48×48 illustration': async ({ ctx }) => {
    await withKiwix(ctx, [], async ({ base, book }) => {
      const feed = await (await fetch(`${base}catalog/v2/entries`)).text();
      const entries = feed.split('<entry>').slice(1);
      assert.equal(entries.length, 1, 'catalog entries');
      const xml = entries[0];
      const field = (name) => (xml.match(new RegExp(`<${name}>([^<]*)</${name}>`)) || [])[1];
      const month = book.match(/_(\d{4}-\d{2})$/)[1];
      assert.equal(field('name'), 'pakru-atlas_mul_all', 'Name');
      assert.equal(book, `pakru-atlas_mul_all_${month}`, 'file name');
      assert.equal(field('language'), 'eng,urd,rus', 'Language');
      assert.equal(field('flavour'), 'maxi', 'Flavour');
      assert.equal(field('title'), 'Pakistan–Russia Relations', 'Title');
      assert.match(field('summary'), /^Pakistan and the USSR\/Russia since 1947/, 'Description');
      assert.match(xml, /<author>\s*<name>Pakistan–Russia Relations Atlas<\/name>/, 'Creator');
      assert.match(xml, /<publisher>\s*<name>Pakistan–Russia Relations Atlas<\/name>/, 'Publisher');
      for (const tag of ['history', 'pakistan', 'russia', '_category:other']) assert.includes(field('tags').split(';'), tag, 'Tags');
      assert.match(field('dc:issued') || '', new RegExp(`^${month}-\\d{2}T`), 'Date, the month of the file name');
      const ill = xml.match(/href="([^"]*illustration[^"]*)"/);
      assert(ill, 'an illustration link');
      const png = Buffer.from(await (await fetch(new URL(ill[1].replace(/&amp;/g, '&'), base))).arrayBuffer());
      assert.equal(png.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'illustration is a PNG');
      assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [48, 48], 'illustration size');
    });
  },
};
