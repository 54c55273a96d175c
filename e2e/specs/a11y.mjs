// Accessibility: axe-core finds nothing on the page (light and dark, embedded, with the detail
// panel and the other panels open); the keyboard alone reaches and operates every control, the
// timeline and the map, with a visible focus indicator at every stop; categories are told apart
// by shape as well as colour; prefers-reduced-motion is honoured; text scales to 200 %.
//
// axe-core cannot look inside a canvas: the colours the canvases use are checked natively in
// tests/theme_contrast.rs, and each canvas here carries a role and a name that axe does check.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { assert, canvasNotBlank, gotoApp, sleep } from '../lib.mjs';

const require = createRequire(import.meta.url);
// Evaluated rather than added as a <script>: the app's CSP (rightly) refuses inline scripts.
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// ---------------------------------------------------------------- helpers

/** Runs axe-core on the whole document; returns the violations, readable. */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    // Every rule axe runs by default (WCAG 2.0–2.2 A/AA and best practices), none disabled.
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${(n.failureSummary || '').replace(/\s+/g, ' ').trim()}`),
    }));
  });
}

/** axe does not check placeholders: each must have 4.5:1 against its field, like other text. */
async function expectReadablePlaceholders(page, where) {
  const low = await page.evaluate(() => {
    const parse = (c) => (c.match(/[\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const ch = (v) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b);
    };
    const out = [];
    for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
      const ph = getComputedStyle(el, '::placeholder');
      const fg = parse(ph.color);
      const alpha = (fg[3] ?? 1) * Number(ph.opacity);
      const bg = parse(getComputedStyle(el).backgroundColor);
      const mixed = fg.slice(0, 3).map((v, i) => v * alpha + bg[i] * (1 - alpha));
      const ratio = (Math.max(lum(mixed), lum(bg)) + 0.05) / (Math.min(lum(mixed), lum(bg)) + 0.05);
      if (ratio < 4.5) out.push(`#${el.id}: placeholder ${ph.color} on ${getComputedStyle(el).backgroundColor}: ${ratio.toFixed(2)}:1`);
    }
    return out;
  });
  assert.deepEqual(low, [], `placeholder contrast, ${where}`);
}

async function expectNoViolations(page, where) {
  const vs = await axeViolations(page);
  const text = vs.map((v) => `[${v.impact}] ${v.id}: ${v.help}\n        ${v.nodes.slice(0, 6).join('\n        ')}`).join('\n      ');
  assert(vs.length === 0, `axe-core, ${where}: ${vs.length} violation(s):\n      ${text}`);
}

/** Two animation frames: whatever was scheduled has been drawn. */
const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

/** In-page: every control a keyboard user must be able to reach, visible now. */
const CONTROLS = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

/** Describes the focused element and its focus indicator (runs in the page). */
function focusInfo() {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return { none: true };
  const cs = getComputedStyle(el);
  const parse = (c) => {
    const m = c.match(/[\d.]+/g);
    return m ? m.map(Number) : [0, 0, 0, 0];
  };
  const lum = ([r, g, b]) => {
    const ch = (v) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b);
  };
  const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
  // The background the outline is drawn on: the first opaque background behind the element.
  let bg = [255, 255, 255];
  for (let p = el.parentElement; p; p = p.parentElement) {
    const c = parse(getComputedStyle(p).backgroundColor);
    if (c.length < 4 || c[3] > 0.5) {
      bg = c.slice(0, 3);
      break;
    }
  }
  const width = parseFloat(cs.outlineWidth) || 0;
  const offset = parseFloat(cs.outlineOffset) || 0;
  const outline = cs.outlineStyle !== 'none' && width > 0;
  const shadow = cs.boxShadow && cs.boxShadow !== 'none';
  const r = el.getBoundingClientRect();
  // Is the indicator cut off by an ancestor that clips its overflow?
  let clippedBy = null;
  const grow = outline ? width + Math.max(0, offset) : 0;
  for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    const pcs = getComputedStyle(p);
    if (pcs.overflowX === 'visible' && pcs.overflowY === 'visible') continue;
    const pr = p.getBoundingClientRect();
    if (r.left - grow < pr.left - 0.5 || r.right + grow > pr.right + 0.5 || r.top - grow < pr.top - 0.5 || r.bottom + grow > pr.bottom + 0.5) {
      clippedBy = p.className || p.tagName;
      break;
    }
  }
  const name = (el.id && `#${el.id}`) || (el.dataset.category && `toggle ${el.dataset.category}`) || `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent || '').trim().slice(0, 40)}"`;
  return {
    name,
    index: (window.__kbControls || []).indexOf(el),
    focusVisible: el.matches(':focus-visible'),
    outline,
    outlineWidth: width,
    shadow: !!shadow,
    contrast: outline ? ratio(parse(cs.outlineColor).slice(0, 3), bg) : null,
    visible: el.checkVisibility ? el.checkVisibility() : r.width > 0,
    inViewport: r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
    clippedBy,
  };
}

/** Presses Tab (or Shift+Tab) until `selector` has focus; returns the number of presses. */
async function tabTo(page, selector, { back = false, max = 250 } = {}) {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    if (await page.evaluate((s) => document.activeElement && document.activeElement.matches(s), selector)) return i;
  }
  throw new Error(`${selector} not reached with ${back ? 'Shift+Tab' : 'Tab'} in ${max} presses`);
}

const text = async (page, sel) => ((await page.locator(sel).first().textContent()) || '').trim();
/** Waits until the text of `sel` satisfies `pred` (polled from here: the CSP forbids eval in the page). */
async function waitText(page, sel, pred, what, timeout = 3000) {
  const end = Date.now() + timeout;
  let t = null;
  for (;;) {
    t = await page.evaluate((s) => { const el = document.querySelector(s); return el ? el.textContent.trim() : null; }, sel);
    if (t !== null && pred(t)) return t;
    if (Date.now() > end) throw new Error(`${what}: ${sel} is ${JSON.stringify(t)}`);
    await sleep(25);
  }
}
const focused = (page) => page.evaluate(() => document.activeElement && (document.activeElement.id || document.activeElement.className));
// Where a place is drawn: read after the next frame (a move is drawn at the next animation frame).
const mapPoint = (page, id) =>
  page.evaluate(
    (id) => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(window.__atlasTest.mapPoint(id))))),
    id,
  );

// ---------------------------------------------------------------- tests

export const tests = {
  'axe-core finds no violations on the main page (light and dark)': async ({ page, baseURL, ctx }) => {
    await gotoApp(page, baseURL);
    await frames(page);
    await expectNoViolations(page, 'main page, light');
    await expectReadablePlaceholders(page, 'light');
    const dark = await ctx.newPage({ colorScheme: 'dark' });
    await gotoApp(dark, baseURL);
    await frames(dark);
    await expectNoViolations(dark, 'main page, dark');
    await expectReadablePlaceholders(dark, 'dark');
  },

  'axe-core finds no violations in embed mode (?embed=1)': async ({ page, baseURL, ctx }) => {
    await gotoApp(page, baseURL, '?embed=1');
    assert(await page.evaluate(() => document.body.classList.contains('embed')), 'embed layout on');
    await expectNoViolations(page, 'embed mode, light');
    const dark = await ctx.newPage({ colorScheme: 'dark', viewport: { width: 700, height: 900 } });
    await gotoApp(dark, baseURL, '?embed=1');
    await expectNoViolations(dark, 'embed mode, dark, 700 px');
  },

  'axe-core finds no violations in story mode (a step of each chapter, light and dark, and embedded)': async ({ page, baseURL, ctx }) => {
    const dark = await ctx.newPage({ colorScheme: 'dark' });
    for (const [i, q] of ['?story=rq1&step=1', '?story=rq2&step=3', '?story=rq3&step=4', '?story=rq4&step=6', '?story=journey&step=8'].entries()) {
      const p = i % 2 ? dark : page;
      await gotoApp(p, baseURL, q);
      await sleep(700);
      await frames(p);
      assert(await p.evaluate(() => document.body.classList.contains('story-mode')), `${q}: story mode on`);
      await expectNoViolations(p, `story ${q}, ${i % 2 ? 'dark' : 'light'}`);
    }
    const small = await ctx.newPage({ viewport: { width: 700, height: 900 } });
    await gotoApp(small, baseURL, '?embed=story&story=rq3&step=4');
    await sleep(700);
    await expectNoViolations(small, 'story step embedded, 700 px');
  },

  'axe-core finds no violations with the detail panel and the other panels open': async ({ page, baseURL, ctx }) => {
    await gotoApp(page, baseURL);
    // Select through the table, as a user would.
    const link = page.locator('table.events tbody button.event-link').nth(5);
    const title = (await link.textContent()).trim();
    await link.click();
    await waitText(page, '#detail-h', (t) => t.length > 0 && t !== 'Event details', 'detail panel opens');
    assert.equal(await text(page, '#detail-h'), title, 'detail panel title');
    assert(await page.locator('#detail ol.citations li').count() >= 1, 'citations shown');
    await expectNoViolations(page, 'detail panel open');

    // Now everything else that can be open at once: a hidden category, a place filter, the map's
    // text alternative, the embed code, a tooltip; in both themes.
    for (const scheme of ['light', 'dark']) {
      const p = scheme === 'light' ? page : await ctx.newPage({ colorScheme: 'dark' });
      if (scheme === 'dark') {
        await gotoApp(p, baseURL);
        await p.locator('table.events tbody button.event-link').nth(5).click();
      }
      await p.locator('button.toggle[data-category=crisis]').click();
      await p.locator('#embed-button').click();
      await p.locator('details.map-text summary').click();
      await p.locator('details.map-text ul button.event-link').first().click();
      await p.locator('p.place-filter').waitFor();
      await p.locator('canvas#map').focus();
      await p.keyboard.press('n');
      await p.locator('#map-tooltip').waitFor();
      await expectNoViolations(p, `panels open, ${scheme}`);
    }
  },

  'Tab reaches every control, each with a visible focus indicator': async ({ page, baseURL, ctx }) => {
    await gotoApp(page, baseURL);
    // Open the map's text alternative so that its buttons are controls too.
    await page.evaluate(() => { document.querySelector('details.map-text').open = true; });
    const total = await page.evaluate((sel) => {
      window.__kbControls = [...document.querySelectorAll(sel)].filter((el) => el.checkVisibility() && el.tabIndex >= 0);
      return window.__kbControls.length;
    }, CONTROLS);
    assert.atLeast(total, 60, 'controls on the page');
    await page.evaluate(() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); });

    const seen = new Set();
    const problems = [];
    let stops = 0;
    for (let i = 0; i < total + 20; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(focusInfo);
      if (f.none) break; // past the last control
      if (f.index >= 0 && seen.has(f.index)) break; // wrapped round
      stops++;
      if (f.index >= 0) seen.add(f.index);
      if (!f.visible) problems.push(`${f.name}: focused but not visible`);
      if (!f.inViewport) problems.push(`${f.name}: focused but off screen`);
      if (!f.focusVisible) problems.push(`${f.name}: not :focus-visible after Tab`);
      if (!(f.outline && f.outlineWidth >= 2) && !f.shadow) problems.push(`${f.name}: no focus outline or shadow`);
      if (f.outline && f.contrast < 3) problems.push(`${f.name}: focus outline contrast ${f.contrast.toFixed(2)}:1 < 3:1`);
      if (f.clippedBy) problems.push(`${f.name}: focus outline clipped by ${f.clippedBy}`);
    }
    const missed = await page.evaluate((seen) => window.__kbControls.filter((_, i) => !seen.includes(i)).map((el) => el.id || `${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 30)}"`), [...seen]);
    ctx.log(`${stops} Tab stops, ${seen.size} of ${total} controls`);
    assert.deepEqual(missed, [], 'controls Tab never reached');
    assert.deepEqual(problems, [], 'focus indicator problems');
    // The same in the dark theme, where the indicator has another colour.
    const dark = await ctx.newPage({ colorScheme: 'dark' });
    await gotoApp(dark, baseURL);
    const darkProblems = [];
    for (const sel of ['#search', 'button.toggle[data-category=diplomatic]', 'canvas#timeline', 'canvas#map', '#play', '#play-speed', 'button.sort', '#copy-link']) {
      await tabTo(dark, sel);
      const f = await dark.evaluate(focusInfo);
      if (!(f.outline && f.outlineWidth >= 2) && !f.shadow) darkProblems.push(`${f.name}: no focus outline`);
      if (f.outline && f.contrast < 3) darkProblems.push(`${f.name}: focus outline contrast ${f.contrast.toFixed(2)}:1 < 3:1`);
    }
    assert.deepEqual(darkProblems, [], 'focus indicator problems, dark');
  },

  'keyboard operates the search, the category toggles and the timeline': async ({ page, baseURL }) => {
    await gotoApp(page, baseURL);
    const all = await text(page, 'p.table-count');
    assert.match(all, /^(\d+) of \1 events shown$/, 'count at load');
    await tabTo(page, '#search');
    await page.keyboard.type('Tashkent');
    await waitText(page, 'p.table-count', (t) => !/^(\d+) of \1 /.test(t), 'search narrows the table');
    for (let i = 0; i < 'Tashkent'.length; i++) await page.keyboard.press('Backspace');
    await waitText(page, 'p.table-count', (t) => /^(\d+) of \1 /.test(t), 'clearing the search');

    await tabTo(page, 'button.toggle[data-category=crisis]');
    await page.keyboard.press('Space');
    assert.equal(await page.getAttribute('button.toggle[data-category=crisis]', 'aria-pressed'), 'false', 'Space hides crisis');
    assert.notEqual(await text(page, 'p.table-count'), all, 'fewer rows without crisis');
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('button.toggle[data-category=crisis]', 'aria-pressed'), 'true', 'Enter shows crisis again');

    const range0 = await text(page, '#timeline-range');
    await tabTo(page, '#timeline-zoom-in');
    await page.keyboard.press('Enter');
    await waitText(page, '#timeline-range', (t) => t.startsWith('Showing'), 'range');
    const zoomed = await text(page, '#timeline-range');
    assert.notEqual(zoomed, range0, 'Zoom in by keyboard changes the range');
    await tabTo(page, '#timeline-zoom-out');
    await page.keyboard.press('Enter');
    await tabTo(page, '#timeline-reset');
    await page.keyboard.press('Enter');
    assert.equal(await text(page, '#timeline-range'), range0, 'Reset view by keyboard');

    await tabTo(page, 'canvas#timeline');
    const first = await text(page, 'table.events tbody tr:first-child button.event-link');
    const second = await text(page, 'table.events tbody tr:nth-child(2) button.event-link');
    const last = await text(page, 'table.events tbody tr:last-child button.event-link');
    await page.keyboard.press('Home');
    await waitText(page, '#detail-h', (t) => t !== 'Event details', 'Home selects');
    assert.equal(await text(page, '#detail-h'), first, 'Home selects the first event');
    assert.match(await text(page, '#announcer'), new RegExp(`^Selected: ${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, `), 'announced');
    await page.keyboard.press('ArrowRight');
    assert.equal(await text(page, '#detail-h'), second, '→ selects the next event');
    await page.keyboard.press('End');
    assert.equal(await text(page, '#detail-h'), last, 'End selects the last event');
    await page.keyboard.press('0');
    const before = await text(page, '#timeline-range');
    await page.keyboard.press('+');
    await waitText(page, '#timeline-range', (t) => t !== before, '+ zooms in');
    const afterZoom = await text(page, '#timeline-range');
    await page.keyboard.press('Shift+ArrowLeft');
    await waitText(page, '#timeline-range', (t) => t !== afterZoom, 'Shift+← pans');
    await page.keyboard.press('0');
    assert.equal(await text(page, '#timeline-range'), range0, '0 resets the view');
    await page.keyboard.press('Escape');
    assert.equal(await text(page, '#detail-h'), 'Event details', 'Esc clears the selection');
    assert.equal(await focused(page), 'timeline', 'focus stays on the timeline');
    await canvasNotBlank(page, 'canvas#timeline');
  },

  'keyboard operates the map, Play and the text alternative': async ({ page, baseURL }) => {
    await gotoApp(page, baseURL);
    await tabTo(page, '#map-zoom-in');
    const a0 = await mapPoint(page, 'moscow');
    const k0 = await mapPoint(page, 'karachi');
    const dist = (a, b) => Math.hypot(a.x - b.x, a.y - b.y);
    await page.keyboard.press('Enter');
    await frames(page);
    const a1 = await mapPoint(page, 'moscow');
    const k1 = await mapPoint(page, 'karachi');
    assert(dist(a1, k1) > dist(a0, k0) * 1.2, `Zoom in by keyboard spreads places (${dist(a0, k0).toFixed(0)} → ${dist(a1, k1).toFixed(0)} px)`);
    await tabTo(page, '#map-reset');
    await page.keyboard.press('Enter');
    await frames(page);
    const a2 = await mapPoint(page, 'moscow');
    assert(Math.abs(a2.x - a0.x) < 1 && Math.abs(a2.y - a0.y) < 1, 'Reset map by keyboard');

    await tabTo(page, '#play');
    const year0 = await text(page, '#play-year');
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'true', 'Enter starts Play');
    await waitText(page, '#play-year', (t) => t.startsWith('Years'), 'year');
    await page.waitForFunction((y) => document.querySelector('#play-year').textContent.trim() !== y, year0, { timeout: 5000 });
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'false', 'Enter pauses');
    await tabTo(page, '#play-speed');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.inputValue('#play-speed'), '2', '↓ on the speed selects 2×');

    await tabTo(page, 'canvas#map');
    await page.keyboard.press('n');
    await page.locator('#map-tooltip').waitFor({ timeout: 3000 });
    const p1 = await text(page, '#map-tooltip .tt-title');
    await page.keyboard.press('n');
    const p2 = await text(page, '#map-tooltip .tt-title');
    assert.notEqual(p2, p1, 'N moves to the next place');
    await page.keyboard.press('p');
    assert.equal(await text(page, '#map-tooltip .tt-title'), p1, 'P moves back');
    await page.keyboard.press('Enter');
    await page.locator('p.place-filter').waitFor({ timeout: 3000 });
    assert.includes(await text(page, 'p.place-filter'), p1, 'Enter shows only that place’s events');
    await page.keyboard.press('Escape');
    await page.locator('p.place-filter').waitFor({ state: 'detached', timeout: 3000 });
    const m0 = await mapPoint(page, 'moscow');
    const d0 = dist(m0, await mapPoint(page, 'karachi'));
    await page.keyboard.press('+');
    await frames(page);
    const z = await mapPoint(page, 'moscow');
    assert(dist(z, await mapPoint(page, 'karachi')) > d0 * 1.2, '+ zooms the map');
    // Zoomed in, there is room to pan either way (the home view may fill the canvas's width).
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowUp');
    await frames(page);
    const m1 = await mapPoint(page, 'moscow');
    assert(m1.x > z.x + 20 && m1.y > z.y + 20, `arrows pan the map (${JSON.stringify(z)} → ${JSON.stringify(m1)})`);
    await page.keyboard.press('0');
    await frames(page);
    const m2 = await mapPoint(page, 'moscow');
    assert(Math.abs(m2.x - m0.x) < 1 && Math.abs(m2.y - m0.y) < 1, '0 resets the map');
    assert.equal(await focused(page), 'map', 'focus stays on the map');

    // The text alternative: open it and pick a place with the keyboard.
    await tabTo(page, 'details.map-text summary');
    await page.keyboard.press('Enter');
    assert(await page.evaluate(() => document.querySelector('details.map-text').open), 'Enter opens the text alternative');
    await page.keyboard.press('Tab');
    const place = await page.evaluate(() => document.activeElement.textContent.trim());
    await page.keyboard.press('Enter');
    await page.locator('p.place-filter').waitFor({ timeout: 3000 });
    assert.includes(await text(page, 'p.place-filter'), place, 'a place chosen in the list');
    await tabTo(page, '#clear-place', { back: true });
    await page.keyboard.press('Enter');
    await page.locator('p.place-filter').waitFor({ state: 'detached', timeout: 3000 });
  },

  'keyboard operates the table, the detail panel and sharing': async ({ page, baseURL }) => {
    await gotoApp(page, baseURL);
    const firstBefore = await text(page, 'table.events tbody tr:first-child button.event-link');
    await tabTo(page, 'button.sort');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.closest('th').getAttribute('aria-sort')), 'descending', 'Enter reverses the date sort');
    assert.notEqual(await text(page, 'table.events tbody tr:first-child button.event-link'), firstBefore, 'rows reversed');
    await page.keyboard.press('Enter');
    await tabTo(page, 'table.events tbody button.event-link');
    const title = await page.evaluate(() => document.activeElement.textContent.trim());
    await page.keyboard.press('Enter');
    await waitText(page, '#detail-h', (t) => t !== 'Event details', 'Enter on a row selects');
    assert.equal(await text(page, '#detail-h'), title, 'the row’s event is shown');
    assert.match(await text(page, '#announcer'), /^Selected: /, 'announced');

    await tabTo(page, '#detail button.clear', { back: true });
    await page.keyboard.press('Enter');
    assert.equal(await text(page, '#detail-h'), 'Event details', 'Clear selection by keyboard');
    // The button is gone with the selection; focus goes to the panel's heading, not the page.
    await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'detail-h', null, { timeout: 2000 }).catch(() => {});
    assert.equal(await focused(page), 'detail-h', 'focus after Clear selection');

    await tabTo(page, '#copy-link');
    await page.keyboard.press('Enter');
    await waitText(page, '.share-panel .status', (t) => t.length > 0, 'Copy link reports');
    assert.match(await text(page, '.share-panel .status'), /^(Link copied\.|Copying failed)/, 'copy status');
    await tabTo(page, '#embed-button');
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('#embed-button', 'aria-expanded'), 'true', 'Enter opens the embed code');
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'embed-view', 'Tab goes into the dialog: first the choice of view');
    await tabTo(page, '#copy-embed');
    await page.keyboard.press('Enter');
    await tabTo(page, '#embed-button', { back: true });
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('#embed-button', 'aria-expanded'), 'false', 'Enter closes it');

    await tabTo(page, '#dl-csv');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 5000 }), page.keyboard.press('Enter')]);
    assert.equal(download.suggestedFilename(), 'pakistan-russia-events.csv', 'Enter downloads the CSV');
  },

  'categories are told apart by shape and name, not colour alone': async ({ page, baseURL }) => {
    await gotoApp(page, baseURL);
    const swatches = await page.$$eval('button.toggle[data-category]', (bs) =>
      bs.map((b) => {
        const s = b.querySelector('.swatch');
        const cs = getComputedStyle(s);
        const r = s.getBoundingClientRect();
        return { key: b.dataset.category, label: b.textContent.trim(), shape: [cs.borderRadius, cs.clipPath, cs.transform].join(' | '), size: r.width * r.height };
      }),
    );
    assert.equal(swatches.length, 7, 'seven category toggles');
    const shapes = new Set(swatches.map((s) => s.shape));
    assert.equal(shapes.size, 7, `each toggle's swatch has its own shape: ${JSON.stringify(swatches.map((s) => [s.key, s.shape]))}`);
    for (const s of swatches) {
      assert(s.size > 20, `${s.key}: swatch visible`);
      assert(s.label.length > 3, `${s.key}: toggle names its category`);
    }
    // The table names each event's category in words.
    const cats = await page.$$eval('table.events tbody td.cat', (tds) => tds.map((t) => t.textContent.trim()));
    assert(cats.length > 0 && cats.every((c) => swatches.some((s) => s.label === c)), 'category names in the table');
  },

  'prefers-reduced-motion: no transitions or animations, and Play steps more slowly': async ({ page, baseURL, ctx }) => {
    // Everything that moves on the page, as computed styles (elements and pseudo-elements), with
    // a probe element that asks for a transition and an animation.
    const moving = (p) =>
      p.evaluate(() => {
        const probe = document.createElement('div');
        probe.className = 'motion-probe';
        probe.style.cssText = 'transition: opacity 2s; animation: 2s linear infinite both motion-probe; scroll-behavior: smooth';
        document.body.appendChild(probe);
        const out = [];
        const secs = (v) => Math.max(...v.split(',').map((x) => parseFloat(x) * (x.trim().endsWith('ms') ? 0.001 : 1)));
        for (const el of document.querySelectorAll('*')) {
          for (const pseudo of [null, '::before', '::after']) {
            const cs = getComputedStyle(el, pseudo);
            const t = cs.transitionProperty !== 'none' && secs(cs.transitionDuration) > 0;
            const a = cs.animationName !== 'none' && secs(cs.animationDuration) > 0;
            if (t || a) out.push(`${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''}${pseudo || ''}: ${t ? `transition ${cs.transitionDuration}` : ''}${a ? ` animation ${cs.animationName} ${cs.animationDuration}` : ''}`);
          }
        }
        const smooth = getComputedStyle(document.documentElement).scrollBehavior === 'smooth' || getComputedStyle(probe).scrollBehavior === 'smooth';
        probe.remove();
        return { out, smooth };
      });
    /** Median ms between Play's steps at 4×, from the year label's changes. */
    const stepMs = async (p) => {
      await p.selectOption('#play-speed', '4');
      await p.evaluate(() => {
        window.__steps = [];
        new MutationObserver(() => window.__steps.push(performance.now())).observe(document.querySelector('#play-year'), { childList: true, characterData: true, subtree: true });
      });
      await p.click('#play');
      await p.waitForFunction(() => window.__steps.length >= 5, null, { timeout: 10_000 });
      await p.click('#play');
      const t = await p.evaluate(() => window.__steps);
      const gaps = t.slice(1).map((x, i) => x - t[i]).sort((a, b) => a - b);
      return gaps[Math.floor(gaps.length / 2)];
    };

    const reduced = await ctx.newPage({ reducedMotion: 'reduce' });
    await gotoApp(reduced, baseURL);
    assert(await reduced.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches), 'reduced motion emulated');
    const r = await moving(reduced);
    assert.deepEqual(r.out, [], 'with reduced motion, nothing transitions or animates');
    assert(!r.smooth, 'with reduced motion, no smooth scrolling');

    await gotoApp(page, baseURL);
    const n = await moving(page);
    // The probe shows the check can see motion: without the preference it does move.
    assert(n.out.some((x) => x.includes('motion-probe')), `the probe moves without the preference: ${JSON.stringify(n.out)}`);

    const normal = await stepMs(page);
    const slow = await stepMs(reduced);
    ctx.log(`Play step at 4×: ${normal.toFixed(0)} ms normally, ${slow.toFixed(0)} ms with reduced motion`);
    assert(slow >= normal * 1.8, `Play steps more slowly with reduced motion (${slow.toFixed(0)} ms vs ${normal.toFixed(0)} ms)`);
  },

  'text scales to 200 % without loss': async ({ page, baseURL, ctx }) => {
    /** Problems after scaling: page overflow, clipped text, hidden or covered controls. */
    const audit = (p) =>
      p.evaluate((CONTROLS) => {
        const problems = [];
        const de = document.documentElement;
        if (de.scrollWidth > de.clientWidth) problems.push(`page scrolls sideways: ${de.scrollWidth} > ${de.clientWidth} px`);
        const hidden = (el) => el.closest('.visually-hidden, [hidden], details:not([open]) > :not(summary)');
        // Text cut off by a box that hides its overflow.
        for (const el of document.querySelectorAll('body *')) {
          if (hidden(el) || !el.checkVisibility()) continue;
          const hasText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
          if (!hasText) continue;
          const r = el.getBoundingClientRect();
          const cs = getComputedStyle(el);
          const name = `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + el.className : ''} "${el.textContent.trim().slice(0, 30)}"`;
          if (/(hidden|clip)/.test(cs.overflowX + cs.overflowY) && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)) problems.push(`${name}: text clipped by its own box`);
          // (Inside a box that scrolls, such as the table's, text is reached by scrolling it.)
          const scroller = [...(function* () { for (let a = el.parentElement; a; a = a.parentElement) yield a; })()].some((a) => /(auto|scroll)/.test(getComputedStyle(a).overflowX));
          if (!scroller && (r.right > de.clientWidth + 1 || r.left < -1)) problems.push(`${name}: text outside the page (${r.left.toFixed(0)}–${r.right.toFixed(0)} px)`);
          for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
            const acs = getComputedStyle(a);
            if (!/(hidden|clip)/.test(acs.overflowX + acs.overflowY)) continue;
            const ar = a.getBoundingClientRect();
            if (r.left < ar.left - 1 || r.right > ar.right + 1 || r.top < ar.top - 1 || r.bottom > ar.bottom + 1) {
              problems.push(`${name}: text clipped by ${a.tagName.toLowerCase()}.${a.className}`);
              break;
            }
          }
        }
        // Placeholders are text too: each must fit its field. (Measured by typing it in, without
        // an input event, so that the field's own inner parts count.)
        for (const el of document.querySelectorAll('input[placeholder]')) {
          if (hidden(el) || !el.checkVisibility() || el.value) continue;
          el.value = el.placeholder;
          const cut = el.scrollWidth > el.clientWidth + 1;
          el.value = '';
          if (cut) problems.push(`#${el.id}: placeholder "${el.placeholder}" cut off (${el.clientWidth} px wide)`);
        }
        // Every control visible, on the page, and not covered by something else.
        let controls = 0;
        for (const el of document.querySelectorAll(CONTROLS)) {
          if (hidden(el)) continue;
          controls++;
          const name = el.id ? `#${el.id}` : `${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 30)}"`;
          if (!el.checkVisibility()) {
            problems.push(`${name}: control not visible`);
            continue;
          }
          el.scrollIntoView({ block: 'center', inline: 'center' });
          const r = el.getBoundingClientRect();
          if (r.width < 1 || r.height < 1) problems.push(`${name}: control has no size`);
          if (r.right > de.clientWidth + 1 || r.left < -1) problems.push(`${name}: control outside the page`);
          const hit = document.elementFromPoint(Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1), Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1));
          if (hit && hit !== el && !el.contains(hit) && !hit.contains(el)) problems.push(`${name}: covered by ${hit.tagName.toLowerCase()}.${hit.className}`);
        }
        window.scrollTo(0, 0);
        return { problems, controls, fontSize: getComputedStyle(document.body).fontSize };
      }, CONTROLS);

    // 1. Text only: the root font size at 200 % (what a browser's "font size" setting does).
    await gotoApp(page, baseURL, '?e=tashkent-declaration-1966');
    await page.evaluate(() => { document.querySelector('details.map-text').open = true; });
    const base = await audit(page);
    assert.deepEqual(base.problems, [], 'at 100 %');
    await page.evaluate(() => document.documentElement.style.setProperty('font-size', '200%', 'important'));
    await page.evaluate(() => dispatchEvent(new Event('resize')));
    await frames(page);
    const big = await audit(page);
    assert.equal(big.fontSize, '32px', 'body text at 200 %');
    assert.equal(big.controls, base.controls, 'same controls');
    assert.deepEqual(big.problems, [], 'text at 200 %');
    await ctx.screenshot('a11y-text-200');
    for (const c of ['canvas#timeline', 'canvas#map']) await canvasNotBlank(page, c);

    // 2. Page zoom 200 % of a 1280×800 window: a 640×400 CSS px viewport at 2 device px per px.
    const zoomed = await ctx.newPage({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
    await gotoApp(zoomed, baseURL, '?e=tashkent-declaration-1966');
    await zoomed.evaluate(() => { document.querySelector('details.map-text').open = true; });
    const z = await audit(zoomed);
    assert.deepEqual(z.problems, [], 'page zoom 200 %');
    await ctx.screenshot(zoomed, 'a11y-zoom-200');
  },
};
