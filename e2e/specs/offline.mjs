// The bundle of `cargo xtask dist`: served from a sub-path, offline after one visit (service
// worker), updated cleanly when a new version is deployed, the single file opened from disk,
// the zip, and the strict Content-Security-Policy (the runner fails any test with a CSP
// violation; these check that the policy is there and that downloads still work under it).

import { cpSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { data } from '../data.mjs';
import { AssertionError, assert, canvasNotBlank, expect, gotoApp, isReadyScript, sleep } from '../lib.mjs';
import { core } from '../engines/core.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(repo, 'dist');
const version = readFileSync(join(repo, 'Cargo.toml'), 'utf8').match(/^\[package\][^[]*?^version\s*=\s*"([^"]+)"/m)[1];

const SERVED_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'";

/** Every file of the bundle in dist/ (hidden ones and the server's precompressed `.br`/`.gz`
 *  copies aside), relative, with `/`. */
function distFiles(dir = dist, prefix = '') {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || /\.(br|gz)$/.test(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...distFiles(p, `${prefix}${name}/`));
    else out.push(prefix + name);
  }
  return out;
}

/** Waits until a service worker controls the page; returns its registration's scope. */
async function controlled(page) {
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  return page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
}

const cacheNames = (page) => page.evaluate(() => caches.keys());

/** Reloads with the network off; every response must come from the service worker. */
async function reloadOffline(page, ctx) {
  // The probe at the end fails, as it should, and Chromium logs that.
  ctx.allowConsoleError(/ERR_INTERNET_DISCONNECTED.*not-in-the-bundle-/);
  await ctx.context.setOffline(true);
  const responses = [];
  const onResponse = (r) => responses.push(r);
  page.on('response', onResponse);
  await page.reload({ waitUntil: 'load' });
  await page.waitForFunction(isReadyScript, null, { timeout: 30_000 });
  page.off('response', onResponse);
  assert.atLeast(responses.length, 4, 'responses on the offline reload');
  const notFromSW = responses.filter((r) => !r.fromServiceWorker()).map((r) => `${r.status()} ${r.url()}`);
  assert.deepEqual(notFromSW, [], 'responses not served by the service worker');
  // The network really is off: a file the service worker does not hold cannot be fetched.
  const probe = await page.evaluate(() => fetch(`not-in-the-bundle-${Date.now()}`).then((r) => `HTTP ${r.status}`, () => 'failed'));
  assert.equal(probe, 'failed', 'a request for a file outside the bundle while offline');
}

/** The entries of a ZIP file: name → contents. */
function readZip(buf) {
  const eocd = buf.length - 22;
  assert.equal(buf.readUInt32LE(eocd), 0x06054b50, 'end of central directory record');
  const n = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map();
  for (let i = 0; i < n; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const at = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const body = buf.subarray(at, at + csize);
    out.set(name, method === 8 ? inflateRawSync(body) : Buffer.from(body));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

export const tests = {
  'served from a sub-path: manifest, icons and a service worker that precaches every file': async ({ page, ctx }) => {
    if (!ctx.subpathURL) ctx.skip('SUBPATH_BASE_URL not set');
    const base = ctx.subpathURL;
    await gotoApp(page, base);
    assert.equal(await controlled(page), base, 'service worker scope');
    // The manifest and its icons, all under the sub-path.
    const manifest = await page.evaluate(async () => {
      const href = document.querySelector('link[rel=manifest]').href;
      const m = await (await fetch(href)).json();
      const icons = [];
      for (const i of m.icons) {
        const url = new URL(i.src, href).href;
        const r = await fetch(url);
        icons.push({ url, ok: r.ok, type: r.headers.get('content-type') });
      }
      return { href, name: m.name, start: new URL(m.start_url, href).href, scope: new URL(m.scope, href).href, display: m.display, icons };
    });
    assert.equal(manifest.href, `${base}manifest.webmanifest`, 'manifest URL');
    assert.equal(manifest.name, 'Pakistan–Russia Relations Atlas', 'manifest name');
    assert.equal(manifest.start, base, 'manifest start_url');
    assert.equal(manifest.scope, base, 'manifest scope');
    assert.atLeast(manifest.icons.length, 2, 'icons');
    for (const i of manifest.icons) assert(i.ok && i.url.startsWith(base) && /^image\//.test(i.type), `icon ${JSON.stringify(i)}`);
    // One cache, holding every file of dist/ but the service worker itself.
    const names = await cacheNames(page);
    assert.equal(names.length, 1, `caches: ${JSON.stringify(names)}`);
    assert.match(names[0], new RegExp(`\\|${version.replace(/\./g, '\\.')}-[0-9a-f]{16}$`), 'cache named from the version and content hash');
    const cached = await page.evaluate(async (name) => (await (await caches.open(name)).keys()).map((r) => r.url).sort(), names[0]);
    const want = distFiles().filter((f) => f !== 'sw.js').map((f) => base + f).sort();
    assert.deepEqual(cached, want, 'precached files');
    assert.atLeast(want.length, 8, 'files in dist/');
    await page.waitForLoadState('networkidle');
    const outside = ctx.requests.filter((u) => !u.startsWith(base) && !/^(data|blob):/.test(u));
    assert.deepEqual(outside, [], 'requests outside the sub-path');
  },

  'after one visit the app works with the network off': async ({ page, ctx }) => {
    if (!ctx.subpathURL) ctx.skip('SUBPATH_BASE_URL not set');
    const base = ctx.subpathURL;
    await gotoApp(page, base);
    await controlled(page);
    await reloadOffline(page, ctx);
    assert.includes(await page.title(), 'Pakistan–Russia Relations Atlas', 'title offline');
    await canvasNotBlank(page, 'canvas#timeline');
    await canvasNotBlank(page, 'canvas#map');
    assert.atLeast(await page.locator('table.events tbody tr').count(), 10, 'table rows offline');
    // A link with a view in its query works offline too.
    const title = await page.locator('table.events tbody tr').first().locator('button.event-link').innerText();
    await page.goto(`${base}?q=${encodeURIComponent(title)}`, { waitUntil: 'load' });
    await page.waitForFunction(isReadyScript, null, { timeout: 30_000 });
    assert.equal(await page.locator('#search').inputValue(), title, 'search from the URL, offline');
    // The story, loaded only when opened, was precached: a step opens offline.
    await page.goto(`${base}?story=rq2&step=2`, { waitUntil: 'load' });
    await page.waitForFunction(isReadyScript, null, { timeout: 30_000 });
    await page.waitForFunction(() => !!document.querySelector('#story .story-step-h'), null, { timeout: 10_000 });
    assert.equal(await page.locator('#story .story-progress').innerText(), `Chapter 2 · step 2 of ${data('story.json').chapters[1].steps.length}`, 'a story step offline');
    await ctx.screenshot('offline-reload');
  },

  'a new deployment replaces the old version cleanly': async ({ page, ctx }) => {
    const { UPDATE_URL: url, UPDATE_LIVE_DIR: live, UPDATE_NEXT_DIR: next, UPDATE_NEW_TITLE: newTitle } = process.env;
    if (!url) ctx.skip('UPDATE_URL not set (cargo xtask test sets it)');
    await gotoApp(page, url);
    await controlled(page);
    const oldTitle = await page.title();
    assert.notEqual(oldTitle, newTitle, 'title of the first version');
    const [oldCache] = await cacheNames(page);
    assert(oldCache, 'a cache after the first visit');
    // Deploy the new version (another index.html, so another sw.js) over the old files.
    cpSync(next, live, { recursive: true });
    // The next visit is still served by the old version, and finds the new service worker,
    // which installs, takes over and deletes the old cache.
    await page.reload({ waitUntil: 'load' });
    await page.waitForFunction(isReadyScript, null, { timeout: 30_000 });
    let keys;
    for (const t0 = Date.now(); ; await sleep(250)) {
      keys = await cacheNames(page);
      if (keys.length === 1 && keys[0] !== oldCache) break;
      assert(Date.now() - t0 < 30_000, `caches 30 s after deploying: ${JSON.stringify(keys)} (the old one: ${oldCache})`);
    }
    await page.reload({ waitUntil: 'load' });
    await page.waitForFunction(isReadyScript, null, { timeout: 30_000 });
    assert.equal(await page.title(), newTitle, 'title after the update');
    // And the new version works offline.
    await reloadOffline(page, ctx);
    assert.equal(await page.title(), newTitle, 'title offline after the update');
    await canvasNotBlank(page, 'canvas#timeline');
  },

  'the single file opened from disk (file://) shows the timeline and the map': core(async ({ page, ctx }) => {
    const file = process.env.SINGLE_FILE || join(repo, 'dist-single', 'pakru-atlas.html');
    assert(existsSync(file), `${file} is missing: run cargo xtask dist`);
    const url = pathToFileURL(file).href;
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(isReadyScript, null, { timeout: 30_000 });
    assert.includes(await page.title(), 'Pakistan–Russia Relations Atlas', 'title');
    await canvasNotBlank(page, 'canvas#timeline');
    await canvasNotBlank(page, 'canvas#map');
    await canvasNotBlank(page, 'canvas#trade-chart');
    // Selecting an event works (and puts it in the file:// URL).
    const row = page.locator('table.events tbody tr').nth(3);
    const title = await row.locator('button.event-link').innerText();
    await row.locator('button.event-link').click();
    await expect(await page.locator('#detail-h').innerText(), 'detail heading').toBe(title);
    await page.waitForFunction(() => new URLSearchParams(location.search).has('e'));
    // Nothing but the file itself (data: and blob: aside) was loaded.
    const others = ctx.requests.filter((u) => u !== url && !u.startsWith(`${url}?`) && !/^(data|blob):/.test(u));
    assert.deepEqual(others, [], 'requests besides the file');
    // Its policy: hashes for its one script and one style block, nothing else inline.
    const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content);
    assert.match(csp, /^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]{43}=' 'wasm-unsafe-eval'; style-src 'sha256-[A-Za-z0-9+/]{43}='; img-src data:;/, 'single-file CSP');
    assert(!/unsafe-inline|unsafe-eval'/.test(csp.replace("'wasm-unsafe-eval'", '')), `no unsafe-inline/unsafe-eval: ${csp}`);
    // One script, one style block, and the story's data block (never run: not JavaScript).
    const counts = await page.evaluate(() => ({
      scripts: [...document.scripts].filter((s) => s.type !== 'application/octet-stream').length,
      data: document.querySelectorAll('script[type="application/octet-stream"]#story-data').length,
      styles: document.querySelectorAll('style').length,
    }));
    assert.deepEqual([counts.scripts, counts.data, counts.styles], [1, 1, 1], 'inline blocks: scripts, data, styles');
    // The story opens from that block: no request for story.bin.
    await page.locator('#story-open').click();
    await page.waitForFunction(() => !!document.querySelector('#story .story-step-h'), null, { timeout: 10_000 });
    assert.equal(await page.locator('#story .story-step-h').innerText(), data('story.json').chapters[0].steps[0].heading, 'the story in the single file');
    assert.deepEqual(ctx.requests.filter((u) => u.includes('story.bin')), [], 'no request for story.bin');
    await ctx.screenshot('single-file');
  }),

  'the zip beside dist/ holds every file of dist/': async ({ ctx }) => {
    const zip = join(repo, `pakru-atlas-${version}.zip`);
    if (!existsSync(zip)) ctx.skip(`${zip} missing (cargo xtask dist writes it)`);
    const entries = readZip(readFileSync(zip));
    const files = distFiles();
    assert.deepEqual([...entries.keys()].sort(), files.map((f) => `pakru-atlas-${version}/${f}`).sort(), 'zip entries');
    for (const f of files) {
      assert(entries.get(`pakru-atlas-${version}/${f}`).equals(readFileSync(join(dist, f))), `${f} in the zip differs from dist/`);
    }
  },

  'the served app carries the strict CSP; downloads and PNG export work under it': async ({ page, baseURL }) => {
    await gotoApp(page, baseURL);
    const doc = await page.evaluate(() => ({
      csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content,
      cspFirst: document.head.firstElementChild.nextElementSibling?.getAttribute('http-equiv'),
      // The data block (type application/octet-stream) is data, never run.
      inlineScripts: [...document.scripts].filter((s) => !s.src && s.type !== 'application/octet-stream').length,
      dataBlocks: document.querySelectorAll('script[type="application/octet-stream"]#atlas-data').length,
      styleElements: document.querySelectorAll('style').length,
    }));
    assert.equal(doc.csp, SERVED_CSP, 'CSP meta');
    assert.equal(doc.cspFirst, 'Content-Security-Policy', 'the CSP meta comes right after <meta charset>');
    assert.equal(doc.inlineScripts, 0, 'inline scripts');
    assert.equal(doc.dataBlocks, 1, 'the data block');
    assert.equal(doc.styleElements, 0, '<style> elements');
    // The source of dist/index.html: no inline script, style element or style attribute.
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    assert(!/<script(?![^>]*\ssrc=)(?![^>]*type="application\/octet-stream")[^>]*>/i.test(html), 'dist/index.html has an inline <script>');
    assert(!/<style|\sstyle=/i.test(html), 'dist/index.html has inline style');
    // Downloads (blob: URLs) and PNG export (data: URL) still work. The first download also
    // fetches the writers' module; a timeout says what the share bar said and what became of
    // the module's requests.
    const t0 = Date.now();
    const events = [];
    const note = (what) => (r) => /split_|chunk_/.test(r.url()) && events.push(`${Date.now() - t0} ms ${what} ${r.url().split('/').pop()}`);
    page.on('request', note('request'));
    page.on('requestfinished', note('finished'));
    page.on('requestfailed', (r) => note(`failed (${r.failure()?.errorText})`)(r));
    page.on('console', (m) => events.push(`${Date.now() - t0} ms console.${m.type()}: ${m.text()}`));
    const take = async (locator) => {
      try {
        const [d] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), locator.click()]);
        return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
      } catch (e) {
        const state = await page
          .evaluate(async () => {
            const r = await navigator.serviceWorker.getRegistration();
            const sw = `service worker: controller ${!!navigator.serviceWorker.controller}, installing ${!!r?.installing}, waiting ${!!r?.waiting}, active ${r?.active?.state}`;
            return `status line "${document.querySelector('.share-panel .status')?.textContent ?? '(none)'}"; ${sw}`;
          })
          .catch((x) => `(page: ${x.message})`);
        throw new AssertionError(`no download from ${locator} in 20 s; ${state}; ${events.join('; ') || 'no module requests'} (${e.message.split('\n')[0]})`);
      }
    };
    const csv = await take(page.locator('#dl-csv'));
    assert.equal(csv.name, 'pakistan-russia-events.csv', 'CSV name');
    assert.atLeast(csv.bytes.toString('utf8').split('\n').length, 50, 'CSV lines');
    // The data JSON, written from the loaded model: every record of every file, every field
    // (fields at their default, null, false or [], may be left out or written; the download
    // writes a record's fields in the model's order, the files in their authors').
    const isDefault = (x) => x === null || x === false || (Array.isArray(x) && !x.length);
    const norm = (v) =>
      Array.isArray(v) ? v.map(norm)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).filter(([, x]) => !isDefault(x)).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, norm(x)]))
        : v;
    const dump = await take(page.locator('.downloads button', { hasText: 'All data JSON' }));
    assert.equal(dump.name, 'pakistan-russia-data.json', 'JSON name');
    const all = JSON.parse(dump.bytes.toString('utf8'));
    for (const file of ['sources', 'places', 'events', 'eras', 'series', 'students']) {
      const shipped = data(`${file}.json`);
      assert.equal(all[file].length, shipped.length, `${file}: records`);
      const byId = new Map(all[file].map((r) => [r.id, r]));
      for (const r of shipped) assert.deepEqual(norm(byId.get(r.id)), norm(r), `${file} ${r.id} in the JSON download`);
    }
    // The story too (a year span is written as { start, end }, the file writes [start, end]).
    const spans = (v) =>
      Array.isArray(v) ? v.map(spans)
      : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'range' && Array.isArray(x) ? { start: x[0], end: x[1] } : spans(x)]))
      : v;
    assert.deepEqual(norm(all.story), norm(spans(data('story.json'))), 'the story in the JSON download');
    const svg = await take(page.locator('#dl-timeline-svg'));
    assert.match(svg.bytes.toString('utf8').slice(0, 200), /<svg/, 'timeline SVG');
    const png = await take(page.locator('.downloads button', { hasText: 'PNG' }).first());
    assert.equal(png.name, 'timeline.png', 'PNG name');
    assert.equal(png.bytes.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'PNG signature');
    assert.atLeast(png.bytes.length, 2000, 'PNG size');
    const violations = await page.evaluate(() => window.__cspViolations);
    assert.deepEqual(violations, [], 'CSP violations');
  },

  // plotters' SVG backend writes a text's size divided by 1.24; the canvas sets the size itself.
  'an SVG download sets its texts at the sizes the canvas drew them at': async ({ page, baseURL }) => {
    await page.addInitScript(() => {
      const d = Object.getOwnPropertyDescriptor(CanvasRenderingContext2D.prototype, 'font');
      window.__fontSizes = {};
      Object.defineProperty(CanvasRenderingContext2D.prototype, 'font', {
        ...d,
        set(v) {
          const px = /([\d.]+)px/.exec(v);
          if (px) (window.__fontSizes[this.canvas.id] ||= new Set()).add(Number(px[1]));
          d.set.call(this, v);
        },
      });
    });
    await gotoApp(page, baseURL);
    const drawn = await page.evaluate(() => [...(window.__fontSizes.timeline || [])].sort((a, b) => a - b));
    assert.atLeast(drawn.length, 1, 'the timeline canvas set a font');
    const [d] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), page.locator('#dl-timeline-svg').click()]);
    const svg = readFileSync(await d.path(), 'utf8');
    const written = [...new Set([...svg.matchAll(/ font-size="([^"]+)"/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
    assert.deepEqual(written, drawn, 'the font sizes of the downloaded timeline and of its canvas');
  },

  "the downloads' writers are a module fetched at the first download; one that cannot be loaded is said": async ({ baseURL, ctx }) => {
    ctx.allowConsoleError(/404|split module|WebAssembly|wasm/i);
    const page = await ctx.newPage({ serviceWorkers: 'block' });
    const fetched = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname.split('/').pop()));
    let refuse = true;
    await page.route(/split_downloads-[0-9a-f]+\.wasm$/, (route) => (refuse ? route.fulfill({ status: 404, body: 'no' }) : route.continue()));
    await gotoApp(page, baseURL);
    const isModule = (f) => /^split_downloads-[0-9a-f]{16}\.wasm$/.test(f);
    assert.equal(fetched.filter(isModule).length, 0, `no downloads module on opening the atlas (${fetched.join(', ')})`);
    // Refused: the share bar's status line says so, nothing is downloaded.
    let downloads = 0;
    page.on('download', () => downloads++);
    await page.locator('#dl-csv').click();
    await page.waitForFunction(() => document.querySelector('.share-panel .status')?.textContent.includes('could not be prepared'), null, { timeout: 10_000 });
    assert.equal(downloads, 0, 'no file');
    // Then served: the CSV and an SVG come, the module fetched once more and no more.
    refuse = false;
    const [d] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), page.locator('#dl-csv').click()]);
    assert.equal(d.suggestedFilename(), 'pakistan-russia-events.csv');
    assert.equal((await page.locator('.share-panel .status').textContent()).trim(), '', 'the message goes');
    const [svg] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), page.locator('#dl-timeline-svg').click()]);
    assert.equal(svg.suggestedFilename(), 'timeline.svg');
    assert.includes(readFileSync(await svg.path(), 'utf8'), '<svg', 'an SVG document');
    assert.equal(fetched.filter(isModule).length, 2, `the module: once refused, once loaded (${fetched.filter(isModule).join(', ')})`);
    ctx.badResponses.length = 0;
  },
};
