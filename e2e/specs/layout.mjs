// The layout that shows the linked views together, and the embeds of one view at a time:
// what is on screen at 1280×800 and on phones, each `?embed=VIEW` (only that view, within
// ~700 px at 700 px wide, the link's state applied, "Open in the atlas", focus inside, axe),
// the Embed dialog's snippets and preview, and the example pages of examples/ served from
// another origin (EMBED_CHART_URL: a chart that resizes itself; EMBED_EVENT_URL: an event
// card in a frame of fixed height).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { appFrame, assert, canvasNotBlank, gotoApp, sleep } from '../lib.mjs';
import { core } from '../engines/core.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const EXAMPLE_DIR = new URL('../../examples/', import.meta.url);
const EXAMPLE_APP_URL = 'http://127.0.0.1:8080/';

const TASHKENT = 'tashkent-declaration-1966';
const STATE = `e=${TASHKENT}&t=1960~1975`;

/** Each embed: what it shows (visible), and its title. */
const VIEWS = {
  timeline: { shows: '#timeline', title: 'Timeline' },
  map: { shows: '#map', title: 'Map' },
  trade: { shows: '#trade-chart', title: 'Trade' },
  students: { shows: '#students-chart', title: 'Pakistani students in Russia' },
  events: { shows: 'table.events', title: 'Events' },
  event: { shows: '#detail', title: 'Event' },
};
const EVERY_VIEW = ['#timeline', '#map', '#trade-chart', '#students-chart', 'table.events', '#detail', '.share-panel'];

const rect = (page, sel) =>
  page.evaluate((s) => {
    const e = document.querySelector(s);
    if (!e) return null;
    const r = e.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
  }, sel);
const shown = async (page, sel) => {
  const r = await rect(page, sel);
  return !!r && r.width > 0 && r.height > 0;
};
const docSize = (page) =>
  page.evaluate(() => {
    const d = document.documentElement;
    return { height: Math.ceil(d.getBoundingClientRect().height), scrollWidth: d.scrollWidth, clientWidth: d.clientWidth };
  });
const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** The snippet an example page pastes between its "atlas embed" comments. */
function pastedSnippet(name) {
  const html = readFileSync(new URL(name, EXAMPLE_DIR), 'utf8');
  const s = html.split('<!-- atlas embed: start -->')[1]?.split('<!-- atlas embed: end -->')[0];
  assert(s, `examples/${name} marks its snippet`);
  return s.trim();
}

const layoutTests = {
  'layout: at 1280×800 the timeline, the map and the details are on screen together': async ({ page, baseURL }) => {
    await gotoApp(page, baseURL, `?e=${TASHKENT}`);
    await frames(page);
    const vw = { width: 1280, height: 800 };
    for (const sel of ['#timeline', '#map']) {
      const r = await rect(page, sel);
      assert(r.top >= 0 && r.left >= 0 && r.bottom <= vw.height && r.right <= vw.width, `${sel} fully inside 1280×800: ${JSON.stringify(r)}`);
      await canvasNotBlank(page, sel);
    }
    const title = await rect(page, '#detail-h');
    assert(title.top >= 0 && title.bottom <= vw.height, `the selected event's title is on screen: ${JSON.stringify(title)}`);
    assert.equal((await page.locator('#detail-h').textContent()).trim(), 'Tashkent Declaration', 'the details are the selection');
    const summary = await rect(page, '#detail .detail-summary');
    assert(summary.top < vw.height, 'the summary starts on screen');
    const map = await rect(page, '#map');
    const detail = await rect(page, '#detail');
    assert(detail.left >= map.right, 'map and details side by side');
    assert.equal(await page.evaluate(() => scrollY), 0, 'nothing scrolled');
    const d = await docSize(page);
    assert(d.scrollWidth <= d.clientWidth, 'no horizontal scroll');
  },

  'layout: phones in one column, the details after the timeline, no horizontal scroll from 320 px (and at 200 % text)': async ({ baseURL, ctx }) => {
    for (const viewport of [{ width: 390, height: 844 }, { width: 320, height: 640 }]) {
      const p = await ctx.newPage({ viewport, isMobile: true, hasTouch: true });
      await gotoApp(p, baseURL, `?e=${TASHKENT}`);
      const [tl, detail, map] = [await rect(p, '#timeline'), await rect(p, '#detail'), await rect(p, '#map')];
      assert(tl.bottom <= detail.top && detail.bottom <= map.top, `timeline, then details, then map at ${viewport.width} px`);
      for (const sel of ['#timeline', '#map', '#detail']) {
        const r = await rect(p, sel);
        assert(r.left >= 0 && r.right <= viewport.width, `${sel} within ${viewport.width} px: ${JSON.stringify(r)}`);
      }
      let d = await docSize(p);
      assert(d.scrollWidth <= d.clientWidth, `no horizontal scroll at ${viewport.width} px (${d.scrollWidth} > ${d.clientWidth})`);
      // 200 % text (what the browser's text-size setting does to rem-based sizes).
      await p.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
      await frames(p);
      d = await docSize(p);
      assert(d.scrollWidth <= d.clientWidth, `no horizontal scroll at ${viewport.width} px with 200 % text (${d.scrollWidth} > ${d.clientWidth})`);
      await ctx.screenshot(p, `layout-${viewport.width}`);
    }
  },
};

/** One test per embed view. */
const embedTests = Object.fromEntries(
  Object.entries(VIEWS).map(([key, v]) => [
    `embed: ?embed=${key} shows only that view, within 700 px, with the link's state, focus inside, no axe violations`,
    async ({ baseURL, ctx }) => {
      const p = await ctx.newPage({ viewport: { width: 700, height: 900 } });
      await gotoApp(p, baseURL, `?embed=${key}&${STATE}`);
      await frames(p);
      assert(await shown(p, v.shows), `${v.shows} shown`);
      for (const other of EVERY_VIEW.filter((s) => s !== v.shows)) {
        assert(!(await shown(p, other)), `${other} not shown in ?embed=${key}`);
      }
      if ((await p.locator(v.shows).evaluate((e) => e.tagName)) === 'CANVAS') await canvasNotBlank(p, v.shows);
      const d = await docSize(p);
      assert(d.height <= 700, `?embed=${key} is ${d.height} px tall at 700 px wide`);
      assert(d.scrollWidth <= d.clientWidth, 'no horizontal scroll');
      assert.equal(await p.title(), `Pakistan–Russia Relations Atlas: ${v.title}`, 'document title');
      assert.equal((await p.locator('h1').textContent()).trim(), `Pakistan–Russia Relations Atlas: ${v.title}`, 'the embed names itself');
      // "Open in the atlas": the full page at the same state.
      const href = await p.locator('#open-atlas').evaluate((a) => a.href);
      const u = new URL(href);
      assert.equal(u.searchParams.get('embed'), null, 'the link leaves embed mode');
      assert.equal(u.searchParams.get('e'), TASHKENT, 'the link keeps the selection');
      assert.equal(u.searchParams.get('t'), '1960~1975', 'the link keeps the time range');
      assert.equal(await p.locator('#open-atlas').getAttribute('target'), '_blank', 'opens a new tab');
      // The state of the address is applied to the view.
      const check = {
        timeline: async () => assert.equal((await p.locator('#timeline-range').textContent()).trim(), 'Showing 1960 to 1975', 'range'),
        map: async () => {
          const hl = await p.evaluate(() => window.__atlasTest.mapHighlighted());
          assert(hl.length > 0, `the selection's places are highlighted: ${hl}`);
        },
        events: async () => assert.equal(await p.locator('table.events tr.selected').getAttribute('data-event-id'), TASHKENT, 'the selected row'),
        event: async () => {
          assert.equal((await p.locator('#detail-h').textContent()).trim(), 'Tashkent Declaration', 'the card');
          assert((await p.locator('#detail ol.citations li').count()) >= 1, 'with its citations');
        },
        trade: async () => assert((await p.locator('.trade-panel .source-line').textContent()).includes('§'), 'its source line'),
        students: async () => assert((await p.locator('.students-panel .source-line').textContent()).includes('Table 2'), 'its source line'),
      }[key];
      await check();
      if (key === 'events') {
        const s = await p.locator('.table-scroll').evaluate((e) => ({ sh: e.scrollHeight, ch: e.clientHeight }));
        assert(s.sh > s.ch, 'the table scrolls inside the embed');
      }
      await ctx.screenshot(p, `embed-${key}`);
      // Keyboard focus starts inside the view.
      await p.keyboard.press('Tab');
      const inside = await p.evaluate((sel) => {
        const a = document.activeElement;
        const panel = document.querySelector(sel).closest('.panel');
        return !!a && !!panel && panel.contains(a);
      }, v.shows);
      assert(inside, `the first Tab lands inside the ${key} view`);
      const violations = await axeViolations(p);
      assert.deepEqual(violations, [], `axe on ?embed=${key}`);
    },
  ]),
);

const dialogTests = {
  'embed dialog: the snippet carries the state; each view and both kinds; a live preview at 360, 700 and full width': async ({ page, baseURL }) => {
    await gotoApp(page, baseURL, `?${STATE}`);
    await page.locator('#embed-button').click();
    await page.locator('#embed-dialog').waitFor({ state: 'visible' });
    const code = () => page.locator('textarea#embed-code').inputValue();
    const origin = new URL(baseURL).origin;
    const fromExample = (name) =>
      pastedSnippet(name).replaceAll(EXAMPLE_APP_URL, baseURL).replaceAll(`"${new URL(EXAMPLE_APP_URL).origin}"`, `"${origin}"`);
    // The whole atlas, with the state.
    let s = await code();
    assert(s.includes(`src="${baseURL}?embed=1&amp;e=${TASHKENT}&amp;t=1960~1975&amp;lang=en"`), `the atlas snippet carries the state: ${s}`);
    // One event's card, frame only: exactly what examples/event.html pastes.
    await page.selectOption('#embed-view', 'event');
    await page.locator('#embed-kind-fixed').check();
    assert.equal(await code(), fromExample('event.html'), 'the event card, fixed height');
    // The trade chart, resizing (examples/chart.html pastes it from the default state).
    const preview = page.locator('#embed-preview');
    // The preview follows once the choice has stayed the same for a moment.
    const want = `${baseURL}?embed=event&e=${TASHKENT}&t=1960~1975&lang=en`;
    await page.waitForFunction((w) => document.getElementById('embed-preview').getAttribute('src') === w, want, { timeout: 5000 })
      .catch(() => null);
    assert.equal(await preview.getAttribute('src'), want, 'the preview shows that embed');
    assert.equal(await preview.getAttribute('width'), '700', 'preview at 700 px first');
    const f = await appFrame(page, `${baseURL}?embed=event`);
    assert.equal((await f.locator('#detail-h').textContent()).trim(), 'Tashkent Declaration', 'the preview is the real embed');
    await page.locator('input[name=embed-width][value="360"]').check();
    assert.equal(await preview.getAttribute('width'), '360', 'preview at 360 px');
    await page.locator('input[name=embed-width][value="0"]').check();
    assert.equal(await preview.getAttribute('width'), '100%', 'preview at full width');
    await page.selectOption('#embed-view', 'trade');
    await page.locator('#embed-kind-resizing').check();
    s = await code();
    assert(s.includes(`id="pakru-atlas-trade" src="${baseURL}?embed=trade&amp;e=${TASHKENT}&amp;t=1960~1975&amp;lang=en"`), s);
    assert(s.includes('document.getElementById("pakru-atlas-trade")') && s.includes(`e.origin !== "${origin}"`), 'the listener checks this frame and origin');
    // Without the state, the resizing trade snippet is what examples/chart.html pastes.
    await gotoApp(page, baseURL);
    await page.locator('#embed-button').click();
    await page.selectOption('#embed-view', 'trade');
    assert.equal(await code(), fromExample('chart.html'), 'the trade chart, resizing');
  },

  'embed: examples/chart.html (another origin) — the frame follows the height messages': core(async ({ page, ctx }) => {
    const url = process.env.EMBED_CHART_URL;
    const app = process.env.EMBED_APP_URL;
    if (!url || !app) ctx.skip('EMBED_CHART_URL / EMBED_APP_URL not set (cargo xtask test sets them)');
    await page.setViewportSize({ width: 700, height: 900 });
    await page.goto(url, { waitUntil: 'load' });
    const f = await appFrame(page, `${app}?embed=trade`);
    let outer = 0;
    let inner = -1;
    for (let k = 0; k < 50 && outer !== inner; k++) {
      await sleep(200);
      outer = Math.round(await page.evaluate(() => document.getElementById('pakru-atlas-trade').getBoundingClientRect().height));
      inner = await f.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
    }
    assert.equal(outer, inner, 'the frame took the embed\'s height');
    assert(outer < 640, `the frame shrank from its 640 px start to ${outer}`);
    const scroll = await f.evaluate(() => document.documentElement.scrollHeight - document.documentElement.clientHeight);
    assert(scroll <= 0, 'no scrollbar inside');
    await canvasNotBlank(f, '#trade-chart');
    await ctx.screenshot(page, 'example-chart');
  }),

  'embed: examples/event.html (frame only) renders at its fixed height with the card inside': core(async ({ page, ctx }) => {
    const url = process.env.EMBED_EVENT_URL;
    const app = process.env.EMBED_APP_URL;
    if (!url || !app) ctx.skip('EMBED_EVENT_URL / EMBED_APP_URL not set (cargo xtask test sets them)');
    await page.setViewportSize({ width: 700, height: 1000 });
    await page.goto(url, { waitUntil: 'load' });
    const f = await appFrame(page, `${app}?embed=event`);
    await sleep(500);
    const h = await page.evaluate(() => document.getElementById('pakru-atlas-event').getBoundingClientRect().height);
    assert.equal(h, 720, 'the frame keeps the snippet\'s height (no script resizes it)');
    const inner = await f.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
    assert(inner <= 720, `the card fits in the frame: ${inner} px`);
    assert.equal((await f.locator('#detail-h').textContent()).trim(), 'Tashkent Declaration', 'the card of the address');
    await ctx.screenshot(page, 'example-event');
  }),
};

export const tests = { ...layoutTests, ...embedTests, ...dialogTests };
