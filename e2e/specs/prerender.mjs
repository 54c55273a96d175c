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
