// The map: drawn, tooltips on places and countries, the place filter, the selected event's
// places highlighted, Play through the years, keyboard control and the text alternative.
// Expected values come from data/*.json.

import { assert, canvasNotBlank, gotoApp, loadPage, sleep } from '../lib.mjs';
import { core } from '../engines/core.mjs';
import { data, EVENTS, PLACES, STUDENTS, dateLabel, BY_DATE, atPlace, tableIds, frames } from '../data.mjs';

// ---------------------------------------------------------------- the data, read in node

const place = (id) => {
  const p = PLACES.find((x) => x.id === id);
  assert(p, `place ${id} in data/places.json`);
  return p;
};


const eventsAt = (id) => BY_DATE.filter((e) => atPlace(e, id));
const countLine = (n) => `${n} event${n === 1 ? '' : 's'}`;
/** Cities and sites: the places with a marker and an entry in the text alternative. */
const MARKERS = PLACES.filter((p) => p.kind === 'city' || p.kind === 'site');

// ---------------------------------------------------------------- page helpers

// Where a place is drawn: read after the next frame (a move is drawn at the next animation frame).
const mapPoint = (page, id) =>
  page.evaluate(
    (id) => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(window.__atlasTest.mapPoint(id))))),
    id,
  );
async function onPage(page, id) {
  const p = await mapPoint(page, id);
  assert(p, `mapPoint(${id})`);
  // Pointer events only reach what is in the viewport.
  await page.locator('canvas#map').scrollIntoViewIfNeeded();
  const box = await page.locator('canvas#map').boundingBox();
  const vp = page.viewportSize();
  assert(box.y >= 0 && box.y + box.height <= vp.height, `map fully in the viewport: ${JSON.stringify(box)}`);
  assert(p.x > 0 && p.y > 0 && p.x < box.width && p.y < box.height, `${id} inside the map (${p.x}, ${p.y}) of ${box.width}×${box.height}`);
  return { x: box.x + p.x, y: box.y + p.y };
}
const tableCount = (page) => page.locator('table.events tbody tr[data-event-id]').count();
const dist = (a, b) => Math.hypot(a.x - b.x, a.y - b.y);

async function tooltip(page) {
  const tip = page.locator('#map-tooltip');
  await tip.waitFor({ state: 'visible', timeout: 2000 });
  return {
    title: (await tip.locator('.tt-title').textContent()).trim(),
    lines: (await tip.locator('.tt-cat').allTextContents()).map((s) => s.trim()),
  };
}

// ---------------------------------------------------------------- tests

export const tests = {
  'the map is drawn; tooltips name places and countries': async ({ page, baseURL, ctx }) => {
    await gotoApp(page, baseURL);
    await canvasNotBlank(page, 'canvas#map', { minColors: 8, minPixels: 5000 });
    const c = page.locator('canvas#map');
    assert.equal(await c.getAttribute('role'), 'application', 'map role');
    assert(/map/i.test((await c.getAttribute('aria-label')) || ''), 'map aria-label');

    const k = await onPage(page, 'karachi');
    await page.mouse.move(k.x, k.y);
    const t = await tooltip(page);
    assert.equal(t.title, 'Karachi', 'tooltip over Karachi');
    assert.includes(t.lines, countLine(eventsAt('karachi').length), 'Karachi event count');
    await ctx.screenshot('map-tooltip-karachi');

    // Moscow also carries the Table 2 students of its universities.
    const students = STUDENTS.filter((r) => r.city === 'moscow').reduce((s, r) => s + r.students, 0);
    const m = await onPage(page, 'moscow');
    await page.mouse.move(m.x, m.y);
    const tm = await tooltip(page);
    assert.equal(tm.title, 'Moscow', 'tooltip over Moscow');
    assert.includes(tm.lines, countLine(eventsAt('moscow').length), 'Moscow event count');
    assert.includes(tm.lines, `${students} Pakistani students (Table 2)`, 'Moscow students');

    // A country's area (away from any marker) shows the country's name.
    for (const id of ['afghanistan', 'russia']) {
      const p = await onPage(page, id);
      await page.mouse.move(p.x, p.y);
      const tc = await tooltip(page);
      assert.equal(tc.title, place(id).name, `tooltip over ${id}'s area`);
      assert.includes(tc.lines, countLine(eventsAt(id).length), `${id} event count`);
    }
    // Near the right edge the tooltip opens to the left: inside the viewport, page not widened.
    // (Zoomed in twice, so that land reaches the right edge whatever the canvas's shape: on a
    // wide, short canvas the home view ends in the Pacific.)
    await page.locator('#map-zoom-in').click();
    await page.locator('#map-zoom-in').click();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const box = await page.locator('canvas#map').boundingBox();
    let found = false;
    for (const fy of [0.1, 0.2, 0.3, 0.5, 0.7]) {
      await page.mouse.move(box.x + box.width - 4, box.y + box.height * fy);
      found = await page.locator('#map-tooltip').waitFor({ state: 'visible', timeout: 500 }).then(() => true, () => false);
      if (found) break;
    }
    assert(found, 'a country at the right edge of the map has a tooltip');
    const tb = await page.locator('#map-tooltip').boundingBox();
    assert(tb.x + tb.width <= page.viewportSize().width, `tooltip at the right edge inside the viewport: ${JSON.stringify(tb)}`);
    assert.atMost(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, 'page overflow while hovering the right edge (px)');
    // Open sea: no tooltip.
    await page.mouse.move(5, 5);
    await page.locator('#map-tooltip').waitFor({ state: 'detached', timeout: 2000 });
  },

  'clicking a place filters the timeline and the table to its events': async ({ page, baseURL, ctx }) => {
    await gotoApp(page, baseURL);
    assert.equal(await tableCount(page), EVENTS.length, 'all rows at load');
    assert.equal(await page.locator('p.place-filter').count(), 0, 'no place filter at load');
    const want = eventsAt('karachi');
    assert(want.length > 0 && want.length < EVENTS.length, 'Karachi has some events');
    const k = await onPage(page, 'karachi');
    await page.mouse.click(k.x, k.y);
    await page.locator('p.place-filter').waitFor({ timeout: 2000 });
    assert.includes(await page.locator('p.place-filter').textContent(), 'Karachi', 'place filter names the place');
    assert.deepEqual(await tableIds(page), want.map((e) => e.id), 'table shows Karachi\'s events');
    assert.equal((await page.locator('p.table-count').textContent()).trim(), `${want.length} of ${EVENTS.length} events shown`, 'count line');
    // The timeline's keyboard walk covers only Karachi's events too.
    await page.focus('canvas#timeline');
    await page.keyboard.press('Home');
    assert.equal((await page.locator('#detail-h').textContent()).trim(), want[0].title, 'timeline Home: first Karachi event');
    await page.keyboard.press('End');
    assert.equal((await page.locator('#detail-h').textContent()).trim(), want[want.length - 1].title, 'timeline End: last Karachi event');
    await ctx.screenshot('map-place-filter');

    await page.locator('#clear-place').click();
    assert.equal(await page.locator('p.place-filter').count(), 0, 'place filter gone');
    assert.equal(await tableCount(page), EVENTS.length, 'all rows back');
  },

  'the selected event\'s places are highlighted': async ({ page, baseURL }) => {
    await gotoApp(page, baseURL);
    const hl = () => page.evaluate(() => window.__atlasTest.mapHighlighted());
    assert(!(await hl()).includes('moscow'), 'Moscow not highlighted before a selection');
    const atMoscow = BY_DATE.find((e) => (e.places || []).includes('moscow'));
    assert(atMoscow, 'an event at Moscow');
    await page.locator(`tr[data-event-id="${atMoscow.id}"] button.event-link`).click();
    await frames(page);
    const h = await hl();
    assert.includes(h, 'moscow', `highlighted after selecting ${atMoscow.id}`);
    for (const p of atMoscow.places) if (MARKERS.some((m) => m.id === p)) assert.includes(h, p, `${p} highlighted`);
    // Another event elsewhere: Moscow no longer highlighted.
    const elsewhere = BY_DATE.find((e) => (e.places || []).includes('karachi') && !(e.places || []).includes('moscow'));
    await page.locator(`tr[data-event-id="${elsewhere.id}"] button.event-link`).click();
    const h2 = await hl();
    assert.includes(h2, 'karachi', `Karachi highlighted for ${elsewhere.id}`);
    assert(!h2.includes('moscow'), `Moscow not highlighted for ${elsewhere.id}: ${JSON.stringify(h2)}`);
    await canvasNotBlank(page, 'canvas#map', { minColors: 8, minPixels: 5000 });
  },

  'Play walks through the years, Pause stops': async ({ page, baseURL, ctx }) => {
    await gotoApp(page, baseURL);
    const play = page.locator('#play');
    const year = () => page.locator('#play-year').textContent().then((s) => s.trim());
    const rangeText = () => page.locator('#timeline-range').textContent().then((s) => s.trim());
    assert.equal(await play.getAttribute('aria-pressed'), 'false', 'not playing at load');
    assert.match(await year(), /^Years 1946–2028$/, 'play-year at load');
    await play.click();
    assert.equal(await play.getAttribute('aria-pressed'), 'true', 'playing');
    assert.equal((await play.textContent()).trim(), 'Pause', 'button says Pause');
    const start = await year();
    const startRange = await rangeText();
    await page.waitForFunction((s) => document.querySelector('#play-year').textContent.trim() !== s, start, { timeout: 4000 }).catch(() => {});
    const next = await year();
    assert.notEqual(next, start, 'the years advance within 4 s');
    const [, a0] = start.match(/(\d{4})–/);
    const [, a1] = next.match(/(\d{4})–/);
    assert(Number(a1) > Number(a0), `forwards: ${start} → ${next}`);
    assert.notEqual(await rangeText(), startRange, 'the timeline range moves too');
    await play.click();
    assert.equal(await play.getAttribute('aria-pressed'), 'false', 'paused');
    assert.equal((await play.textContent()).trim(), 'Play', 'button says Play');
    const paused = await year();
    await sleep(2500);
    assert.equal(await year(), paused, 'no change while paused');
    await ctx.screenshot('map-paused');
  },

  'keyboard: N/P cycle places, Enter filters, Esc clears, +/− zoom': core(async ({ page, baseURL }) => {
    await gotoApp(page, baseURL);
    await page.focus('canvas#map');
    await page.keyboard.press('n');
    assert.equal((await tooltip(page)).title, MARKERS[0].name, 'N: the first place');
    await page.keyboard.press('n');
    assert.equal((await tooltip(page)).title, MARKERS[1].name, 'N again: the second place');
    await page.keyboard.press('p');
    assert.equal((await tooltip(page)).title, MARKERS[0].name, 'P: back to the first');
    await page.keyboard.press('p');
    assert.equal((await tooltip(page)).title, MARKERS[MARKERS.length - 1].name, 'P wraps to the last');
    await page.keyboard.press('n');
    await page.keyboard.press('n');
    const chosen = MARKERS[1];
    const t = await tooltip(page);
    assert.equal(t.title, chosen.name, 'back on the second place');
    assert.includes(t.lines, countLine(eventsAt(chosen.id).length), 'its event count');
    await page.keyboard.press('Enter');
    await page.locator('p.place-filter').waitFor({ timeout: 2000 });
    assert.includes(await page.locator('p.place-filter').textContent(), chosen.name, 'Enter applies the place filter');
    assert.equal(await tableCount(page), eventsAt(chosen.id).length, 'table rows for the place');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('p.place-filter').count(), 0, 'Esc clears the place filter');
    assert.equal(await tableCount(page), EVENTS.length, 'all rows back');
    assert.equal(await page.locator('#map-tooltip').count(), 0, 'Esc hides the tooltip');

    const d0 = dist(await mapPoint(page, 'karachi'), await mapPoint(page, 'moscow'));
    await page.keyboard.press('+');
    const d1 = dist(await mapPoint(page, 'karachi'), await mapPoint(page, 'moscow'));
    assert(d1 > d0 * 1.2, `+ zooms in: ${d0.toFixed(0)} → ${d1.toFixed(0)} px`);
    // Arrows pan (zoomed in, so there is room): every place moves by the same amount.
    const k0 = await mapPoint(page, 'karachi');
    const m0 = await mapPoint(page, 'moscow');
    await page.keyboard.press('ArrowLeft');
    const k1 = await mapPoint(page, 'karachi');
    const m1 = await mapPoint(page, 'moscow');
    assert(k1.x > k0.x + 20 && Math.abs(k1.y - k0.y) < 1, `ArrowLeft pans: ${JSON.stringify(k0)} → ${JSON.stringify(k1)}`);
    assert(Math.abs(k1.x - k0.x - (m1.x - m0.x)) < 1, 'the whole map moves together');
    await page.keyboard.press('ArrowUp');
    const k2 = await mapPoint(page, 'karachi');
    assert(k2.y > k1.y + 20, `ArrowUp pans: ${k1.y} → ${k2.y}`);
    await page.keyboard.press('-');
    await page.keyboard.press('-');
    const d2 = dist(await mapPoint(page, 'karachi'), await mapPoint(page, 'moscow'));
    assert(d2 < d1 / 1.2, `− zooms out: ${d1.toFixed(0)} → ${d2.toFixed(0)} px`);
    await page.keyboard.press('0');
    const d3 = dist(await mapPoint(page, 'karachi'), await mapPoint(page, 'moscow'));
    assert(Math.abs(d3 - d0) < 1, `0 resets the zoom: ${d0.toFixed(1)} vs ${d3.toFixed(1)}`);
    await frames(page);
    await canvasNotBlank(page, 'canvas#map', { minColors: 8, minPixels: 5000 });
  }),

  // Off the screen, the map's first drawing comes in tasks of its own after the first frame; the
  // page answers keys before it. Holding back the page's timeouts for 2 s after the app has started keeps
  // the map undrawn while the keys are pressed.
  'keyboard: keys pressed before the first drawing show the tooltip and move the map': async ({ ctx, baseURL }) => {
    // Phone-sized: the map is below the first screen, so its first drawing is a task of its own
    // (on the screen it is drawn in the frame that first shows it).
    const page = await ctx.newPage({ viewport: { width: 412, height: 823 } });
    await page.addInitScript(() => {
      const later = window.setTimeout.bind(window);
      let until = 0;
      // Timeouts are held for 2 s from the moment the map's canvas is mounted (the page is
      // mounted a part a task, each part a timeout): its first drawing is one of them.
      new MutationObserver((_, seen) => {
        if (!document.querySelector('canvas#map')) return;
        until = performance.now() + 2000;
        seen.disconnect();
      }).observe(document, { childList: true, subtree: true });
      window.setTimeout = (f, ms, ...rest) => later(f, Math.max(ms || 0, until - performance.now()), ...rest);
    });
    // Not gotoApp: the app's ready mark waits for the first drawings.
    await loadPage(page, baseURL);
    await page.waitForFunction(() => document.querySelector('canvas#map') && !document.getElementById('prerender'), null, { timeout: 30_000 });
    await frames(page); // the canvas's size is reported
    const undrawn = () => page.evaluate(() => {
      const c = document.querySelector('canvas#map');
      return c.width === 300 && c.height === 150;
    });
    assert(await undrawn(), 'before the keys, the map is not drawn yet (its canvas is at its default size)');
    await page.focus('canvas#map');
    await page.keyboard.press('n');
    assert.equal((await tooltip(page)).title, MARKERS[0].name, 'N: the first place, before the drawing');
    await page.keyboard.press('+');
    assert(await undrawn(), 'the keys came before the first drawing');
    await page.waitForFunction(() => document.querySelector('canvas#map').width !== 300, null, { timeout: 10_000 });
    await page.waitForFunction(() => new URL(location.href).searchParams.has('m'), null, { timeout: 5000 })
      .catch(() => assert(false, `+ set no map view in the address: ${page.url()}`));
    const zoomed = dist(await mapPoint(page, 'karachi'), await mapPoint(page, 'moscow'));
    await page.keyboard.press('0');
    const home = dist(await mapPoint(page, 'karachi'), await mapPoint(page, 'moscow'));
    assert(zoomed > home * 1.2, `the first drawing is zoomed in: ${zoomed.toFixed(0)} px against ${home.toFixed(0)} px at home`);
    await canvasNotBlank(page, 'canvas#map', { minColors: 8, minPixels: 5000 });
  },

  'the text alternative lists every city and site with its events': async ({ page, baseURL }) => {
    await gotoApp(page, baseURL);
    const details = page.locator('details.map-text');
    await details.locator('summary').click();
    assert.equal(await details.evaluate((d) => d.open), true, 'details open');
    const items = await details.evaluate((d) =>
      [...d.querySelectorAll(':scope > ul > li')].map((li) => ({
        name: li.querySelector('button').textContent.trim(),
        text: li.firstChild && li.textContent.replace(/\s+/g, ' ').trim(),
        events: [...li.querySelectorAll('ul > li')].map((x) => x.textContent.trim()),
      })),
    );
    assert.deepEqual(items.map((i) => i.name), MARKERS.map((p) => p.name), 'one entry per city and site');
    for (const p of MARKERS) {
      const item = items.find((i) => i.name === p.name);
      const evs = eventsAt(p.id);
      assert.includes(item.text, `${p.name} — ${countLine(evs.length)}`, `${p.id}: count`);
      assert.deepEqual(item.events, evs.map((e) => `${dateLabel(e)}: ${e.title}`), `${p.id}: events`);
      const students = STUDENTS.filter((r) => r.city === p.id).reduce((s, r) => s + r.students, 0);
      if (students) assert.includes(item.text, `${students} Pakistani students`, `${p.id}: students`);
    }
    // Every event with a city or site is listed somewhere.
    const listed = new Set(items.flatMap((i) => i.events));
    for (const e of EVENTS) {
      if (MARKERS.some((p) => atPlace(e, p.id))) assert(listed.has(`${dateLabel(e)}: ${e.title}`), `${e.id} listed`);
    }
    // Its buttons apply the place filter like a click on the map.
    await details.locator('button', { hasText: 'Karachi' }).click();
    assert.includes(await page.locator('p.place-filter').textContent(), 'Karachi', 'filter from the text alternative');
    assert.equal(await tableCount(page), eventsAt('karachi').length, 'rows');
  },
};
