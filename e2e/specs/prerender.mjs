// The static first view written into index.html at build time (xtask/src/prerender.rs): a
// complete, cited page without JavaScript; replaced by the app without a layout shift; hidden
// before the first paint when the address asks for another view.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** The size in bytes of each function's body in a WebAssembly module, by function index
 *  (imported functions first, as the browser numbers them). */
function functionSizes(b) {
  let i = 8;
  const leb = () => {
    let r = 0, shift = 0, x;
    do { x = b[i++]; r += (x & 0x7f) * 2 ** shift; shift += 7; } while (x & 0x80);
    return r;
  };
  const skipName = () => { const n = leb(); i += n; };
  let imported = 0;
  const sizes = new Map();
  while (i < b.length) {
    const id = b[i++];
    const len = leb();
    const end = i + len;
    if (id === 2) {
      for (let n = leb(); n > 0; n--) {
        skipName();
        skipName();
        const kind = b[i++];
        if (kind === 0) { leb(); imported++; }
        else if (kind === 1) { i++; const flags = leb(); leb(); if (flags & 1) leb(); }
        else if (kind === 2) { const flags = leb(); leb(); if (flags & 1) leb(); }
        else if (kind === 3) i += 2;
        else if (kind === 4) { i++; leb(); }
      }
    } else if (id === 10) {
      const count = leb();
      for (let f = 0; f < count; f++) { const size = leb(); sizes.set(imported + f, size); i += size; }
    }
    i = end;
  }
  return sizes;
}

/** How many of the elements `css` selects are displayed (Playwright's `:visible` is not CSS). */
const shown = (page, css) => page.locator(css).evaluateAll((els) => els.filter((e) => e.getClientRects().length > 0).length);

/** Each static event entry: whether it is displayed, and its text. Entries off the screen are
 *  laid out only as they near it (content-visibility: auto in style/main.css), and innerText
 *  leaves out what is not laid out: so the text is the entry's textContent. */
const ENTRIES = '#prerender .pre-events > li';
const entries = (page) => page.locator(ENTRIES).evaluateAll((els) => els.map((e) => ({
  shown: e.getClientRects().length > 0 && getComputedStyle(e).visibility === 'visible',
  text: e.textContent,
})));

/** Every event's title and citations are in an entry that is displayed; the last entry is not
 *  laid out at first and, once scrolled to, is laid out and reads as its title (innerText). */
async function assertEveryEventShown(page, where) {
  const list = await entries(page);
  assert.equal(list.length, EVENTS.length, `${where}: one entry per event`);
  for (const e of EVENTS) {
    const entry = list.find((x) => x.text.includes(e.title));
    assert(entry && entry.shown, `${where}: event "${e.title}" shown`);
    for (const c of e.sources) assert(entry.text.includes(c.locator), `${where}: ${e.id}: citation ${c.locator}`);
  }
  const last = page.locator(ENTRIES).last();
  const { title } = EVENTS.find((e) => list.at(-1).text.includes(e.title));
  // Far below the first screen, the entry is not laid out yet: the page's layouts skip it.
  assert(await last.evaluate((e) => !e.firstElementChild.checkVisibility({ contentVisibilityAuto: true })), `${where}: the last entry is laid out before it nears the screen`);
  await last.scrollIntoViewIfNeeded();
  // No animation frame to wait for in a page without JavaScript: the text is read until it is
  // there, for up to 2 s.
  let text = '';
  for (let i = 0; i < 40 && !text.includes(title); i++) {
    if (i) await page.waitForTimeout(50);
    text = await last.innerText();
  }
  assert.includes(text, title, `${where}: the last entry, scrolled to, is laid out`);
  await page.evaluate(() => scrollTo(0, 0));
}

const cls = (page) => page.evaluate(() => window.__shifts.reduce((s, v) => s + v, 0));

export const tests = {
  'without JavaScript the page is the atlas in full: every event with its citations, the four figures, the timeline drawn for the screen': core(async ({ baseURL, ctx }) => {
    const p = await ctx.newPage({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 } });
    const res = await p.goto(baseURL, { waitUntil: 'load' });
    assert(res && res.ok(), `GET ${baseURL}`);
    assert.equal((await p.locator('h1').first().textContent()).trim(), 'Pakistan–Russia Relations Atlas', 'the header');
    await assertEveryEventShown(p, 'the page');
    for (const cls of ['timeline-canvas', 'map-canvas', 'chart']) {
      const figs = p.locator(`#prerender svg.${cls}`);
      const i = await figs.evaluateAll((els) => els.findIndex((e) => e.getClientRects().length > 0));
      assert(i >= 0, `an SVG figure .${cls} shown`);
      const box = await figs.nth(i).boundingBox();
      assert(box && box.width > 200 && box.height > 150, `.${cls} drawn at a size: ${JSON.stringify(box)}`);
      assert((await figs.nth(i).locator('*').count()) > 10, `.${cls} has drawn content`);
    }
    // The timeline is there three times, drawn for phones, tablets and desktops; the one for
    // the screen's width is shown.
    assert.equal(await p.locator('#prerender svg').count(), 6, 'the timeline (three times), the map and both charts');
    for (const [width, which] of [[1280, 'pre-wide'], [800, 'pre-mid'], [1099, 'pre-mid'], [601, 'pre-mid'], [600, 'pre-narrow'], [480, 'pre-narrow']]) {
      await p.setViewportSize({ width, height: 800 });
      assert.equal(await shown(p, '#prerender svg'), 4, `${width} px: the timeline, the map and both charts shown`);
      assert.equal(await shown(p, `#prerender svg.timeline-canvas.${which}`), 1, `${width} px: the timeline drawn for it (.${which})`);
    }
    await p.setViewportSize({ width: 1280, height: 800 });
    // The app's controls are not shown without JavaScript: nothing on the page that cannot work.
    assert.equal(await shown(p, '#prerender :is(button, input, select, nav, details)'), 0, 'controls shown without JavaScript');
    assert((await p.locator('noscript').count()) === 1, 'the line about JavaScript');
    await ctx.screenshot(p, 'prerender-no-js');
  }),

  'without JavaScript the single file (opened from disk) is the same complete page': core(async ({ ctx }) => {
    const file = process.env.SINGLE_FILE;
    if (!file) ctx.skip('SINGLE_FILE not set (cargo xtask test sets it)');
    const p = await ctx.newPage({ javaScriptEnabled: false });
    await p.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await assertEveryEventShown(p, 'the single file');
    assert.equal(await shown(p, '#prerender svg'), 4, 'the four figures');
  }),

  // What the first frame that shows each of the app's canvases paints (the parts of the page
  // are mounted one task after another: README, Performance). A ResizeObserver made in an
  // animation frame once a canvas exists is called after the app's own (observers are called in
  // the order they were made) and after the drawing that the app's report set off, and the frame
  // is painted right after it: so what it reads of the canvas is what that frame shows. Each
  // frame from the takeover to "ready" also notes whether the timeline and the map are on the
  // screen, static (their panels of the static view, still in place) or the app's: never neither.
  'the first frame after the takeover shows the timeline and the map drawn or their static drawings under them, none blank': async ({ ctx, baseURL }) => {
    const watch = () => {
      window.__firstFrame = [];
      window.__frames = [];
      const watched = new Set();
      const onScreen = (r) => r.bottom > 0 && r.top < document.documentElement.clientHeight && r.width > 0;
      const shown = (panel) => {
        const p = document.querySelector(`main > .${panel}`);
        if (!p || !onScreen(p.getBoundingClientRect())) return 'none';
        if (!p.classList.contains('prerender')) return 'app';
        const svg = [...p.querySelectorAll('svg[role=img]')].find((s) => onScreen(s.getBoundingClientRect()));
        return svg && svg.querySelectorAll('*').length > 20 ? 'static' : 'none';
      };
      const look = () => {
        if (!document.getElementById('prerender') && document.getElementById('main')) {
          window.__frames.push({ timeline: shown('timeline-panel'), map: shown('map-panel') });
        }
        const fresh = [...document.querySelectorAll('main canvas')].filter((c) => !watched.has(c));
        if (fresh.length) {
          fresh.forEach((c) => watched.add(c));
          const ro = new ResizeObserver(() => {
            ro.disconnect();
            for (const c of fresh) {
              const r = c.getBoundingClientRect();
              if (!onScreen(r)) continue;
              // Any pixel that is not transparent: a blank canvas has none.
              const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
              let inked = 0;
              for (let i = 3; i < d.length; i += 4) if (d[i]) inked++;
              // The static drawing kept under the canvas until its first drawing (the timeline's:
              // one for each width, the one shown), with what it draws.
              let backdrop = false;
              for (let u = c.previousElementSibling; u && u.tagName.toLowerCase() === 'svg'; u = u.previousElementSibling) {
                const b = u.getBoundingClientRect();
                if (b.width >= r.width - 1 && b.height >= r.height - 1 && u.classList.contains(`${c.id}-canvas`) && u.querySelectorAll('*').length > 20) backdrop = true;
              }
              window.__firstFrame.push({ id: c.id || c.className, size: `${c.width}×${c.height}`, inked, backdrop });
            }
          });
          for (const c of fresh) ro.observe(c);
        }
        if (!window.__atlasReady) requestAnimationFrame(look);
      };
      document.addEventListener('DOMContentLoaded', () => requestAnimationFrame(look));
    };
    for (const viewport of [{ width: 412, height: 823 }, { width: 1280, height: 800 }]) {
      const page = await ctx.newPage({ viewport });
      await page.addInitScript(watch);
      await loadPage(page, baseURL);
      await page.waitForFunction(isReadyScript, null, { timeout: 30_000 });
      const seen = await page.evaluate(() => window.__firstFrame);
      const frames = await page.evaluate(() => window.__frames);
      assert(frames.length > 0, `${viewport.width} px: frames seen between the takeover and "ready"`);
      const blank = frames.findIndex((f) => f.timeline === 'none' || (viewport.width === 1280 && f.map === 'none'));
      assert(blank < 0, `${viewport.width} px: frame ${blank + 1} of ${frames.length} after the takeover shows the timeline${viewport.width === 1280 ? ' and the map' : ''} neither static nor the app's: ${JSON.stringify(frames)}`);
      ctx.log(`${viewport.width} px: ${frames.length} frames from the takeover to "ready": ${frames.map((f) => `${f.timeline}${viewport.width === 1280 ? `/${f.map}` : ''}`).join(', ')}`);
      assert(seen && seen.some((c) => c.id === 'timeline'), `${viewport.width} px: the timeline's canvas on the screen (${JSON.stringify(seen)})`);
      for (const c of seen) {
        // The first drawings of the timeline and the map are tasks of their own (README,
        // Performance): until then the static drawing shows under the canvas.
        const ok = c.inked > 1000 || ((c.id === 'map' || c.id === 'timeline') && c.backdrop);
        assert(ok, `${viewport.width} px: ${c.id} (${c.size}) is drawn in the first frame that shows it: ${c.inked} pixels inked, no static drawing under it`);
      }
      if (viewport.width === 1280) assert(seen.some((c) => c.id === 'map'), `1280 px: the map's canvas is on the screen: ${JSON.stringify(seen)}`);
      assert.equal(await page.locator('.canvas-box > svg').count(), 0, `${viewport.width} px: the static drawings are gone once the views are drawn`);
      assert.equal(await page.locator('main > .prerender').count(), 0, `${viewport.width} px: the static panels are gone once the app is ready`);
    }
  },

  // The app takes over one step a task (README, Performance): the data decoded, the state made,
  // the header, then each part of the page. Chromium compiles each function of the module the
  // first time it is called (wasm.CompileLazy in its trace), so a takeover in one task compiles
  // most of what it runs in that one task. Counted in bytes of the module's code
  // (deterministic, unlike durations on a shared machine): the functions compiled in each task
  // from the first paint to "ready".
  'the app is mounted step by step: no task after the first paint compiles a quarter of the code the takeover runs': async ({ ctx, baseURL }) => {
    const page = await ctx.newPage({ viewport: { width: 412, height: 823 } });
    const cdp = await page.context().newCDPSession(page);
    const events = [];
    cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.start', {
      traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.wasm', 'disabled-by-default-v8.wasm.detailed', 'blink.user_timing'] },
      transferMode: 'ReportEvents',
    });
    await loadPage(page, baseURL);
    await page.waitForFunction(isReadyScript, null, { timeout: 30_000 });
    await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
    await cdp.send('Tracing.end');
    await done;
    // The size of each function's code, from the module itself (its import and code sections).
    const wasmUrl = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).find((n) => /pakru-atlas-[0-9a-f]+_bg\.wasm$/.test(n)));
    assert(wasmUrl, 'the page fetched its module');
    const bytes = new Uint8Array(await (await fetch(wasmUrl, { headers: { 'Accept-Encoding': 'identity' } })).arrayBuffer());
    const sizes = functionSizes(bytes);
    const fcp = events.find((e) => e.name === 'firstContentfulPaint');
    assert(fcp, 'the trace has the first contentful paint');
    const ready = events.find((e) => e.name === 'atlas-ready' && e.pid === fcp.pid);
    const tasks = events.filter((e) => e.pid === fcp.pid && e.name === 'RunTask' && e.ph === 'X' && e.ts >= fcp.ts && (!ready || e.ts <= ready.ts));
    const lazy = events.filter((e) => e.pid === fcp.pid && e.name === 'wasm.CompileLazy' && e.args && Number.isInteger(e.args.func_index));
    assert(lazy.length > 100, `the trace has the browser's lazy compilations of the module (${lazy.length})`);
    const perTask = tasks.map((t) => lazy.filter((e) => e.tid === t.tid && e.ts >= t.ts && e.ts <= t.ts + t.dur).reduce((n, e) => n + (sizes.get(e.args.func_index) || 0), 0)).filter((n) => n > 0);
    const total = perTask.reduce((a, b) => a + b, 0);
    const most = Math.max(...perTask);
    ctx.log(`code compiled per task from the first paint to "ready": ${perTask.map((n) => `${(n / 1024).toFixed(1)}`).join(', ')} KiB (${(total / 1024).toFixed(1)} KiB in all)`);
    assert(perTask.length >= 8, `the takeover's code is compiled in ${perTask.length} tasks, expected the data's, the state's, the header's and one for each of the five parts at least`);
    assert(most < total / 4, `one task compiles ${(most / 1024).toFixed(1)} KiB of the ${(total / 1024).toFixed(1)} KiB the takeover runs`);
  },

  // The static first view carries the app's controls (inactive) and draws the timeline at the
  // proportions of the app's canvas, so the app's first frame moves nothing: each part of the
  // page, read from the static view (the wasm held back) and from the app, stands in the same
  // box; and the timeline's box (and at 1280 px the map's) looks the same in both (the two
  // drawings are the same scene, one as SVG and one on canvas: their pixels differ only where
  // text is set differently).
  'the takeover moves nothing: each control, panel and figure stands where the static view had it, and the timeline looks the same': async ({ ctx, baseURL }) => {
    const parts = ['h1', '.lang-choice', '.story-open', '.tagline', '.timeline-panel > h2', '.filter-bar .search', '.category-toggles',
      '.timeline-tools', '.timeline-tools .range', '.timeline-panel .canvas-box', '.timeline-panel .help', '.detail-panel',
      '.map-panel > h2', '.map-tools', '.play-year', '.player select', '.map-panel .canvas-box', '.map-panel .help', '.map-text', '.trade-panel', '.students-panel'];
    const boxes = (parts) => Object.fromEntries(parts.map((sel) => {
      const el = document.querySelector(`${document.getElementById('prerender') ? '#prerender ' : ''}${sel}`);
      const r = el && el.getBoundingClientRect();
      return [sel, r && r.width ? { x: Math.round(r.left), y: Math.round(r.top + scrollY), w: Math.round(r.width), h: Math.round(r.height), text: el.tagName === 'SELECT' ? el.selectedOptions[0]?.textContent : sel.endsWith('range') || sel === '.play-year' ? el.textContent : undefined } : null];
    }));
    const shotOf = async (page, sel) => {
      const box = await page.evaluate((sel) => {
        const r = document.querySelector(sel).getBoundingClientRect();
        return { x: r.left, y: r.top, width: r.width, height: r.height };
      }, sel);
      return (await page.screenshot({ clip: box })).toString('base64');
    };
    const timelineShot = (page) => shotOf(page, '.timeline-panel .canvas-box');
    const mapShot = (page) => shotOf(page, '.map-panel .canvas-box');
    const decoder = await ctx.newPage();
    /** The share of pixels that differ by more than 48 in a channel, of two PNGs of one size. */
    const differ = (a, b) => decoder.evaluate(async ([a, b]) => {
      const px = async (b64) => {
        const img = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
        const c = new OffscreenCanvas(img.width, img.height);
        const g = c.getContext('2d');
        g.drawImage(img, 0, 0);
        return g.getImageData(0, 0, img.width, img.height);
      };
      const [x, y] = [await px(a), await px(b)];
      if (x.width !== y.width || x.height !== y.height) return { share: 1, size: `${x.width}×${x.height} and ${y.width}×${y.height}` };
      let n = 0;
      for (let i = 0; i < x.data.length; i += 4) {
        if (Math.max(Math.abs(x.data[i] - y.data[i]), Math.abs(x.data[i + 1] - y.data[i + 1]), Math.abs(x.data[i + 2] - y.data[i + 2])) > 48) n++;
      }
      return { share: n / (x.width * x.height), size: `${x.width}×${x.height}` };
    }, [a, b]);
    // On a dark page the static figures (drawn in the light theme) are shown inverted with their
    // hues kept: close to the dark theme the app then draws, not a white box.
    for (const [viewport, colorScheme, allowed] of [[{ width: 412, height: 823 }, 'light', 0.04], [{ width: 800, height: 900 }, 'light', 0.04], [{ width: 1280, height: 800 }, 'light', 0.04], [{ width: 412, height: 823 }, 'dark', 0.06]]) {
      const page = await ctx.newPage({ viewport, colorScheme });
      let release;
      const held = new Promise((r) => (release = r));
      await page.route('**/*_bg.wasm', async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(baseURL, { waitUntil: 'load' });
      await page.evaluate(() => document.fonts.ready);
      const before = await page.evaluate(boxes, parts);
      const staticShot = await timelineShot(page);
      const staticMap = viewport.width > 1000 ? await mapShot(page) : null;
      assert.equal(await page.locator('#prerender').count(), 1, 'the static view is on the page while the wasm is held');
      // Inactive and seen to be: every button, the search box and the speed are disabled and dimmed.
      const live = await page.evaluate(() => [...document.querySelectorAll('#prerender :is(button, input, select)')]
        .filter((el) => !el.disabled || getComputedStyle(el).opacity > 0.6).map((el) => el.outerHTML.slice(0, 60)));
      assert.deepEqual(live, [], `${viewport.width} px, ${colorScheme}: controls of the static view that look or are active`);
      release();
      await page.waitForFunction(isReadyScript, null, { timeout: 30_000 });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const after = await page.evaluate(boxes, parts);
      const moved = parts.filter((sel) => {
        const [a, b] = [before[sel], after[sel]];
        if (!a || !b) return true;
        return ['x', 'y', 'w', 'h'].some((k) => Math.abs(a[k] - b[k]) > 1) || a.text !== b.text;
      }).map((sel) => `${sel}: ${JSON.stringify(before[sel])} → ${JSON.stringify(after[sel])}`);
      assert.deepEqual(moved, [], `${viewport.width} px, ${colorScheme}: parts that the takeover moved, resized or changed`);
      const appShot = await timelineShot(page);
      const d = await differ(staticShot, appShot);
      const at = `${viewport.width} px, ${colorScheme}`;
      if (staticMap) {
        const m = await differ(staticMap, await mapShot(page));
        ctx.log(`${at}: the map's box, static and drawn: ${(m.share * 100).toFixed(1)} % of ${m.size} pixels differ`);
        // The static map is drawn at the size of the map's canvas on this screen, where the map
        // is on the first screen and the static map shows under the canvas until its drawing.
        assert(m.share < 0.04, `${at}: the map drawn by the app differs from the static one in ${(m.share * 100).toFixed(1)} % of its ${m.size} pixels`);
      }
      if (d.share >= allowed) {
        for (const [name, png] of [['static', staticShot], ['app', appShot]]) {
          writeFileSync(join(ctx.outDir, `FAIL-prerender-timeline-${viewport.width}-${colorScheme}-${name}.png`), Buffer.from(png, 'base64'));
        }
      }
      ctx.log(`${at}: the timeline's box, static and drawn: ${(d.share * 100).toFixed(1)} % of ${d.size} pixels differ`);
      assert(d.share < allowed, `${at}: the timeline drawn by the app differs from the static one in ${(d.share * 100).toFixed(1)} % of its ${d.size} pixels (${allowed * 100} % allowed)`);
      await page.close();
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
