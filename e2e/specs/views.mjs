// Foundation: the page, the charts and their source lines, the events table and its sorting,
// the dark theme and a 360 px wide phone. Expected values come from data/*.json, read here.

import { assert, canvasNotBlank, expect, gotoApp } from '../lib.mjs';
import { core } from '../engines/core.mjs';
import { data, EVENTS, SERIES, STUDENTS, parseDate, cmpDate, BY_DATE, sourceShort, citeText, tableIds } from '../data.mjs';

// ---------------------------------------------------------------- the data, read in node


const CATEGORIES = [
  ['diplomatic', 'Diplomatic'],
  ['alignment', 'Political alignment'],
  ['military', 'Military & defence'],
  ['economic', 'Economy & energy'],
  ['social', 'Society, culture & education'],
  ['humanitarian', 'Humanitarian aid'],
  ['crisis', 'Crisis & conflict'],
];
const CATEGORY_LABELS = CATEGORIES.map(([, label]) => label);



// ---------------------------------------------------------------- page helpers

const tableCategories = (page) => page.$$eval('table.events tbody tr[data-event-id] td.cat', (cs) => cs.map((c) => c.textContent.trim()));
const ariaSort = (page, label) =>
  page.$$eval('table.events thead th', (ths, label) => {
    const th = ths.find((t) => t.querySelector('button.sort') && t.querySelector('button.sort').textContent.includes(label));
    return th ? th.getAttribute('aria-sort') : null;
  }, label);
const clickSort = (page, label) => page.locator('table.events thead button.sort', { hasText: label }).click();

/** The most common colour of a canvas (its background), as [r, g, b, a]. */
const dominantColour = (page, sel) =>
  page.evaluate((sel) => {
    const c = document.querySelector(sel);
    const copy = document.createElement('canvas');
    copy.width = c.width;
    copy.height = c.height;
    const g = copy.getContext('2d', { willReadFrequently: true });
    g.drawImage(c, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    const counts = new Map();
    for (let i = 0; i < d.length; i += 4 * 7) {
      const k = `${d[i]},${d[i + 1]},${d[i + 2]},${d[i + 3]}`;
      counts.set(k, (counts.get(k) || 0) + 1);
    }
    let best = null;
    for (const [k, n] of counts) if (!best || n > best[1]) best = [k, n];
    return best[0];
  }, sel);

const CANVASES = ['#timeline', '#map', '#trade-chart', '#students-chart'];

// ---------------------------------------------------------------- tests

export const tests = {
  'page loads with the header and both charts drawn and cited': core(async ({ page, baseURL, ctx }) => {
    await gotoApp(page, baseURL);
    const h1 = page.locator('header h1');
    assert.equal(await h1.count(), 1, 'one h1 in the header');
    assert.equal((await h1.textContent()).trim(), 'Pakistan–Russia Relations Atlas', 'header');
    assert.includes(await page.locator('header .tagline').textContent(), `${EVENTS.length} dated events`, 'tagline counts the events');

    for (const sel of ['#trade-chart', '#students-chart']) {
      await canvasNotBlank(page, sel, { minColors: 4, minPixels: 1000 });
      const label = await page.getAttribute(sel, 'aria-label');
      assert(label && label.length > 40, `${sel} has a text description (aria-label), got ${JSON.stringify(label)}`);
    }

    // Trade: every citation of every USD-million figure, with its locator (§4.3 ...).
    const trade = (await page.locator('figure:has(#trade-chart) figcaption.source-line').textContent()).replace(/\s+/g, ' ');
    const tradeCites = new Set(SERIES.filter((s) => s.unit === 'USD million').flatMap((s) => s.points.map((p) => citeText(p.source))));
    assert.atLeast(tradeCites.size, 1, 'USD million series in data/series.json');
    for (const c of tradeCites) assert.includes(trade, c, 'trade chart source line');
    assert.includes(trade, '§4.3', 'trade chart source line names its locator');

    // Students: Table 2, its row range, and whom it cites.
    const students = (await page.locator('figure:has(#students-chart) figcaption.source-line').textContent()).replace(/\s+/g, ' ');
    const rows = STUDENTS.map((r) => r.row);
    const first = STUDENTS[0].source;
    assert.includes(students, `${sourceShort(first.source)}, Table 2, rows ${Math.min(...rows)}–${Math.max(...rows)}`, 'students chart source line');
    if (first.cited_in) assert.includes(students, `citing ${first.cited_in}`, 'students chart source line');

    // The description of the students chart carries every row's figure.
    const desc = await page.getAttribute('#students-chart', 'aria-label');
    for (const r of STUDENTS) assert.includes(desc, `${r.university_as_written}: ${r.students}`, 'students chart description');
    await ctx.screenshot('views-charts');
  }),

  'the events table lists every event of data/events.json': async ({ page, baseURL }) => {
    await gotoApp(page, baseURL);
    const ids = await tableIds(page);
    assert.equal(ids.length, EVENTS.length, 'table rows');
    assert.deepEqual([...ids].sort(), EVENTS.map((e) => e.id).sort(), 'row ids');
    // Default order: date order.
    assert.deepEqual(ids, BY_DATE.map((e) => e.id), 'rows in date order');
    assert.equal((await page.locator('p.table-count').textContent()).trim(), `${EVENTS.length} of ${EVENTS.length} events shown`, 'count line');
    // Each row shows the title and the category label of its event.
    const first = BY_DATE[0];
    const row = page.locator(`tr[data-event-id="${first.id}"]`);
    assert.equal((await row.locator('button.event-link').textContent()).trim(), first.title, 'title in the row');
    const cat = CATEGORIES.find(([k]) => k === first.category)[1];
    assert.equal((await row.locator('td.cat').textContent()).trim(), cat, 'category in the row');
  },

  'sorting by date and by category': async ({ page, baseURL, ctx }) => {
    await gotoApp(page, baseURL);
    const asc = BY_DATE.map((e) => e.id);
    assert.equal(await ariaSort(page, 'Date'), 'ascending', 'Date aria-sort at load');
    assert.equal(await ariaSort(page, 'Category'), 'none', 'Category aria-sort at load');

    // Category: rows grouped in the category order, date order inside each group.
    await clickSort(page, 'Category');
    assert.equal(await ariaSort(page, 'Category'), 'ascending', 'Category aria-sort after a click');
    assert.equal(await ariaSort(page, 'Date'), 'none', 'Date aria-sort after sorting by category');
    const cats = await tableCategories(page);
    const groups = cats.filter((c, i) => i === 0 || c !== cats[i - 1]);
    const present = CATEGORY_LABELS.filter((l) => EVENTS.some((e) => CATEGORIES.find(([k]) => k === e.category)[1] === l));
    assert.deepEqual(groups, present, 'category groups in order (each group once)');
    const expectedByCat = CATEGORIES.flatMap(([k]) => BY_DATE.filter((e) => e.category === k).map((e) => e.id));
    assert.deepEqual(await tableIds(page), expectedByCat, 'date order within each category');
    await ctx.screenshot('views-sorted-by-category');

    // Category again: descending, the groups reversed.
    await clickSort(page, 'Category');
    assert.equal(await ariaSort(page, 'Category'), 'descending', 'Category aria-sort after a second click');
    const catsDesc = await tableCategories(page);
    assert.deepEqual(catsDesc.filter((c, i) => i === 0 || c !== catsDesc[i - 1]), [...present].reverse(), 'category groups reversed');

    // Date: ascending first, then the second click reverses (latest event first).
    await clickSort(page, 'Date');
    assert.equal(await ariaSort(page, 'Date'), 'ascending', 'Date aria-sort after a click');
    assert.equal(await ariaSort(page, 'Category'), 'none', 'Category aria-sort after sorting by date');
    assert.deepEqual(await tableIds(page), asc, 'date order');
    await clickSort(page, 'Date');
    assert.equal(await ariaSort(page, 'Date'), 'descending', 'Date aria-sort after a second click');
    const desc = await tableIds(page);
    assert.equal(desc[0], BY_DATE[BY_DATE.length - 1].id, 'first row is the latest event');
    assert.equal(desc[desc.length - 1], BY_DATE[0].id, 'last row is the earliest event');
    const latest = BY_DATE[BY_DATE.length - 1];
    const firstRow = page.locator('table.events tbody tr[data-event-id]').first();
    assert.equal((await firstRow.locator('button.event-link').textContent()).trim(), latest.title, 'first row shows the latest title');
    // Only equal dates may keep their relative order; everything else is reversed.
    const keyOf = new Map(EVENTS.map((e) => [e.id, parseDate(e.date)]));
    for (let i = 1; i < desc.length; i++) {
      assert(cmpDate(keyOf.get(desc[i - 1]), keyOf.get(desc[i])) >= 0, `descending order broken at row ${i + 1}: ${desc[i - 1]} before ${desc[i]}`);
    }
    await ctx.screenshot('views-sorted-by-date-desc');
  },

  'dark theme: charts drawn on a dark background': async ({ page, baseURL, ctx }) => {
    await gotoApp(page, baseURL);
    const dark = await ctx.newPage({ colorScheme: 'dark' });
    await gotoApp(dark, baseURL);
    const lum = (rgb) => {
      const [r, g, b] = rgb.match(/\d+(\.\d+)?/g).map(Number);
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const bodyLight = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const bodyDark = await dark.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.notEqual(bodyDark, bodyLight, 'page background differs between themes');
    assert(lum(bodyDark) < lum(bodyLight), `dark page background ${bodyDark} is darker than light ${bodyLight}`);
    for (const sel of CANVASES) {
      await canvasNotBlank(dark, sel, { minColors: 4, minPixels: 1000 });
      const bgLight = await dominantColour(page, sel);
      const bgDark = await dominantColour(dark, sel);
      assert.notEqual(bgDark, bgLight, `${sel} background differs between themes`);
      assert(lum(bgDark) < lum(bgLight), `${sel}: dark background ${bgDark} is darker than light ${bgLight}`);
    }
    await dark.locator('#trade-chart').scrollIntoViewIfNeeded();
    await ctx.screenshot(dark, 'views-dark-charts');
  },

  '360 px wide: no sideways scrolling, canvases drawn': async ({ baseURL, ctx }) => {
    const phone = await ctx.newPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await gotoApp(phone, baseURL);
    const overflow = await phone.evaluate(() => ({
      doc: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      body: document.body.scrollWidth - document.body.clientWidth,
      // Elements (outside scroll containers) reaching past the right edge.
      wide: [...document.querySelectorAll('body *')]
        .filter((el) => {
          for (let p = el.parentElement; p; p = p.parentElement) {
            const o = getComputedStyle(p).overflowX;
            if (o === 'auto' || o === 'scroll' || o === 'hidden') return false;
          }
          const r = el.getBoundingClientRect();
          return r.width > 0 && r.right > document.documentElement.clientWidth + 0.5;
        })
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''}`),
    }));
    assert.atMost(overflow.doc, 0, 'horizontal page overflow at 360 px (px)');
    assert.atMost(overflow.body, 0, 'horizontal body overflow at 360 px (px)');
    assert.deepEqual(overflow.wide, [], 'elements wider than the 360 px screen');
    // The events table shows a header for each column it shows, and no header without cells.
    const cols = await phone.evaluate(() => {
      const shown = (el) => getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().width > 0;
      const ths = [...document.querySelectorAll('table.events thead th')].filter(shown).map((t) => t.textContent.trim());
      const tds = [...document.querySelector('table.events tbody tr').children].filter(shown).length;
      return { ths, tds };
    });
    assert.equal(cols.ths.length, cols.tds, `table headers shown (${cols.ths.join(' | ')}) match the cells shown per row`);
    for (const sel of CANVASES) {
      const s = await canvasNotBlank(phone, sel, { minColors: 4, minPixels: 500 });
      const css = await phone.evaluate((sel) => document.querySelector(sel).clientWidth, sel);
      assert.atMost(css, 360, `${sel} CSS width`);
      expect(s.width, `${sel} backing store at DPR 2`).toBe(css * 2);
    }
    await ctx.screenshot(phone, 'views-360', { fullPage: true });
  },

  'printing shows the selected event with its citations and the charts, not the controls': core(async ({ page, baseURL, ctx }) => {
    const e = BY_DATE.find((x) => x.sources.length > 1) || BY_DATE[0];
    await gotoApp(page, baseURL, `?e=${e.id}`);
    await page.emulateMedia({ media: 'print' });
    const shown = (sel) => page.locator(sel).first().evaluate((el) => {
      const r = el.getBoundingClientRect();
      return getComputedStyle(el).display !== 'none' && r.width > 0 && r.height > 0;
    });
    assert.equal((await page.locator('#detail-h').textContent()).trim(), e.title, 'detail panel title');
    assert(await shown('#detail'), 'detail panel printed');
    assert.equal(await page.locator('#detail ol.citations li').count(), e.sources.length, 'every citation printed');
    for (const sel of ['#trade-chart', '#students-chart']) assert(await shown(sel), `${sel} printed`);
    for (const sel of ['.filter-bar', '.share-panel', '.timeline-tools', 'table.events']) assert(!(await shown(sel)), `${sel} not printed`);
    // A4 at 96 dpi is 794 px wide: nothing printed may be wider than the page.
    await page.setViewportSize({ width: 794, height: 1123 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.atMost(overflow, 0, 'printed page overflow (px)');
    const pdf = await page.pdf({ format: 'A4' });
    assert.atLeast(pdf.length, 10_000, 'PDF bytes');
    await ctx.screenshot('views-print');
  }, {
    firefox: 'Firefox ESR 153 over WebDriver BiDi cannot emulate print media (its PDF printing works, but the test reads the print layout from computed styles)',
    webkit: 'WebDriver classic has no print-media emulation',
  }),
};
