// Linked views: a change made in one view must show in every view that depends on it. Each test
// makes one change and compares what one view draws (every pixel of a canvas's backing store)
// or shows (the text and the pressed/selected states of a panel) before and after the change,
// and after undoing it.
//
// Which view depends on which change follows the components (src/app/) and what the map draws
// for the app state (src/map_layers.rs): the timeline draws the selection, the hovered mark,
// the visible range and the filters (categories, search, place) as dimmed marks; the map draws
// marker sizes from the events that pass the filters within the visible range, the selection's
// places and links, and the chosen place; the table lists the events that pass the filters and
// marks the selection; the detail panel shows the selection. Not linked, so not tested here:
// the charts (figure series only: they do not mark the visible range) and the map for a
// hovered timeline mark.

import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assert, gotoApp, sleep } from '../lib.mjs';
import { core } from '../engines/core.mjs';
import { EVENTS, frames } from '../data.mjs';

const event = (id) => {
  assert(EVENTS.some((e) => e.id === id), `event ${id} in data/events.json`);
  return id;
};
/** Selected from the table: its place (Tashkent) has a map marker. */
const SELECT = event('tashkent-declaration-1966');
/** Hovered on the timeline: a single mark at the full view. */
const HOVER = event('india-pakistan-tensions-1965');

// ---------------------------------------------------------------- views

/** What each view is, and how to read it: a canvas's pixels or a panel's text and states. */
const VIEWS = {
  timeline: { sel: 'canvas#timeline', canvas: true },
  map: { sel: 'canvas#map', canvas: true },
  table: { sel: 'section.table-panel', canvas: false },
  detail: { sel: '#detail', canvas: false },
};

/** Keeps a copy of what `view` draws or shows now, as `key`, in the page. */
async function snap(page, view, key) {
  const r = await page.evaluate(([sel, isCanvas, key]) => {
    const el = document.querySelector(sel);
    if (!el) return `no element matches ${sel}`;
    const store = (window.__linkingSnaps ??= {});
    (window.__linkingURLs ??= {})[key] = location.search;
    if (isCanvas) {
      const { width, height } = el;
      if (!width || !height) return `${sel} is ${width}×${height}`;
      const copy = document.createElement('canvas');
      copy.width = width;
      copy.height = height;
      const g = copy.getContext('2d', { willReadFrequently: true });
      g.drawImage(el, 0, 0);
      store[key] = { width, height, px: new Uint32Array(g.getImageData(0, 0, width, height).data.buffer) };
    } else {
      // Text plus each element's classes and aria-pressed: a selected row or a pressed
      // button counts, attribute order and empty class attributes do not.
      const states = [...el.querySelectorAll('*')].map((e) => e.tagName + [...e.classList].sort().map((c) => '.' + c).join('') + (e.hasAttribute('aria-pressed') ? `[${e.getAttribute('aria-pressed')}]` : ''));
      store[key] = { text: el.innerText + '\n' + states.join(' ') };
    }
    return null;
  }, [VIEWS[view].sel, VIEWS[view].canvas, key]);
  assert(!r, `snapshot of ${view}: ${r}`);
}

/** How snapshots `a` and `b` differ: { same, what } (for a canvas, the count of pixels that differ). */
const compare = (page, a, b) =>
  page.evaluate(([a, b]) => {
    const { [a]: x, [b]: y } = window.__linkingSnaps;
    if (x.text !== undefined) return { same: x.text === y.text, what: x.text === y.text ? 'same text and states' : 'text or states differ' };
    if (x.width !== y.width || x.height !== y.height) return { same: false, what: `size ${x.width}×${x.height} → ${y.width}×${y.height}` };
    let n = 0;
    const box = [Infinity, Infinity, -1, -1];
    for (let i = 0; i < x.px.length; i++) {
      if (x.px[i] === y.px[i]) continue;
      n++;
      const [px, py] = [i % x.width, Math.floor(i / x.width)];
      box[0] = Math.min(box[0], px);
      box[1] = Math.min(box[1], py);
      box[2] = Math.max(box[2], px);
      box[3] = Math.max(box[3], py);
    }
    return { same: n === 0, what: `${n} of ${x.px.length} pixels differ${n ? `, within x ${box[0]}–${box[2]}, y ${box[1]}–${box[3]} of ${x.width}×${x.height}` : ''}` };
  }, [a, b]);

/** Where `dump` writes snapshot `key` of `view`. */
const shot = (ctx, prefix, view, key) => join(ctx.outDir, `${prefix}-linking-${ctx.engine || 'chromium'}-${view}-${key}.png`);

/**
 * After a failed comparison: the snapshots `keys` of a canvas view as PNGs in the test output
 * (`<prefix>-linking-<engine>-<view>-<key>.png`), and the page's address at each, for the message.
 */
async function dump(page, ctx, view, keys, prefix = 'FAIL') {
  const got = await page.evaluate((keys) => {
    const out = {};
    for (const k of keys) {
      const s = window.__linkingSnaps[k];
      const url = window.__linkingURLs[k];
      if (!s || !s.px) {
        out[k] = { url };
        continue;
      }
      const c = document.createElement('canvas');
      c.width = s.width;
      c.height = s.height;
      c.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(s.px.buffer), s.width, s.height), 0, 0);
      out[k] = { url, png: c.toDataURL('image/png') };
    }
    return out;
  }, keys);
  const said = [];
  for (const [k, { url, png }] of Object.entries(got)) {
    if (png && ctx?.outDir) writeFileSync(shot(ctx, prefix, view, k), Buffer.from(png.split(',')[1], 'base64'));
    said.push(`${k}: ${url === '' ? '(no query)' : url}`);
  }
  return said.join('; ');
}

/** Waits until redraws are done: two frames, the map's pan-settle redraw (150 ms), two frames. */
async function settle(page) {
  await frames(page);
  await sleep(300);
  await frames(page);
}

// ---------------------------------------------------------------- changes

const press = (selector, ...keys) => async (page) => {
  await page.focus(selector);
  for (const k of keys) await page.keyboard.press(k);
};
const click = (selector) => (page) => page.locator(selector).click();

/** Where an event's mark is on the page (it must be on screen). */
async function markOnPage(page, id) {
  const m = await page.evaluate((id) => window.__atlasTest.timelineMark(id), id);
  assert(m && !m.cluster, `${id}: a single mark on screen (${JSON.stringify(m)})`);
  const box = await page.locator('canvas#timeline').boundingBox();
  return { x: box.x + m.x, y: box.y + m.y };
}

/**
 * Each change: how to make it (`make`) and, where a control undoes it, undo it (`undo`), in
 * words (`how`, `undoHow`), the views that depend on it, and optionally a start (`query`) and a
 * step before the first snapshot (`prepare`). After the undo, each view must be as it was
 * before `prepare`.
 */
const CHANGES = {
  'selection (table row)': {
    how: `clicking the table row of ${SELECT}`,
    make: click(`tr[data-event-id="${SELECT}"] button.event-link`),
    undoHow: 'Clear selection',
    undo: click('#detail button.clear'),
    views: ['timeline', 'map', 'detail', 'table'],
  },
  'selection (timeline keys)': {
    how: 'focusing the timeline and pressing →, Enter',
    make: press('canvas#timeline', 'ArrowRight', 'Enter'),
    undoHow: 'Escape on the timeline',
    undo: press('canvas#timeline', 'Escape'),
    views: ['timeline', 'map', 'detail', 'table'],
  },
  hover: {
    how: `moving the pointer over the timeline mark of ${HOVER}`,
    make: async (page) => {
      const m = await markOnPage(page, HOVER);
      await page.mouse.move(m.x, m.y);
    },
    undoHow: 'moving the pointer off the timeline',
    undo: (page) => page.mouse.move(2, 2),
    views: ['timeline'],
  },
  place: {
    // N alone highlights the place on the map (not a filter): done before the first snapshot,
    // so that only Enter, which chooses the place, is compared.
    prepare: press('canvas#map', 'n'),
    how: 'pressing N, Enter on the map',
    make: press('canvas#map', 'Enter'),
    undoHow: 'Escape on the map',
    undo: press('canvas#map', 'Escape'),
    views: ['timeline', 'map', 'table'],
  },
  category: {
    how: 'turning the economic category off in the filter bar',
    make: click('button.toggle[data-category=economic]'),
    undoHow: 'turning it on again',
    undo: click('button.toggle[data-category=economic]'),
    views: ['timeline', 'map', 'table'],
  },
  search: {
    how: 'searching for "Tashkent"',
    make: (page) => page.fill('#search', 'Tashkent'),
    undoHow: 'emptying the search box',
    undo: (page) => page.fill('#search', ''),
    views: ['timeline', 'map', 'table'],
  },
  'time range': {
    how: 'Zoom in on the timeline',
    make: click('#timeline-zoom-in'),
    undoHow: 'Reset view',
    undo: click('#timeline-reset'),
    views: ['timeline', 'map'],
  },
  play: {
    // A ten-year window (Play keeps it) whose next step brings the Tashkent Declaration
    // (January 1966, at Tashkent, a map marker with no other event) into the visible range.
    query: '?t=1955.5~1965.5',
    how: 'Play, one step, Pause',
    make: async (page) => {
      const year = () => page.locator('#play-year').textContent().then((s) => s.trim());
      const before = await year();
      await page.locator('#play').click();
      await page.waitForFunction((y) => document.querySelector('#play-year').textContent.trim() !== y, before, { timeout: 5000 }).catch(() => {});
      await page.locator('#play').click();
      const after = await year();
      assert.notEqual(after, before, 'Play: the years advance within 5 s');
    },
    // No control steps back: Reset view is the time range's undo, tested above.
    views: ['timeline', 'map'],
  },
};

// ---------------------------------------------------------------- tests

/** Makes `change` and checks that `view` shows it, and shows what it showed once undone. */
async function linked(page, baseURL, ctx, change, view, { alterStart = null } = {}) {
  await gotoApp(page, baseURL, change.query || '');
  // The start the undo is compared with, taken once the view has stopped changing, so that a
  // frame drawn late on a loaded machine is not taken for the start.
  await steadySnap(page, view, 'start');
  // (The checks of the undo check below: a start made to differ from what the page draws.)
  if (alterStart) await page.evaluate(alterStart);
  if (change.prepare) {
    await change.prepare(page);
    await settle(page);
  }
  await snap(page, view, 'before');
  await settle(page);
  await snap(page, view, 'before-again');
  const still = await compare(page, 'before', 'before-again');
  assert(still.same, `${view} still changing before the change (${still.what})`);

  await change.make(page);
  const made = await within(page, view, 'after', 'before', false);
  if (made.same) assert(false, `${view} unchanged ${WITHIN_MS / 1000} s after ${change.how} (${made.what}; ${await dump(page, ctx, view, ['before', 'after'])})`);

  if (!change.undo) return;
  await change.undo(page);
  const undone = await within(page, view, 'undone', 'start', true);
  if (undone.same) return;
  // Not what the view showed at the start. If the address (the shareable state) is back to
  // the start's and a fresh load of that address shows exactly what the view shows now, the
  // undo did restore the state: the start was what differed. That is logged, not failed.
  // (WebKit on a loaded machine, now and then: in two CI runs and one of about 20 runs here,
  // the timeline 1929 or 2069 px, or the map 151281 px, off the start after the undo, with
  // nothing in the address to tell them apart; cause not found.)
  const keys = ['start', 'before', 'after', 'undone'];
  const failed = `${view} not back to its earlier state ${WITHIN_MS / 1000} s after ${change.undoHow} (${undone.what}; ${await dump(page, ctx, view, keys)})`;
  const urls = await page.evaluate(() => window.__linkingURLs);
  assert(urls.undone === urls.start, `${failed}: the address is not back either`);
  const now = await digest(page, 'undone');
  const startWas = await digest(page, 'start');
  await gotoApp(page, baseURL, urls.undone);
  await steadySnap(page, view, 'fresh');
  const fresh = await digest(page, 'fresh');
  assert(fresh === now, `${failed}; a fresh load of that address shows ${fresh === startWas ? 'the start' : 'something else again'}`);
  await dump(page, ctx, view, ['fresh'], 'NOTE');
  if (ctx?.outDir) for (const k of keys) if (existsSync(shot(ctx, 'FAIL', view, k))) renameSync(shot(ctx, 'FAIL', view, k), shot(ctx, 'NOTE', view, k));
  ctx.log(`${view}: after ${change.undoHow} the view is what a fresh load of the same address (${urls.undone || 'no query'}) shows; the start differed (${undone.what})`);
}

/** A digest of snapshot `key`: its size and an FNV-1a hash of its pixels, or its text. */
const digest = (page, key) =>
  page.evaluate((key) => {
    const s = window.__linkingSnaps[key];
    if (s.text !== undefined) return s.text;
    let h = 0x811c9dc5;
    for (const v of s.px) h = Math.imul(h ^ v, 0x01000193) >>> 0;
    return `${s.width}×${s.height}:${h.toString(16)}`;
  }, key);

/** Snapshots `view` as `key` once two snapshots a settle apart agree (five tries). */
async function steadySnap(page, view, key) {
  await settle(page);
  for (let tries = 1; ; tries++) {
    await snap(page, view, key);
    await settle(page);
    await snap(page, view, `${key}-again`);
    const steady = await compare(page, key, `${key}-again`);
    if (steady.same) return;
    assert(tries < 5, `${view} still changing after loading (${steady.what})`);
  }
}

/** How long a view may take to show a change: on a loaded machine WebKit's frames come late
 *  (one CI run: the map still unchanged after two frames, 300 ms and two frames). */
const WITHIN_MS = 5000;

/** Snapshots `view` as `key` after each settle until it is (`same`) or is not the snapshot
 *  `against`, or WITHIN_MS have passed; the last comparison. */
async function within(page, view, key, against, same) {
  const t0 = Date.now();
  for (;;) {
    await settle(page);
    await snap(page, view, key);
    const r = await compare(page, against, key);
    if (r.same === same || Date.now() - t0 > WITHIN_MS) return r;
  }
}

/** The changes that also run in Firefox and WebKit (select, hover, place, filters). */
const CORE = new Set(['selection (table row)', 'selection (timeline keys)', 'hover', 'place', 'category', 'search']);

export const tests = {};
for (const [name, change] of Object.entries(CHANGES)) {
  for (const view of change.views) {
    const fn = ({ page, baseURL, ctx }) => linked(page, baseURL, ctx, change, view);
    tests[`${name} → ${view}`] = CORE.has(name) ? core(fn) : fn;
  }
}

// ---------------------------------------------------------------- the undo check itself

/** Runs `fn` and returns the message it failed with, or null if it passed. */
async function failure(fn) {
  try {
    await fn();
    return null;
  } catch (e) {
    return String(e.message);
  }
}

/** One pixel of the start snapshot changed, as if the start had been drawn differently. */
const oneStartPixel = () => {
  const s = window.__linkingSnaps.start;
  s.px[0] ^= 1;
};

tests['the undo check: a start unlike every later drawing passes when the address is back and a fresh load draws the same'] = async ({ page, baseURL, ctx }) => {
  const said = [];
  const quiet = { ...ctx, log: (...a) => said.push(a.join(' ')) };
  const why = await failure(() => linked(page, baseURL, quiet, CHANGES.search, 'timeline', { alterStart: oneStartPixel }));
  assert(why === null, `failed: ${why}`);
  assert(said.some((l) => l.includes('what a fresh load of the same address') && l.includes('1 of')), `no note said so: ${JSON.stringify(said)}`);
};

tests['the undo check: an undo that leaves the address changed fails'] = async ({ page, baseURL, ctx }) => {
  const stays = { ...CHANGES.search, undo: async () => {} };
  const why = await failure(() => linked(page, baseURL, ctx, stays, 'timeline', { alterStart: oneStartPixel }));
  assert(why && why.includes('the address is not back either'), `expected a failure for the address, got: ${why}`);
};

tests['the undo check: an undo that leaves the view changed fails though the address is back'] = async ({ page, baseURL, ctx }) => {
  // The hovered mark is not in the address: a fresh load of it draws no hover.
  const stays = { ...CHANGES.hover, undo: async () => {} };
  const why = await failure(() => linked(page, baseURL, ctx, stays, 'timeline'));
  assert(why && why.includes('a fresh load of that address shows the start'), `expected a failure for the view, got: ${why}`);
};
