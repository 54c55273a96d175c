// Urdu and Russian: the language each address, stored choice and browser gets; the menu; no
// English interface text left on screen, in labels or on the canvases; right-to-left layout
// without overflow and with canvas text drawn inside its boxes; dates as each language writes
// them; axe in each language; a missing language file; the languages' code as a module of its
// own (fetched only for Urdu and Russian; a module that cannot be loaded); the choice surviving
// an offline reload.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { data, EVENTS } from '../data.mjs';
import { assert, canvasNotBlank, gotoApp, isReadyScript, sleep } from '../lib.mjs';
import { core } from '../engines/core.mjs';
import { axeViolations } from './a11y.mjs';

const catalogue = (lang) => JSON.parse(readFileSync(new URL(`../../data/i18n/ui/${lang}.json`, import.meta.url), 'utf8'));
const EN = catalogue('en');
const LANGS = { ur: catalogue('ur'), ru: catalogue('ru') };
const CONTENT = { ur: data('i18n/ur.json'), ru: data('i18n/ru.json') };

/** The texts of a message: its one text, or each plural form. */
const forms = (m) => (typeof m === 'string' ? [m] : Object.values(m));

/**
 * The English pieces that must not be seen in `lang`: each message's text between its `{…}`
 * values, where it is a phrase (two words or more, or one word of 8+ letters) and the
 * language's message does not itself contain it (a name kept as written).
 */
function englishPieces(lang) {
  const out = [];
  for (const [key, m] of Object.entries(EN)) {
    const theirs = forms(LANGS[lang][key] ?? '').join('\n');
    for (const text of forms(m)) {
      for (let piece of text.split(/\{[^}]*\}/)) {
        piece = piece.replace(/[\s.,:;()·—–-]+$/u, '').replace(/^[\s.,:;()·—–-]+/u, '');
        const words = piece.split(/\s+/).filter((w) => /\p{L}{2,}/u.test(w));
        if (!(words.length >= 2 || (words.length === 1 && piece.length >= 8))) continue;
        if (theirs.includes(piece)) continue;
        out.push({ key, piece });
      }
    }
  }
  return out;
}

/** Every text the page shows or names: the rendered text and the labels of rendered elements. */
const pageTexts = () => {
  // Source text stays as written: references (lang="en") and the short citations with their
  // locators ("Table 1, row 3").
  const asWritten = '[lang="en"], .cite-short, td.cites';
  const out = [document.title];
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (w.nextNode()) {
    const el = w.currentNode.parentElement;
    if (el && !el.closest(asWritten) && el.getClientRects().length > 0) out.push(w.currentNode.textContent);
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt], [aria-roledescription], [aria-description]')) {
    if (el.getClientRects().length === 0 || el.closest(asWritten)) continue;
    for (const a of ['aria-label', 'title', 'placeholder', 'alt', 'aria-roledescription', 'aria-description']) {
      const v = el.getAttribute(a);
      if (v) out.push(v);
    }
  }
  return out.join('\n');
};

/**
 * Records the text drawn on canvases from now on: each `fillText` with its canvas, its box in
 * the canvas's pixels (from `measureText`, so alignment and direction are included) and the
 * direction it was drawn in. Only upright text (the app draws no rotated text).
 */
const recordCanvasText = () => {
  if (window.__drawnText) return;
  window.__drawnText = [];
  window.__drawnOn = [];
  const fill = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, x, y, maxWidth) {
    const r = fill.call(this, text, x, y, maxWidth);
    try {
      const m = this.measureText(text);
      const t = this.getTransform();
      if (t.b === 0 && t.c === 0) {
        const box = [x - m.actualBoundingBoxLeft, y - m.actualBoundingBoxAscent, x + m.actualBoundingBoxRight, y + m.actualBoundingBoxDescent];
        const dir = this.direction === 'inherit' ? getComputedStyle(this.canvas).direction : this.direction;
        window.__drawnOn.push(this.canvas);
        window.__drawnText.push({ canvas: this.canvas.id || '(offscreen)', text: String(text), dir,
          box: [box[0] * t.a + t.e, box[1] * t.d + t.f, box[2] * t.a + t.e, box[3] * t.d + t.f], w: this.canvas.width, h: this.canvas.height });
      }
    } catch (_) { /* a detached canvas: not recorded */ }
    return r;
  };
};

/** The recorded texts, each with how many of its box's pixels differ from the box's commonest
 *  colour (its ink), read from the canvas it was drawn on. */
const drawnTexts = () => window.__drawnText.map((d, i) => {
  const c = window.__drawnOn[i];
  const [x0, y0, x1, y1] = d.box.map(Math.round);
  const x = Math.max(0, x0), y = Math.max(0, y0);
  const w = Math.min(c.width, x1) - x, h = Math.min(c.height, y1) - y;
  let ink = 0;
  if (w > 0 && h > 0) {
    const px = c.getContext('2d').getImageData(x, y, w, h).data;
    const counts = new Map();
    for (let p = 0; p < px.length; p += 4) counts.set(px.slice(p, p + 4).join(), (counts.get(px.slice(p, p + 4).join()) || 0) + 1);
    ink = w * h - Math.max(...counts.values());
  }
  return { ...d, ink };
});

/** Redraws every canvas (a resize does) while recording, and returns what was drawn. */
async function redrawAndRecord(page) {
  await page.evaluate(recordCanvasText);
  const v = await page.evaluate(() => [innerWidth, innerHeight]);
  await page.setViewportSize({ width: v[0] - 1, height: v[1] });
  await sleep(150);
  await page.evaluate(() => { window.__drawnText.length = 0; window.__drawnOn.length = 0; });
  await page.setViewportSize({ width: v[0], height: v[1] });
  await page.waitForFunction(() => window.__drawnText.length > 0, null, { timeout: 10_000 });
  await sleep(400);
  return page.evaluate(drawnTexts);
}

const ARABIC = /[\u0600-\u06ff]/u;
const CYRILLIC = /[\u0400-\u04ff]/u;
const SAMPLE = 'agreement-t1-r01-financial-claims'; // 2 December 2019

export const tests = {
  'the address, then the stored choice, then the browser choose the language; the links switch at the same state': async ({ page, baseURL, ctx }) => {
    const ru = await ctx.newPage({ locale: 'ru-RU' });
    await ru.addInitScript(() => document.addEventListener('DOMContentLoaded', () => {
      const pre = document.getElementById('prerender');
      window.__preShown = !!pre && getComputedStyle(pre).display !== 'none';
    }));
    await gotoApp(ru, baseURL);
    assert.deepEqual(await ru.evaluate(() => [document.documentElement.lang, document.documentElement.dir]), ['ru', 'ltr'], 'a Russian browser, no address: Russian');
    assert.equal(await ru.evaluate(() => window.__preShown), false, 'the English static view is hidden before the first paint');
    assert.equal(await ru.locator('h1').innerText(), LANGS.ru['app.title'], 'the heading in Russian');
    // The address wins; an unknown language falls back to the browser's.
    await gotoApp(ru, baseURL, '?lang=ur');
    assert.deepEqual(await ru.evaluate(() => [document.documentElement.lang, document.documentElement.dir]), ['ur', 'rtl'], '?lang=ur');
    await gotoApp(ru, baseURL, '?lang=de');
    assert.equal(await ru.evaluate(() => document.documentElement.lang), 'ru', '?lang=de: the browser\'s language');
    // An English browser gets English and the static first view.
    await gotoApp(page, baseURL);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('pre-off')), false, 'English: the static view shows');
    // The menu: the selected event stays, the address names the language, the choice is kept.
    await gotoApp(page, baseURL, `?e=${SAMPLE}`);
    assert.equal(await page.locator('#lang-en').getAttribute('aria-current'), 'true', 'English is the current language');
    assert.includes(await page.locator('#lang-ur').getAttribute('href'), `e=${SAMPLE}`, 'the link keeps the state');
    await Promise.all([page.waitForURL(/lang=ur/), page.locator('#lang-ur').click()]);
    await page.waitForFunction(isReadyScript);
    assert.includes(page.url(), `e=${SAMPLE}`, 'the selection is kept');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ur');
    assert.includes(await page.locator('#detail').innerText(), CONTENT.ur.events[SAMPLE].title, 'the event, in Urdu');
    assert.equal(await page.locator('#lang-ur').getAttribute('aria-current'), 'true');
    assert.equal(await page.locator('#lang-en').getAttribute('aria-current'), null);
    assert.equal(await page.evaluate(() => localStorage.getItem('atlas-lang')), 'ur', 'the choice is stored');
    await gotoApp(page, baseURL);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ur', 'the stored choice, with no language in the address');
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('pre-off')), true, 'the stored Urdu hides the English static view');
  },

  'in Urdu and Russian no English interface text is left on screen, in labels or on the canvases': async ({ page, baseURL }) => {
    const event = EVENTS.find((e) => e.id === SAMPLE);
    assert(event, `${SAMPLE} in events.json`);
    for (const lang of ['ur', 'ru']) {
      const pieces = englishPieces(lang);
      assert.atLeast(pieces.length, 100, `English phrases to look for (${lang})`);
      const found = [];
      for (const q of [`?lang=${lang}&e=${SAMPLE}`, `?lang=${lang}&story=rq1&step=2`, `?lang=${lang}&panel=embed`]) {
        await gotoApp(page, baseURL, q);
        await sleep(300);
        const drawnTexts = (await redrawAndRecord(page)).map((d) => d.text);
        const text = `${await page.evaluate(pageTexts)}\n${drawnTexts.join('\n')}`;
        for (const { key, piece } of pieces) if (text.includes(piece)) found.push(`${q}: ${key}: "${piece}"`);
        // The map's names (countries, disputed lines), drawn whole.
        for (const d of drawnTexts) {
          const t = CONTENT[lang].regions[d];
          if (t && t !== d) found.push(`${q}: map name "${d}"`);
        }
      }
      assert.deepEqual([...new Set(found)], [], `English left in ${lang}`);
    }
  },

  'right to left: the Urdu page mirrors without horizontal overflow and draws its canvas text inside its boxes': core(async ({ page, baseURL, ctx }) => {
    // WebKit's MiniBrowser window is at least 447 px wide (its toolbar): 480 px stands in for
    // the phone widths there.
    const widths = ctx.engine === 'webkit' ? [480, 1280] : [320, 390, 1280];
    for (const width of widths) {
      await page.setViewportSize({ width, height: 800 });
      await gotoApp(page, baseURL, `?lang=ur&e=${SAMPLE}`);
      const m = await page.evaluate(() => {
        const h1 = document.querySelector('h1').getBoundingClientRect();
        return { dir: document.documentElement.dir, scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
          h1Right: h1.right, h1Left: h1.left, inner: innerWidth };
      });
      assert.equal(m.dir, 'rtl', `dir at ${width}`);
      assert.atMost(m.scroll, m.client, `horizontal overflow at ${width} px`);
      assert.atLeast(m.h1Right, m.inner - 60, `the heading starts at the right at ${width} px`);
      await canvasNotBlank(page, 'canvas#timeline');
      const drawn = await redrawAndRecord(page);
      const visible = drawn.filter((d) => d.text.trim() && d.canvas !== 'map');
      assert.atLeast(visible.length, 10, `texts drawn at ${width} px`);
      const outside = visible.filter((d) => d.box[0] < -1 || d.box[2] > d.w + 1 || d.box[1] < -1 || d.box[3] > d.h + 1);
      assert.deepEqual(outside.map((d) => `${d.canvas}: "${d.text}" [${d.box.map(Math.round)}] in ${d.w}×${d.h}`), [], `canvas text clipped at ${width} px`);
      const urdu = visible.filter((d) => ARABIC.test(d.text));
      assert.atLeast(urdu.length, 3, `Urdu labels drawn at ${width} px`);
      assert.deepEqual(urdu.filter((d) => d.dir !== 'rtl').map((d) => d.text), [], 'Urdu canvas text is drawn right to left');
      const noInk = visible.filter((d) => d.ink < 3).map((d) => `${d.canvas}: "${d.text}"`);
      assert.atMost(noInk.length, Math.floor(visible.length / 10), `texts without ink at ${width} px: ${noInk.join(', ')}`);
    }
    // Time runs left to right in Urdu too (glossary §7): the earliest year label is leftmost.
    const years = (await redrawAndRecord(page)).filter((d) => d.canvas === 'timeline' && /^\d{4}$/.test(d.text));
    assert.atLeast(years.length, 3, 'year ticks on the timeline');
    const sorted = [...years].sort((a, b) => a.box[0] - b.box[0]).map((d) => Number(d.text));
    assert.deepEqual(sorted, [...sorted].sort((a, b) => a - b), 'years increase from left to right');
  }),

  'dates and numbers as each language writes them': async ({ page, baseURL }) => {
    const want = { en: '2 December 2019', ru: '2 декабря 2019 г.', ur: '2 دسمبر 2019' };
    for (const [lang, date] of Object.entries(want)) {
      await gotoApp(page, baseURL, `?lang=${lang}&e=${SAMPLE}`);
      assert.includes(await page.locator('#detail').innerText(), date, `the detail's date in ${lang}`);
      assert.includes(await page.locator('table.events').innerText(), date, `the table's date in ${lang}`);
    }
    // A month stays a month; Urdu keeps Western digits.
    const monthly = EVENTS.find((e) => /^\d{4}-\d{2}$/.test(e.date) && !e.end);
    assert(monthly, 'an event dated to the month');
    const [y, mo] = monthly.date.split('-').map(Number);
    const ruMonths = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];
    await gotoApp(page, baseURL, `?lang=ru&e=${monthly.id}`);
    assert.includes(await page.locator('#detail').innerText(), `${ruMonths[mo - 1]} ${y} г.`, 'a month in Russian');
    await gotoApp(page, baseURL, `?lang=ur&e=${monthly.id}`);
    const ur = await page.locator('#detail').innerText();
    assert(!/[\u06f0-\u06f9\u0660-\u0669]/u.test(ur), 'no Eastern Arabic digits in Urdu');
    assert.includes(ur, String(y), 'the year in Western digits');
  },

  'axe finds nothing in Urdu and in Russian': async ({ page, baseURL }) => {
    for (const lang of ['ur', 'ru']) {
      for (const q of [`?lang=${lang}&e=${SAMPLE}`, `?lang=${lang}&story=rq2&step=1`, `?lang=${lang}&panel=embed`]) {
        await gotoApp(page, baseURL, q);
        await sleep(300);
        const vs = await axeViolations(page);
        assert.deepEqual(vs.map((v) => `${v.id}: ${v.nodes.slice(0, 3).join('; ')}`), [], `axe, ${q}`);
      }
    }
  },

  'shared links, embed snippets and story steps carry the language': async ({ page, baseURL }) => {
    await gotoApp(page, baseURL, '?lang=ru&panel=embed');
    await page.waitForFunction(() => document.querySelector('#embed-code')?.value.length > 0);
    assert.includes(await page.locator('#embed-code').inputValue(), 'lang=ru', 'the embed snippet');
    await gotoApp(page, baseURL, '?lang=ru&embed=map');
    assert.includes(await page.locator('#open-atlas').getAttribute('href'), 'lang=ru', '"Open in the atlas"');
    await gotoApp(page, baseURL, '?lang=ur&story=rq1&step=1');
    await page.waitForFunction(() => !!document.querySelector('#story .story-step-h'));
    // In Urdu "Next" is on the left, and so is its arrow key.
    await page.locator('#story').press('ArrowLeft');
    await page.waitForFunction(() => location.search.includes('step=2'));
    assert.includes(page.url(), 'lang=ur', 'a story step\'s address');
    assert(ARABIC.test(await page.locator('#story .story-step-h').innerText()), 'the step in Urdu');
    assert(CYRILLIC.test(CONTENT.ru.story.rq1.steps[0].heading), 'the Russian story texts are Cyrillic');
  },

  'a language file that cannot be loaded leaves the atlas in English and says so': async ({ baseURL, ctx }) => {
    ctx.allowConsoleError(/404|Failed to load resource/);
    // No service worker: it would serve the file from its precache, past the routes.
    const page = await ctx.newPage({ serviceWorkers: 'block' });
    await page.route(/lang-ru-[0-9a-f]{16}\.bin/, (r) => r.fulfill({ status: 404, body: 'gone' }));
    await gotoApp(page, baseURL, `?lang=ru&e=${SAMPLE}`);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.includes(await page.locator('.lang-failed').innerText(), 'Русский', 'the notice names the language');
    assert.includes(await page.locator('#detail').innerText(), EVENTS.find((e) => e.id === SAMPLE).title, 'the English content');
    await sleep(400);
    assert.includes(page.url(), 'lang=ru', 'the address still asks for Russian, so a reload tries again');
    // A corrupt file is the same.
    await page.unroute(/lang-ru-[0-9a-f]{16}\.bin/);
    await page.route(/lang-ru-[0-9a-f]{16}\.bin/, (r) => r.fulfill({ status: 200, body: 'PKLANG1 not really' }));
    await gotoApp(page, baseURL, '?lang=ru');
    assert.includes(await page.locator('.lang-failed').innerText(), 'Русский');
  },

  "the languages' code is a module: an English page never fetches it, an Urdu or Russian page fetches it once beside its file": async ({ baseURL, ctx }) => {
    const isModule = (f) => /^split_lang-[0-9a-f]{16}\.wasm$/.test(f);
    const dates = { ur: '2 دسمبر 2019', ru: '2 декабря 2019 г.' };
    for (const lang of ['en', 'ur', 'ru']) {
      // A fresh context each: nothing from an earlier page's cache or service worker.
      const page = await ctx.newPage({ serviceWorkers: 'block' });
      const fetched = [];
      page.on('request', (r) => fetched.push(new URL(r.url()).pathname.split('/').pop()));
      await gotoApp(page, baseURL, `?lang=${lang}&e=${SAMPLE}`);
      await sleep(300);
      const file = fetched.filter((f) => new RegExp(`^lang-${lang}-[0-9a-f]{16}\\.bin$`).test(f));
      if (lang === 'en') {
        assert.deepEqual(fetched.filter(isModule), [], `no language module for English (${fetched.join(', ')})`);
        continue;
      }
      assert.equal(fetched.filter(isModule).length, 1, `${lang}: the module, once (${fetched.join(', ')})`);
      assert.equal(file.length, 1, `${lang}: its file, once`);
      // What the module brings: the file's texts, the content's translation, the dates.
      assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
      assert.equal(await page.locator('h1').innerText(), LANGS[lang]['app.title']);
      const detail = await page.locator('#detail').innerText();
      assert.includes(detail, CONTENT[lang].events[SAMPLE].title, `${lang}: the translated title`);
      assert.includes(detail, dates[lang], `${lang}: the date as the language writes it`);
      await page.context().close();
    }
  },

  'a language module that cannot be loaded leaves the atlas in English and says so; a reload loads it': async ({ baseURL, ctx }) => {
    ctx.allowConsoleError(/404|Failed to load resource|split module|WebAssembly|wasm/i);
    const page = await ctx.newPage({ serviceWorkers: 'block' });
    let refuse = true;
    await page.route(/split_lang-[0-9a-f]{16}\.wasm$/, (r) => (refuse ? r.fulfill({ status: 404, body: 'no' }) : r.continue()));
    await gotoApp(page, baseURL, `?lang=ur&e=${SAMPLE}`);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en', 'English');
    assert.includes(await page.locator('.lang-failed').innerText(), 'اردو', 'the notice names the language');
    assert.includes(await page.locator('#detail').innerText(), '2 December 2019', 'English dates');
    await sleep(400);
    assert.includes(page.url(), 'lang=ur', 'the address still asks for Urdu');
    refuse = false;
    await page.reload({ waitUntil: 'load' });
    await page.waitForFunction(isReadyScript, null, { timeout: 30_000 });
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ur', 'Urdu after the reload');
    assert.equal(await page.locator('.lang-failed').count(), 0, 'no notice');
    assert.includes(await page.locator('#detail').innerText(), '2 دسمبر 2019', 'Urdu dates');
  },

  'the single file carries both languages: Urdu and Russian open from disk with no request': async ({ page, ctx }) => {
    const repo = fileURLToPath(new URL('../../', import.meta.url));
    const file = process.env.SINGLE_FILE || join(repo, 'dist-single', 'pakru-atlas.html');
    assert(existsSync(file), `${file} is missing: run cargo xtask dist`);
    const url = pathToFileURL(file).href;
    for (const lang of ['ur', 'ru']) {
      await page.goto(`${url}?lang=${lang}&e=${SAMPLE}`, { waitUntil: 'load' });
      await page.waitForFunction(isReadyScript, null, { timeout: 30_000 });
      assert.equal(await page.evaluate(() => document.documentElement.lang), lang, `the single file in ${lang}`);
      assert.equal(await page.locator('h1').innerText(), LANGS[lang]['app.title']);
      assert.includes(await page.locator('#detail').innerText(), CONTENT[lang].events[SAMPLE].title, `the content in ${lang}`);
    }
    assert.deepEqual(ctx.requests.filter((u) => /lang-\w+-[0-9a-f]{16}\.bin/.test(u)), [], 'no request for a language file');
  },

  'the language survives a reload with the network off': async ({ page, ctx }) => {
    if (!ctx.subpathURL) ctx.skip('SUBPATH_BASE_URL not set');
    const base = ctx.subpathURL;
    await gotoApp(page, base);
    await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    await Promise.all([page.waitForURL(/lang=ru/), page.locator('#lang-ru').click()]);
    await page.waitForFunction(isReadyScript);
    // Every file is precached; offline, the address without a language opens in Russian.
    await page.waitForFunction(async () => {
      const keys = await caches.keys();
      for (const k of keys) for (const r of await (await caches.open(k)).keys()) if (/lang-ru-[0-9a-f]{16}\.bin$/.test(r.url)) return true;
      return false;
    }, null, { timeout: 30_000 });
    ctx.allowConsoleError(/ERR_INTERNET_DISCONNECTED/);
    await ctx.context.setOffline(true);
    await page.goto(base, { waitUntil: 'load' });
    await page.waitForFunction(isReadyScript, null, { timeout: 30_000 });
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ru', 'Russian, offline');
    assert.equal(await page.locator('h1').innerText(), LANGS.ru['app.title']);
    await canvasNotBlank(page, 'canvas#timeline');
  },
};
