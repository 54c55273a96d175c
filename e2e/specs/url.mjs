// The URL mirrors the shareable state: loading a URL restores it (field by field, ignoring what
// is malformed), selections are history entries (back/forward), view changes rewrite the
// current entry after a short debounce.

import { assert, canvasNotBlank, gotoApp, sleep } from '../lib.mjs';
import { core } from '../engines/core.mjs';
import { data, EVENTS, dateLabel, BY_DATE, matchesSearch, tableIds } from '../data.mjs';

// ---------------------------------------------------------------- the data, read in node

const byId = (id) => {
  const e = EVENTS.find((x) => x.id === id);
  assert(e, `event ${id} in data/events.json`);
  return e;
};
const CATEGORY_KEYS = ['diplomatic', 'alignment', 'military', 'economic', 'social', 'humanitarian', 'crisis'];


// ---------------------------------------------------------------- page helpers

const detailTitle = (page) => page.locator('#detail-h').textContent().then((s) => s.trim());
async function range(page) {
  const text = (await page.locator('#timeline-range').textContent()).trim();
  const m = text.match(/^Showing (\d{4}) to (\d{4})$/);
  assert(m, `#timeline-range reads ${JSON.stringify(text)}`);
  return [Number(m[1]), Number(m[2])];
}
const pressed = (page) =>
  page.$$eval('button.toggle[data-category]', (bs) => Object.fromEntries(bs.map((b) => [b.dataset.category, b.getAttribute('aria-pressed')])));
const param = (page, k) => new URL(page.url()).searchParams.get(k);
const waitDetail = (page, title) =>
  page.waitForFunction((t) => document.querySelector('#detail-h').textContent.trim() === t, title, { timeout: 3000 }).catch(() => {});

// ---------------------------------------------------------------- tests

export const tests = {
  'a URL restores the selection, search, categories and range': async ({ page, baseURL, ctx }) => {
    // ?e=
    const e = byId('tashkent-declaration-1966');
    await gotoApp(page, baseURL, `?e=${e.id}`);
    assert.equal(await detailTitle(page), e.title, '?e= opens the event');
    assert.equal((await page.locator('#detail .detail-date').textContent()).trim(), dateLabel(e), 'its date');
    assert.equal(await page.locator(`tr[data-event-id="${e.id}"] button.event-link`).getAttribute('aria-pressed'), 'true', 'its table row');
    assert.equal(param(page, 'e'), e.id, 'the URL keeps e=');

    // ?q=
    await gotoApp(page, baseURL, '?q=Tashkent');
    assert.equal(await page.inputValue('#search'), 'Tashkent', '?q= fills the search box');
    const matching = BY_DATE.filter((x) => matchesSearch(x, 'Tashkent')).map((x) => x.id);
    assert(matching.length > 0 && matching.length < EVENTS.length, 'the search filters');
    assert.deepEqual(await tableIds(page), matching, '?q= filters the table');

    // ?c=
    await gotoApp(page, baseURL, '?c=military,crisis');
    const p = await pressed(page);
    for (const k of CATEGORY_KEYS) assert.equal(p[k], String(k === 'military' || k === 'crisis'), `toggle ${k}`);
    const cats = BY_DATE.filter((x) => x.category === 'military' || x.category === 'crisis').map((x) => x.id);
    assert.deepEqual(await tableIds(page), cats, '?c= shows only those categories');
    const labels = new Set(await page.$$eval('table.events tbody td.cat', (cs) => cs.map((c) => c.textContent.trim())));
    assert.deepEqual([...labels].sort(), ['Crisis & conflict', 'Military & defence'], 'category labels in the table');

    // ?t=
    await gotoApp(page, baseURL, '?t=1960~1970');
    const [a, b] = await range(page);
    assert(Math.abs(a - 1960) <= 1 && Math.abs(b - 1970) <= 1, `?t=1960~1970 shows ${a}–${b}`);
    assert.equal((await page.locator('#timeline-range').textContent()).trim(), 'Showing 1960 to 1970', 'range text');
    await canvasNotBlank(page, 'canvas#timeline', { minColors: 6, minPixels: 1000 });
    await ctx.screenshot('url-range-1960-1970');

    // All at once, with a place.
    await gotoApp(page, baseURL, `?e=${e.id}&q=Tashkent&t=1960~1970&p=tashkent`);
    assert.equal(await detailTitle(page), e.title, 'combined: event');
    assert.equal(await page.inputValue('#search'), 'Tashkent', 'combined: search');
    assert.includes(await page.locator('p.place-filter').textContent(), 'Tashkent', 'combined: place');
  },

  'back and forward move between selections': core(async ({ page, baseURL }) => {
    await gotoApp(page, baseURL);
    const [first, second] = [byId('diplomatic-relations-1948'), byId('tashkent-declaration-1966')];
    const len0 = await page.evaluate(() => history.length);
    await page.locator(`tr[data-event-id="${first.id}"] button.event-link`).click();
    await page.waitForFunction((id) => new URL(location.href).searchParams.get('e') === id, first.id, { timeout: 2000 });
    await page.locator(`tr[data-event-id="${second.id}"] button.event-link`).click();
    await page.waitForFunction((id) => new URL(location.href).searchParams.get('e') === id, second.id, { timeout: 2000 });
    assert.equal(await page.evaluate(() => history.length), len0 + 2, 'each selection is a history entry');

    await page.goBack();
    await waitDetail(page, first.title);
    assert.equal(await detailTitle(page), first.title, 'Back: the first selection');
    assert.equal(param(page, 'e'), first.id, 'Back: URL');
    assert.equal((await page.locator('#announcer').textContent()).trim(), `Selected: ${first.title}, ${dateLabel(first)}`, 'Back: live region');

    await page.goForward();
    await waitDetail(page, second.title);
    assert.equal(await detailTitle(page), second.title, 'Forward: the second selection');
    assert.equal(param(page, 'e'), second.id, 'Forward: URL');

    await page.goBack();
    await page.goBack();
    await waitDetail(page, 'Event details');
    assert.equal(await detailTitle(page), 'Event details', 'Back twice: no selection');
    assert.equal(param(page, 'e'), null, 'Back twice: no e=');
    // Going back did not add entries.
    assert.equal(await page.evaluate(() => history.length), len0 + 2, 'history length after back/forward');
  }),

  'malformed values are ignored field by field': async ({ page, baseURL, ctx }) => {
    await gotoApp(page, baseURL, '?e=%%%&t=abc~&c=nope&m=1,2&q=ok');
    assert.equal(await detailTitle(page), 'Event details', 'no selection from e=%%%');
    const p = await pressed(page);
    for (const k of CATEGORY_KEYS) assert.equal(p[k], 'true', `c=nope ignored: toggle ${k}`);
    assert.deepEqual(await range(page), [1946, 2028], 't=abc~ ignored: full range');
    assert.equal(await page.inputValue('#search'), 'ok', 'q=ok still applies');
    const matching = BY_DATE.filter((x) => matchesSearch(x, 'ok')).map((x) => x.id);
    assert(matching.length > 0 && matching.length < EVENTS.length, 'q=ok filters some events');
    assert.deepEqual(await tableIds(page), matching, 'q=ok filters the table');
    await canvasNotBlank(page, 'canvas#map', { minColors: 8, minPixels: 5000 });
    await canvasNotBlank(page, 'canvas#timeline', { minColors: 6, minPixels: 1000 });
    // The page still works.
    const e = byId(matching[0]);
    await page.locator(`tr[data-event-id="${e.id}"] button.event-link`).click();
    assert.equal(await detailTitle(page), e.title, 'selecting still works');
    await page.waitForFunction((id) => new URL(location.href).searchParams.get('e') === id, e.id, { timeout: 2000 });
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('q'), 'ok', 'q kept in the URL');
    for (const k of ['t', 'c', 'm']) assert.equal(url.searchParams.get(k), null, `malformed ${k}= dropped from the URL`);
    await ctx.screenshot('url-malformed');

    // More garbage: unknown keys, out-of-range years, reversed range, huge zoom.
    await gotoApp(page, baseURL, '?zzz=1&t=2000~1990&m=500,100,1e9&p=nowhere&e=no-such-event&c=crisis,nope&q=%E2%80%93');
    assert.deepEqual(await range(page), [1946, 2028], 'reversed t ignored');
    assert.equal(await page.locator('p.place-filter').count(), 0, 'unknown place ignored');
    assert.equal(await detailTitle(page), 'Event details', 'unknown event ignored');
    const p2 = await pressed(page);
    for (const k of CATEGORY_KEYS) assert.equal(p2[k], String(k === 'crisis'), `c=crisis,nope keeps crisis: ${k}`);
  },

  'panning the timeline writes t= into the URL within a second': async ({ page, baseURL }) => {
    await gotoApp(page, baseURL);
    assert.equal(param(page, 't'), null, 'no t= at the full range');
    await page.locator('#timeline-zoom-in').click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('t'), null, { timeout: 1000 });
    const parse = (t) => t.split('~').map(Number);
    const oldT = param(page, 't');
    const [a0, b0] = parse(oldT);
    const [ra, rb] = await range(page);
    assert(Math.floor(a0) === ra && Math.floor(b0) === rb, `t=${a0}~${b0} agrees with ${ra}–${rb}`);
    const len0 = await page.evaluate(() => history.length);

    const box = await page.locator('canvas#timeline').boundingBox();
    const x = box.x + box.width / 2;
    const y = box.y + box.height - 30;
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let i = 1; i <= 8; i++) await page.mouse.move(x + i * 25, y);
    await page.mouse.up();
    const t0 = Date.now();
    await page.waitForFunction((old) => new URL(location.href).searchParams.get('t') !== old, oldT, { timeout: 1000 }).catch(() => {});
    const t = param(page, 't');
    const [a1, b1] = parse(t);
    assert(a1 !== a0, `t= changed within a second after the pan (${Date.now() - t0} ms): ${a0}~${b0} → ${t}`);
    assert(a1 < a0, `panned to earlier years: ${a0} → ${a1}`);
    assert(Math.abs(b1 - a1 - (b0 - a0)) < 0.01, `span kept in the URL: ${b0 - a0} → ${b1 - a1}`);
    assert.equal(await page.evaluate(() => history.length), len0, 'a view change replaces the history entry');
    // And the URL restores that view.
    const [ra1, rb1] = await range(page);
    await gotoApp(page, baseURL, `?t=${t}`);
    assert.deepEqual(await range(page), [ra1, rb1], 'reloading the URL restores the range');
  },
};
