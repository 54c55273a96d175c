// The static first view written into index.html at build time (xtask/src/prerender.rs): a
// complete, cited page without JavaScript; replaced by the app without a layout shift; hidden
// before the first paint when the address asks for another view.

import { pathToFileURL } from 'node:url';
import { assert, canvasNotBlank, gotoApp, isReadyScript, loadPage } from '../lib.mjs';
import { core } from '../engines/core.mjs';
import { EVENTS } from '../data.mjs';

/** Records layout shifts from the very start of the page (before any page script). */
const recordShifts = () => {
  window.__shifts = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value);
  }).observe({ type: 'layout-shift', buffered: true });
};

/** Records, when the body has been parsed, whether the first view is displayed. */
const recordFirstViewShown = () => {
  document.addEventListener('DOMContentLoaded', () => {
    const el = document.getElementById('prerender');
    window.__firstViewShown = !!el && getComputedStyle(el).display !== 'none';
  });
};

const cls = (page) => page.evaluate(() => window.__shifts.reduce((s, v) => s + v, 0));

export const tests = {
  'without JavaScript the page is the atlas in full: every event with its citations, the four figures': core(async ({ baseURL, ctx }) => {
    const p = await ctx.newPage({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 } });
    const res = await p.goto(baseURL, { waitUntil: 'load' });
    assert(res && res.ok(), `GET ${baseURL}`);
    assert.equal((await p.locator('h1').first().textContent()).trim(), 'Pakistan–Russia Relations Atlas', 'the header');
    const text = await p.locator('#prerender').innerText();
    for (const e of EVENTS) {
      assert(text.includes(e.title), `event "${e.title}" shown`);
      for (const c of e.sources) assert(text.includes(c.locator), `${e.id}: citation ${c.locator}`);
    }
    assert.equal(await p.locator('.pre-events > li').count(), EVENTS.length, 'one entry per event');
    for (const cls of ['timeline-canvas', 'map-canvas', 'chart']) {
      const figs = p.locator(`#prerender svg.${cls.split(' ')[0]}`);
      assert((await figs.count()) >= 1, `an SVG figure .${cls}`);
      const box = await figs.first().boundingBox();
      assert(box && box.width > 200 && box.height > 150, `.${cls} drawn at a size: ${JSON.stringify(box)}`);
      assert((await figs.first().locator('*').count()) > 10, `.${cls} has drawn content`);
    }
    assert.equal(await p.locator('#prerender svg').count(), 4, 'timeline, map and both charts');
    assert((await p.locator('noscript').count()) === 1, 'the line about JavaScript');
    await ctx.screenshot(p, 'prerender-no-js');
  }),

  'without JavaScript the single file (opened from disk) is the same complete page': core(async ({ ctx }) => {
    const file = process.env.SINGLE_FILE;
    if (!file) ctx.skip('SINGLE_FILE not set (cargo xtask test sets it)');
    const p = await ctx.newPage({ javaScriptEnabled: false });
    await p.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const text = await p.locator('#prerender').innerText();
    for (const e of EVENTS) assert(text.includes(e.title), `event "${e.title}" in the single file`);
    assert.equal(await p.locator('#prerender svg').count(), 4, 'the four figures');
  }),

  // What the first frame after the takeover paints. A ResizeObserver made in an animation frame
  // once the app's canvases exist is called after the app's own (observers are called in the
  // order they were made) and after the drawing that the app's report set off, and the frame is
  // painted right after it: so what it reads of each canvas is what that frame shows.
  'the first frame after the takeover shows the timeline drawn and the map drawn or the static map under it, none blank': async ({ ctx, baseURL }) => {
    const watch = () => {
      window.__firstFrame = null;
      const look = () => {
        const canvases = [...document.querySelectorAll('main canvas')];
        if (!canvases.length) return requestAnimationFrame(look);
        const seen = [];
        const ro = new ResizeObserver(() => {
          ro.disconnect();
          for (const c of canvases) {
            const r = c.getBoundingClientRect();
            if (r.bottom <= 0 || r.top >= document.documentElement.clientHeight || r.width === 0) continue;
            // Any pixel that is not transparent: a blank canvas has none.
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let inked = 0;
            for (let i = 3; i < d.length; i += 4) if (d[i]) inked++;
            // The static map kept under the map's canvas until its first drawing.
            const under = c.previousElementSibling;
            const u = under && under.tagName.toLowerCase() === 'svg' && under.getBoundingClientRect();
            const backdrop = !!u && u.width >= r.width - 1 && u.height >= r.height - 1 && under.querySelectorAll('path').length > 100;
            seen.push({ id: c.id || c.className, size: `${c.width}×${c.height}`, inked, backdrop });
          }
          window.__firstFrame = seen;
        });
        for (const c of canvases) ro.observe(c);
      };
      document.addEventListener('DOMContentLoaded', () => requestAnimationFrame(look));
    };
    for (const viewport of [{ width: 412, height: 823 }, { width: 1280, height: 800 }]) {
      const page = await ctx.newPage({ viewport });
      await page.addInitScript(watch);
      await loadPage(page, baseURL);
      await page.waitForFunction(isReadyScript, null, { timeout: 30_000 });
      const seen = await page.evaluate(() => window.__firstFrame);
      assert(seen && seen.some((c) => c.id === 'timeline'), `${viewport.width} px: the timeline on the screen in the first frame (${JSON.stringify(seen)})`);
      for (const c of seen) {
        // The map's first drawing is two tasks of its own even on the screen (README,
        // Performance): until then the static map shows under it.
        const ok = c.inked > 1000 || (c.id === 'map' && c.backdrop);
        assert(ok, `${viewport.width} px: ${c.id} (${c.size}) is drawn in the first frame that shows it: ${c.inked} pixels inked${c.id === 'map' ? ', no static map under it' : ''}`);
      }
      if (viewport.width === 1280) assert(seen.some((c) => c.id === 'map'), `1280 px: the map is on the screen: ${JSON.stringify(seen)}`);
      assert.equal(await page.locator('.canvas-box > svg').count(), 0, `${viewport.width} px: the static map is gone once the map is drawn`);
    }
  },

  'the app takes over the first view with no layout shift, no duplicate ids, and draws the same views': async ({ page, baseURL }) => {
    await page.addInitScript(recordShifts);
    await gotoApp(page, baseURL);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    assert.equal(await page.locator('#prerender').count(), 0, 'the first view is gone');
    const ids = await page.evaluate(() => [...document.querySelectorAll('[id]')].map((e) => e.id));
    assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'duplicate ids');
    assert.equal(await page.locator('h1').count(), 1, 'one level-one heading');
    for (const c of ['#timeline', '#map', '#trade-chart', '#students-chart']) await canvasNotBlank(page, c);
    const shift = await cls(page);
    assert(shift <= 0.02, `CLS over the load: ${shift}`);
  },

  'an address that asks for another view never shows the first view, and loads without a shift': async ({ page, baseURL }) => {
    for (const query of ['?e=tashkent-declaration-1966', '?embed=map', '?t=1960~1975&q=gas']) {
      const ctxPage = await page.context().newPage();
      await ctxPage.addInitScript(recordShifts);
      await ctxPage.addInitScript(recordFirstViewShown);
      await loadPage(ctxPage, new URL(query, baseURL).toString());
      await ctxPage.waitForFunction(isReadyScript, null, { timeout: 30_000 });
      assert.equal(await ctxPage.evaluate(() => window.__firstViewShown), false, `${query}: the first view was displayed`);
      const shift = await cls(ctxPage);
      assert(shift <= 0.02, `${query}: CLS ${shift}`);
      await ctxPage.close();
    }
    // The default address does show it until the app starts.
    const p = await page.context().newPage();
    await p.route('**/*_bg.wasm', async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await p.addInitScript(recordFirstViewShown);
    await p.goto(baseURL, { waitUntil: 'domcontentloaded' });
    await p.waitForFunction(() => window.__firstViewShown !== undefined);
    assert.equal(await p.evaluate(() => window.__firstViewShown), true, 'the default address shows the first view');
    await p.waitForFunction(isReadyScript, null, { timeout: 30_000 });
    await p.close();
  },
};
