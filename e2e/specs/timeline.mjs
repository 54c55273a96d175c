// The timeline: hover and click on marks, keyboard walk in date order, wheel zoom with its
// limits, drag to pan, category toggles and search (table and timeline agree), selection from
// the table, accessible name and high-DPI sizing. Expected values come from data/events.json.

import { assert, canvasNotBlank, expect, gotoApp, sleep } from '../lib.mjs';
import { core } from '../engines/core.mjs';
import { data, EVENTS, dateLabel, BY_DATE, citeText, matchesSearch, tableIds, frames } from '../data.mjs';

// ---------------------------------------------------------------- the data, read in node

const byId = (id) => {
  const e = EVENTS.find((x) => x.id === id);
  assert(e, `event ${id} in data/events.json`);
  return e;
};

const CATEGORY = {
  diplomatic: { label: 'Diplomatic' },
  alignment: { label: 'Political alignment' },
  military: { label: 'Military & defence' },
  economic: { label: 'Economy & energy' },
  social: { label: 'Society, culture & education' },
  humanitarian: { label: 'Humanitarian aid' },
  crisis: { label: 'Crisis & conflict' },
};




// ---------------------------------------------------------------- page helpers

/** [start, end] from "Showing 1946 to 2028". */
async function range(page) {
  const text = (await page.locator('#timeline-range').textContent()).trim();
  const m = text.match(/^Showing (\d{4}) to (\d{4})$/);
  assert(m, `#timeline-range reads ${JSON.stringify(text)}`);
  return [Number(m[1]), Number(m[2])];
}

/** Where an event's mark is now, in page coordinates (null when off-screen). */
async function markOnPage(page, id) {
  const m = await page.evaluate((id) => window.__atlasTest.timelineMark(id), id);
  if (!m) return null;
  const box = await page.locator('canvas#timeline').boundingBox();
  return { x: box.x + m.x, y: box.y + m.y, cluster: m.cluster, cx: m.x, cy: m.y };
}


/** The colour of the timeline canvas at CSS point (x, y) of the canvas. */
const pixel = (page, x, y) =>
  page.evaluate(([x, y]) => {
    const c = document.querySelector('canvas#timeline');
    const k = c.width / c.clientWidth;
    const copy = document.createElement('canvas');
    copy.width = c.width;
    copy.height = c.height;
    const g = copy.getContext('2d', { willReadFrequently: true });
    g.drawImage(c, 0, 0);
    return [...g.getImageData(Math.round(x * k), Math.round(y * k), 1, 1).data].slice(0, 3);
  }, [x, y]);
const near = (a, b, tol = 24) => a.every((v, i) => Math.abs(v - b[i]) <= tol);

/** A category's colour as the legend (the swatch of its toggle button) shows it. */
const legendColour = (page, key) =>
  page.$eval(`button.toggle[data-category=${key}] .swatch`, (s) => getComputedStyle(s).backgroundColor.match(/\d+/g).slice(0, 3).map(Number));

/** Whether an event's (single, non-cluster) mark is drawn in its full category colour. */
async function drawnMatching(page, id) {
  const m = await page.evaluate((id) => window.__atlasTest.timelineMark(id), id);
  assert(m, `mark of ${id} on screen`);
  assert(!m.cluster, `mark of ${id} is not a cluster`);
  return near(await pixel(page, m.x, m.y), await legendColour(page, byId(id).category));
}


async function expectSelected(page, e, what) {
  await page.waitForFunction((t) => document.querySelector('#detail-h').textContent.trim() === t, e.title, { timeout: 3000 }).catch(() => {});
  assert.equal((await page.locator('#detail-h').textContent()).trim(), e.title, `${what}: detail panel title`);
  assert.equal((await page.locator('#detail .detail-date').textContent()).trim(), dateLabel(e), `${what}: detail date`);
  assert.equal((await page.locator('#announcer').textContent()).trim(), `Selected: ${e.title}, ${dateLabel(e)}`, `${what}: live region`);
}

// ---------------------------------------------------------------- tests

export const tests = {
  'hovering a mark shows its date and title': async ({ page, baseURL, ctx }) => {
    await gotoApp(page, baseURL);
    assert.equal(await page.locator('#timeline-tooltip').count(), 0, 'no tooltip before hovering');
    let hovered = 0;
    for (const id of ['diplomatic-relations-1948', 'india-pakistan-tensions-1965', 'imran-khan-putin-meeting-2022', 'russian-crude-first-cargo-2023']) {
      const e = byId(id);
      const m = await markOnPage(page, id);
      assert(m, `${id}: on screen at the full view`);
      if (m.cluster) continue;
      hovered++;
      await page.mouse.move(m.x, m.y);
      const tip = page.locator('#timeline-tooltip');
      await tip.waitFor({ state: 'visible', timeout: 2000 });
      assert.equal(await tip.getAttribute('role'), 'tooltip', 'tooltip role');
      assert.equal((await tip.locator('.tt-date').textContent()).trim(), dateLabel(e), `${id}: tooltip date`);
      assert.equal((await tip.locator('.tt-title').textContent()).trim(), e.title, `${id}: tooltip title`);
      assert.equal((await tip.locator('.tt-cat').textContent()).trim(), CATEGORY[e.category].label, `${id}: tooltip category`);
      // The tooltip is next to the pointer (on its right, or on its left near the right edge),
      // inside the viewport, not squeezed, and does not make the page scroll sideways.
      const tb = await tip.boundingBox();
      const beside = Math.abs(tb.x - m.x) < 40 || Math.abs(tb.x + tb.width - m.x) < 40;
      assert(beside && Math.abs(tb.y - m.y) < 40, `${id}: tooltip near the pointer (${JSON.stringify(tb)} vs ${m.x},${m.y})`);
      assert(tb.x >= 0 && tb.x + tb.width <= page.viewportSize().width, `${id}: tooltip inside the viewport: ${JSON.stringify(tb)}`);
      assert.atLeast(tb.width, 150, `${id}: tooltip width (px)`);
      assert.atMost(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, `${id}: page overflow while hovering (px)`);
      if (id === 'india-pakistan-tensions-1965') await ctx.screenshot('timeline-tooltip');
    }
    assert.atLeast(hovered, 3, 'single marks hovered');
    // A cluster says how many events it holds.
    const cl = await markOnPage(page, 'tashkent-declaration-1966');
    if (cl && cl.cluster) {
      await page.mouse.move(cl.x, cl.y);
      await page.locator('#timeline-tooltip').waitFor({ state: 'visible', timeout: 2000 });
      assert.match(await page.locator('#timeline-tooltip .tt-title').textContent(), /\+\d+ more here/, 'cluster tooltip');
    }
    // The right-most mark: its tooltip must not widen the page.
    const last = await markOnPage(page, 'russian-crude-second-cargo-2023');
    await page.mouse.move(last.x, last.y);
    await page.locator('#timeline-tooltip').waitFor({ state: 'visible', timeout: 2000 });
    const lb = await page.locator('#timeline-tooltip').boundingBox();
    assert(lb.x + lb.width <= page.viewportSize().width, `right-most tooltip inside the viewport: ${JSON.stringify(lb)}`);
    assert.atMost(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, 'page overflow while hovering the right-most mark (px)');
    await ctx.screenshot('timeline-tooltip-right-edge');
    // Leaving the canvas hides the tooltip.
    await page.mouse.move(5, 5);
    await page.locator('#timeline-tooltip').waitFor({ state: 'detached', timeout: 2000 });
  },

  'clicking a mark opens its details at the real precision, with its citation': async ({ page, baseURL, ctx }) => {
    await gotoApp(page, baseURL);
    const e = byId('india-pakistan-tensions-1965');
    assert.equal(e.date, '1965', 'the test event is dated to the year');
    const m = await markOnPage(page, e.id);
    assert(m && !m.cluster, 'a single mark');
    await page.mouse.click(m.x, m.y);
    await expectSelected(page, e, 'click');
    const date = (await page.locator('#detail .detail-date').textContent()).trim();
    assert.equal(date, '1965', 'year precision, not a made-up day');
    assert(!/January|\b1\s/.test(date), `date ${date} invents a day or month`);
    assert.equal((await page.locator('#detail .detail-summary').textContent()).trim(), e.summary, 'summary');
    const cites = await page.locator('#detail ol.citations li .cite-short').allTextContents();
    assert.deepEqual(cites.map((s) => s.trim()), e.sources.map(citeText), 'citations with locators');
    for (const c of e.sources) assert.includes(cites.join(' '), c.locator, 'citation locator');
    // The table row of the selection is marked too.
    assert.equal(await page.locator(`tr[data-event-id="${e.id}"] button.event-link`).getAttribute('aria-pressed'), 'true', 'table row pressed');
    await ctx.screenshot('timeline-click-detail');

    // A day-precise event shows its full date, a month-precise one its month.
    for (const [id, want] of [['diplomatic-relations-1948', '1 May 1948'], ['tashkent-declaration-1966', 'January 1966']]) {
      assert.equal(dateLabel(byId(id)), want, `dateLabel(${id}) in node`);
      await page.locator(`tr[data-event-id="${id}"] button.event-link`).click();
      assert.equal((await page.locator('#detail .detail-date').textContent()).trim(), want, `${id}: detail date`);
    }
    // Clear selection.
    await page.locator('#detail button.clear').click();
    assert.equal((await page.locator('#detail-h').textContent()).trim(), 'Event details', 'cleared');
  },

  'arrow keys walk the events in date order; Home and End': core(async ({ page, baseURL }) => {
    await gotoApp(page, baseURL);
    await page.focus('canvas#timeline');
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'timeline', 'canvas focused');
    await page.keyboard.press('Home');
    await expectSelected(page, BY_DATE[0], 'Home');
    // Through the 1950s pair (decade before year, same dates in file order).
    for (let k = 1; k <= 6; k++) {
      await page.keyboard.press('ArrowRight');
      await expectSelected(page, BY_DATE[k], `ArrowRight ×${k}`);
      const m = await page.evaluate((id) => window.__atlasTest.timelineMark(id), BY_DATE[k].id);
      assert(m, `${BY_DATE[k].id} is on screen after the keyboard moved to it`);
    }
    await page.keyboard.press('ArrowLeft');
    await expectSelected(page, BY_DATE[5], 'ArrowLeft');
    await page.keyboard.press('End');
    await expectSelected(page, BY_DATE[BY_DATE.length - 1], 'End');
    await page.keyboard.press('ArrowRight');
    await expectSelected(page, BY_DATE[BY_DATE.length - 1], 'ArrowRight at the end stays');
    await page.keyboard.press('ArrowLeft');
    await expectSelected(page, BY_DATE[BY_DATE.length - 2], 'ArrowLeft from the end');
    // The keys must not scroll the page.
    assert.equal(await page.evaluate(() => document.activeElement.id), 'timeline', 'focus stays on the canvas');
  }),

  'wheel zooms about the pointer, within limits': async ({ page, baseURL, ctx }) => {
    await gotoApp(page, baseURL);
    const full = await range(page);
    assert.deepEqual(full, [1946, 2028], 'full range at load');
    const width = (await page.locator('canvas#timeline').boundingBox()).width;

    // One wheel-in over a mark: the range narrows and the mark stays under the pointer.
    const probe = byId('india-pakistan-tensions-1965');
    const m = await markOnPage(page, probe.id);
    assert(m && !m.cluster, `${probe.id}: a single mark`);
    await page.mouse.move(m.x, m.y);
    await page.mouse.wheel(0, -200);
    await frames(page);
    const once = await range(page);
    assert(once[1] - once[0] < full[1] - full[0], `one wheel-in narrows the range: ${once}`);
    assert(once[0] <= 1965 && once[1] >= 1965, `the year under the pointer stays in view: ${once}`);
    const after = await markOnPage(page, probe.id);
    assert(after && Math.abs(after.x - m.x) <= 3, `the mark under the pointer stays under it: x ${m.x} → ${after && after.x}`);
    // Wheel-out over the same point goes back.
    await page.mouse.wheel(0, 200);
    await frames(page);
    assert.deepEqual(await range(page), full, 'wheel-out undoes the wheel-in');

    // Many wheel-ins: the span stops at its minimum (half a year), around the pointer.
    const first = byId('agreement-t1-r12-trade-economic-cooperation'); // 1999-04-20
    const second = byId('agreement-t1-r11-nature-protection-falcons'); // 1999-05-13
    const days = 23;
    const f0 = await markOnPage(page, first.id);
    await page.mouse.move(f0.x, f0.y);
    for (let i = 0; i < 30; i++) await page.mouse.wheel(0, -400);
    await frames(page);
    const tight = await range(page);
    assert(tight[0] >= 1946 && tight[1] <= 2028 && tight[1] - tight[0] <= 1 && tight[1] >= tight[0], `sane range at the closest zoom: ${tight}`);
    assert(tight[0] === 1999 || tight[1] === 1999, `still around 1999: ${tight}`);
    const a = await markOnPage(page, first.id);
    const b = await markOnPage(page, second.id);
    assert(a && b, 'both agreements of spring 1999 on screen');
    assert(!a.cluster && !b.cluster, 'drawn apart at the closest zoom');
    const gap = b.x - a.x;
    assert(gap > 40, `${days} days apart are well apart at the closest zoom: ${gap} px`);
    // Half a year over (less than) the canvas width: the gap is at most width·days/(0.5·365).
    assert.atMost(gap, (width * days) / (0.5 * 365) + 2, 'minimum span is half a year');
    await ctx.screenshot('timeline-zoomed-in');
    for (let i = 0; i < 10; i++) await page.mouse.wheel(0, -400);
    await frames(page);
    const a2 = await markOnPage(page, first.id);
    const b2 = await markOnPage(page, second.id);
    assert(a2 && b2, 'both still on screen');
    assert(Math.abs(b2.x - a2.x - gap) < 1, `no further zoom past the limit: gap ${gap} → ${b2.x - a2.x}`);
    assert.deepEqual(await range(page), tight, 'range text unchanged past the limit');

    // Many wheel-outs: back to the whole range, and no further.
    for (let i = 0; i < 40; i++) await page.mouse.wheel(0, 400);
    await frames(page);
    assert.deepEqual(await range(page), full, 'full range after zooming out');
    await canvasNotBlank(page, 'canvas#timeline', { minColors: 6, minPixels: 2000 });
  },
  'dragging pans: the range shifts, the span stays': async ({ page, baseURL }) => {
    await gotoApp(page, baseURL, '?t=1980~2000');
    const before = await range(page);
    assert.deepEqual(before, [1980, 2000], 'range from the URL');
    const box = await page.locator('canvas#timeline').boundingBox();
    const y = box.y + box.height - 30;
    const x = box.x + box.width / 2;
    const probe = 'soviet-plane-hijacking-1990';
    const m0 = await markOnPage(page, probe);
    assert(m0, `${probe} on screen at 1980–2000`);
    // Drag right: earlier years come into view, and what was grabbed follows the pointer.
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(x + i * 25, y);
    await frames(page);
    const m1 = await markOnPage(page, probe);
    await page.mouse.up();
    assert(m1 && Math.abs(m1.x - m0.x - 250) <= 3, `a drag of 250 px moves the marks 250 px: ${m0.x} → ${m1 && m1.x}`);
    await frames(page);
    const right = await range(page);
    assert(right[0] < before[0], `drag right shows earlier years: ${before} → ${right}`);
    assert(Math.abs(right[1] - right[0] - (before[1] - before[0])) <= 1, `span unchanged: ${before} → ${right}`);
    // No selection from a drag.
    assert.equal((await page.locator('#detail-h').textContent()).trim(), 'Event details', 'a drag selects nothing');
    // Drag left twice as far: later years.
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let i = 1; i <= 20; i++) await page.mouse.move(x - i * 25, y);
    await page.mouse.up();
    await frames(page);
    const left = await range(page);
    assert(left[0] > before[0], `drag left shows later years: ${right} → ${left}`);
    assert(Math.abs(left[1] - left[0] - (before[1] - before[0])) <= 1, `span unchanged: ${before} → ${left}`);
    // Shift+arrows pan too.
    await page.focus('canvas#timeline');
    await page.keyboard.press('Shift+ArrowLeft');
    const shifted = await range(page);
    assert(shifted[0] < left[0] || shifted[1] < left[1], `Shift+← pans to earlier years: ${left} → ${shifted}`);
  },

  'a category toggle hides the category from the table and dims it on the timeline': async ({ page, baseURL, ctx }) => {
    await gotoApp(page, baseURL);
    const crisis = EVENTS.filter((e) => e.category === 'crisis');
    assert.atLeast(crisis.length, 1, 'crisis events in the data');
    // A crisis mark drawn on its own, to check dimming.
    const single = [];
    for (const e of crisis) {
      const m = await page.evaluate((id) => window.__atlasTest.timelineMark(id), e.id);
      if (m && !m.cluster) single.push(e.id);
    }
    assert.atLeast(single.length, 1, 'a single crisis mark on screen');
    for (const id of single) assert(await drawnMatching(page, id), `${id} drawn in full colour before the toggle`);

    const toggle = page.locator('button.toggle[data-category=crisis]');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true', 'crisis toggle pressed at load');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false', 'crisis toggle released');
    const cats = await page.$$eval('table.events tbody td.cat', (cs) => cs.map((c) => c.textContent.trim()));
    assert.equal(cats.length, EVENTS.length - crisis.length, 'rows after hiding crisis');
    assert(!cats.includes('Crisis & conflict'), 'no crisis row left');
    assert.equal((await page.locator('p.table-count').textContent()).trim(), `${EVENTS.length - crisis.length} of ${EVENTS.length} events shown`, 'count line');
    await frames(page);
    await canvasNotBlank(page, 'canvas#timeline', { minColors: 6, minPixels: 2000 });
    for (const id of single) {
      const m = await page.evaluate((id) => window.__atlasTest.timelineMark(id), id);
      if (m && !m.cluster) assert(!(await drawnMatching(page, id)), `${id} dimmed after the toggle`);
    }
    // Other categories are untouched.
    assert(await drawnMatching(page, 'diplomatic-relations-1948'), 'a diplomatic mark keeps its colour');
    // The keyboard walk skips the hidden category.
    await page.focus('canvas#timeline');
    await page.keyboard.press('End');
    const lastShown = BY_DATE.filter((e) => e.category !== 'crisis').pop();
    assert.equal((await page.locator('#detail-h').textContent()).trim(), lastShown.title, 'End picks the last shown event');
    await ctx.screenshot('timeline-crisis-hidden');

    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true', 'crisis toggle pressed again');
    assert.equal((await tableIds(page)).length, EVENTS.length, 'all rows back');
  },

  'search filters the table and leaves the same events highlighted on the timeline': async ({ page, baseURL, ctx }) => {
    await gotoApp(page, baseURL);
    const q = 'Tashkent';
    const expected = BY_DATE.filter((e) => matchesSearch(e, q)).map((e) => e.id);
    assert.atLeast(expected.length, 1, 'events mentioning Tashkent');
    assert(expected.length < EVENTS.length, 'the search leaves some out');
    await page.fill('#search', q);
    await page.waitForFunction((n) => document.querySelectorAll('table.events tbody tr[data-event-id]').length === n, expected.length, { timeout: 3000 }).catch(() => {});
    assert.deepEqual(await tableIds(page), expected, 'table rows for "Tashkent"');
    assert.equal((await page.locator('p.table-count').textContent()).trim(), `${expected.length} of ${EVENTS.length} events shown`, 'count line');
    await frames(page);
    // Matching events in full colour, the others dimmed.
    let checkedIn = 0, checkedOut = 0;
    for (const e of EVENTS) {
      const m = await page.evaluate((id) => window.__atlasTest.timelineMark(id), e.id);
      if (!m || m.cluster) continue;
      const full = await drawnMatching(page, e.id);
      if (expected.includes(e.id)) {
        assert(full, `${e.id} matches "${q}" and is highlighted`);
        checkedIn++;
      } else {
        assert(!full, `${e.id} does not match "${q}" and is dimmed`);
        checkedOut++;
      }
    }
    assert.atLeast(checkedIn, 1, 'matching marks checked');
    assert.atLeast(checkedOut, 10, 'dimmed marks checked');
    // The keyboard walk follows the search too.
    await page.focus('canvas#timeline');
    await page.keyboard.press('Home');
    await expectSelected(page, byId(expected[0]), 'Home with a search');
    await ctx.screenshot('timeline-search-tashkent');
    await page.fill('#search', '');
    await page.waitForFunction((n) => document.querySelectorAll('table.events tbody tr[data-event-id]').length === n, EVENTS.length, { timeout: 3000 });
  },

  'selecting a table row selects it on the timeline; Esc clears': async ({ page, baseURL, ctx }) => {
    await gotoApp(page, baseURL, '?t=2005~2020');
    const e = byId('tashkent-declaration-1966');
    assert.equal(await page.evaluate((id) => window.__atlasTest.timelineMark(id), e.id), null, 'off-screen at 2005–2020');
    await page.locator(`tr[data-event-id="${e.id}"] button.event-link`).click();
    await expectSelected(page, e, 'table click');
    await frames(page);
    // The timeline scrolled to it, keeping its zoom.
    const m = await page.evaluate((id) => window.__atlasTest.timelineMark(id), e.id);
    const width = (await page.locator('canvas#timeline').boundingBox()).width;
    assert(m && m.x > 0 && m.x < width, `mark of ${e.id} on screen after selecting the row: ${JSON.stringify(m)}`);
    const [a, b] = await range(page);
    assert(a <= 1966 && b >= 1966 && Math.abs(b - a - 15) <= 1, `range moved to 1966 with the same span: ${a}–${b}`);
    await ctx.screenshot('timeline-selected-from-table');
    // The timeline's keyboard cursor continues from the selection.
    await page.focus('canvas#timeline');
    await page.keyboard.press('ArrowRight');
    const next = BY_DATE[BY_DATE.findIndex((x) => x.id === e.id) + 1];
    await expectSelected(page, next, 'ArrowRight after a table selection');
    await page.keyboard.press('Escape');
    assert.equal((await page.locator('#detail-h').textContent()).trim(), 'Event details', 'Esc clears the detail panel');
    assert.equal((await page.locator('#announcer').textContent()).trim(), '', 'Esc empties the live region');
    assert.equal(await page.locator('table.events tr.selected').count(), 0, 'no selected row');
  },

  'accessible canvas, backing store follows size and device pixel ratio': async ({ page, baseURL, ctx }) => {
    await gotoApp(page, baseURL);
    const c = page.locator('canvas#timeline');
    assert.equal(await c.getAttribute('role'), 'application', 'role');
    assert.equal(await c.getAttribute('tabindex'), '0', 'focusable');
    const label = await c.getAttribute('aria-label');
    assert(label && /timeline/i.test(label), `aria-label ${JSON.stringify(label)}`);
    const help = await c.getAttribute('aria-describedby');
    assert(help && (await page.locator(`#${help}`).textContent()).includes('Home'), 'described by the keyboard help');

    const store = (p) => p.evaluate(() => {
      const c = document.querySelector('canvas#timeline');
      return { w: c.width, h: c.height, cw: c.clientWidth, ch: c.clientHeight, dpr: devicePixelRatio };
    });
    const check = async (p, what) => {
      await p.waitForFunction(() => {
        const c = document.querySelector('canvas#timeline');
        return c.width === Math.round(c.clientWidth * devicePixelRatio) && c.height === Math.round(c.clientHeight * devicePixelRatio);
      }, null, { timeout: 3000 }).catch(() => {});
      const s = await store(p);
      expect(s.w, `${what}: backing width (${JSON.stringify(s)})`).toBe(Math.round(s.cw * s.dpr));
      expect(s.h, `${what}: backing height (${JSON.stringify(s)})`).toBe(Math.round(s.ch * s.dpr));
      await canvasNotBlank(p, 'canvas#timeline', { minColors: 6, minPixels: 1000 });
      return s;
    };
    const s0 = await check(page, '1280×800');
    await page.setViewportSize({ width: 800, height: 700 });
    const s1 = await check(page, 'resized to 800×700');
    assert(s1.cw < s0.cw, `canvas narrower after the resize: ${s0.cw} → ${s1.cw}`);

    const hi = await ctx.newPage({ viewport: { width: 1024, height: 768 }, deviceScaleFactor: 2 });
    await gotoApp(hi, baseURL);
    const s2 = await check(hi, 'DPR 2');
    assert.equal(s2.dpr, 2, 'devicePixelRatio');
    await hi.setViewportSize({ width: 700, height: 768 });
    const s3 = await check(hi, 'DPR 2 resized');
    assert(s3.cw < s2.cw, 'narrower');
    // A mark is still where the hook says: hovering it shows its tooltip at DPR 2.
    const e = byId('diplomatic-relations-1948');
    const m = await markOnPage(hi, e.id);
    assert(m, 'mark on screen');
    await hi.mouse.move(m.x, m.y);
    await hi.locator('#timeline-tooltip').waitFor({ state: 'visible', timeout: 2000 });
    assert.match((await hi.locator('#timeline-tooltip .tt-title').textContent()).trim(), new RegExp(`^${e.title}( \\(\\+\\d+ more here; click to zoom in\\))?$`), 'tooltip at DPR 2');
    await ctx.screenshot(hi, 'timeline-dpr2');
  },
};
