// The guided story (data/story.json): a keyboard-only walk through every chapter, what each
// step draws, addresses and Back/Forward, the embed of a step, the Embed dialog, print, and
// axe in story mode.
//
// "What each step draws" is checked against the atlas itself: the views of a step must show
// exactly the pixels the same views show when the step's state (selection, years, categories,
// place, map view) is opened as an ordinary address, and the charts must differ from the
// unhighlighted ones exactly when the step highlights something on them.

import { assert, canvasNotBlank, gotoApp, sleep } from '../lib.mjs';
import { STORY, EVENTS, frames } from '../data.mjs';
import { core } from '../engines/core.mjs';

const CANVAS = { timeline: 'canvas#timeline', map: 'canvas#map', trade: 'canvas#trade-chart', students: 'canvas#students-chart' };
const TOTAL = STORY.chapters.reduce((n, c) => n + c.steps.length, 0);

/** Waits for the step's transition (450 ms) and the redraws after it. */
async function settle(page) {
  await sleep(600);
  await frames(page);
  await sleep(250);
  await frames(page);
}

const panel = (page) =>
  page.evaluate(() => ({
    search: location.search,
    progress: document.querySelector('#story .story-progress')?.textContent.trim(),
    heading: document.querySelector('#story .story-step-h')?.textContent.trim(),
    announced: document.getElementById('announcer')?.textContent.trim(),
    // Absent until the story's module is first loaded (it mounts the panel): not shown.
    hidden: document.getElementById('story')?.hidden ?? true,
    focus: document.activeElement?.id || document.activeElement?.tagName,
    body: document.body.className,
  }));

/** Every pixel of a canvas's backing store, as a hash and a size. */
const pixels = (page, sel) =>
  page.evaluate((sel) => {
    const c = document.querySelector(sel);
    if (!c || !c.width || !c.height) return null;
    const copy = document.createElement('canvas');
    copy.width = c.width;
    copy.height = c.height;
    const g = copy.getContext('2d', { willReadFrequently: true });
    g.drawImage(c, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let h = 2166136261;
    for (let i = 0; i < d.length; i++) h = Math.imul(h ^ d[i], 16777619);
    return `${c.width}x${c.height}:${h >>> 0}`;
  }, sel);

/** The ordinary address that shows a step's state without the story. */
function exploreQuery(step) {
  const s = step.state || {};
  const q = [];
  if (s.event) q.push(`e=${s.event}`);
  if (s.place) q.push(`p=${s.place}`);
  if (s.range) q.push(`t=${s.range[0]}~${s.range[1]}`);
  if (s.categories) q.push(`c=${s.categories.join(',')}`);
  if (s.map) q.push(`m=${s.map.lon},${s.map.lat},${s.map.zoom}`);
  return q.length ? `?${q.join('&')}` : '';
}

/** After a load: the map's settle redraw (150 ms) and two frames. */
async function drawn(page) {
  await sleep(200);
  await frames(page);
}

/** The pixels of a step's views against the same views at the step's state without the story. */
async function drawsItsState(page, baseURL, ctx, ch) {
  const other = await ctx.context.newPage();
  await other.setViewportSize(page.viewportSize());
  for (const [i, step] of ch.steps.entries()) {
    const where = `${ch.id} step ${i + 1}`;
    await gotoApp(page, baseURL, `?story=${ch.id}&step=${i + 1}`);
    await page.waitForFunction((h) => document.querySelector('#story .story-step-h')?.textContent === h, step.heading);
    await gotoApp(other, baseURL, exploreQuery(step));
    await drawn(page);
    for (const v of step.views) {
      const got = await pixels(page, CANVAS[v]);
      assert(got, `${where}: ${v} is drawn`);
      if (v === 'timeline' || v === 'map') {
        // Story mode lays the page out differently: compare at the same canvas size.
        const size = await page.evaluate((sel) => { const r = document.querySelector(sel).getBoundingClientRect(); return [r.width, r.height]; }, CANVAS[v]);
        await other.evaluate(([sel, w, h]) => {
          const c = document.querySelector(sel);
          c.style.width = `${w}px`;
          c.style.height = `${h}px`;
        }, [CANVAS[v], ...size]);
        await drawn(other);
        assert.equal(got, await pixels(other, CANVAS[v]), `${where}: ${v} draws the step's state (${exploreQuery(step)})`);
      } else {
        const highlights = (v === 'trade' ? step.state?.series : step.state?.students) || [];
        for (const p of [page, other]) await p.evaluate((sel) => { document.querySelector(sel).style.width = '800px'; }, CANVAS[v]);
        await drawn(page);
        await drawn(other);
        const [a, b] = [await pixels(page, CANVAS[v]), await pixels(other, CANVAS[v])];
        if (highlights.length) assert.notEqual(a, b, `${where}: ${v} shows the step's highlight`);
        else assert.equal(a, b, `${where}: ${v} has no highlight`);
      }
    }
  }
  await other.close();
}

export const tests = {
  'a keyboard-only walk goes through every step of every chapter, announcing each': core(async ({ page, baseURL }) => {
    await gotoApp(page, baseURL);
    // Tab to the Story button, Enter: the panel opens at the first step with focus in it.
    let tabs = 0;
    while (!(await page.evaluate(() => document.activeElement?.id === 'story-open'))) {
      await page.keyboard.press('Tab');
      assert(++tabs < 20, 'the Story button is among the first 20 tab stops');
    }
    await page.keyboard.press('Enter');
    await settle(page);
    let seen = 0;
    for (const [c, ch] of STORY.chapters.entries()) {
      for (const [i, step] of ch.steps.entries()) {
        const p = await panel(page);
        const progress = `Chapter ${c + 1} · step ${i + 1} of ${ch.steps.length}`;
        assert.equal(p.hidden, false, 'the panel is shown');
        assert.equal(p.progress, progress);
        assert.equal(p.heading, step.heading, progress);
        assert.equal(p.announced, `${progress}: ${step.heading}`, `${progress}: the live region`);
        assert.equal(p.search, `?story=${ch.id}&step=${i + 1}`, `${progress}: the address`);
        assert.equal(await page.evaluate(() => document.getElementById('story-chapter').value), ch.id, `${progress}: the chapter menu`);
        for (const v of ['timeline', 'map', 'trade', 'students']) {
          assert.equal(p.body.includes(`story-v-${v}`), step.views.includes(v), `${progress}: view ${v} shown`);
        }
        if (i === 0 && ch.question) {
          const q = await page.locator('#story .story-question p').textContent();
          assert.equal(q, `“${ch.question}”`, `${ch.id}: opens with the research question`);
        }
        // Every marker links to a citation of the step.
        const cites = await page.locator('#story .citations li').count();
        assert.equal(cites, step.sources.length, `${progress}: citations`);
        assert.atLeast(cites, 1, `${progress}: at least one citation`);
        seen++;
        if (seen < TOTAL) {
          // Alternate the keys the panel takes: →, Page Down, and the Next button.
          const key = ['ArrowRight', 'PageDown'][seen % 2];
          if (seen % 5 === 0) {
            await page.focus('#story-next');
            await page.keyboard.press('Enter');
          } else {
            await page.keyboard.press(key);
          }
          await settle(page);
        }
      }
    }
    assert.equal(seen, TOTAL);
    // At the end, Next is disabled; ← goes back; Esc leaves the story where it is.
    assert(await page.evaluate(() => document.getElementById('story-next').disabled), 'Next is disabled at the last step');
    await page.keyboard.press('ArrowLeft');
    await settle(page);
    const last = STORY.chapters.at(-1);
    assert.equal((await panel(page)).progress, `Chapter ${STORY.chapters.length} · step ${last.steps.length - 1} of ${last.steps.length}`);
    await page.keyboard.press('Escape');
    await settle(page);
    const out = await panel(page);
    assert.equal(out.hidden, true, 'Esc hides the panel');
    assert(!out.body.includes('story-mode'), 'Esc leaves story mode');
    assert.equal(out.focus, 'story-open', 'focus returns to the Story button');
    const s = last.steps.at(-2).state || {};
    if (s.event) assert(out.search.includes(`e=${s.event}`), `Esc keeps the step's selection (${out.search})`);
  }),

  'addresses open a step; Back and Forward move between steps; odd addresses fall back': async ({ page, baseURL }) => {
    const ch = STORY.chapters[1];
    await gotoApp(page, baseURL, `?story=${ch.id}&step=3`);
    await settle(page);
    assert.equal((await panel(page)).heading, ch.steps[2].heading);
    assert.equal(await page.evaluate(() => document.getElementById('story-chapter').value), ch.id, 'the chapter menu of a deep link');
    await page.locator('#story-next').click();
    await settle(page);
    assert.equal((await panel(page)).search, `?story=${ch.id}&step=4`);
    await page.locator('#story-prev').click();
    await settle(page);
    await page.locator('#story-prev').click();
    await settle(page);
    assert.equal((await panel(page)).search, `?story=${ch.id}&step=2`);
    await page.goBack();
    await settle(page);
    assert.equal((await panel(page)).heading, ch.steps[2].heading, 'Back: step 3 again');
    await page.goBack();
    await settle(page);
    assert.equal((await panel(page)).heading, ch.steps[3].heading, 'Back: step 4');
    await page.goForward();
    await settle(page);
    assert.equal((await panel(page)).heading, ch.steps[2].heading, 'Forward: step 3');
    // The chapter menu jumps to a chapter's first step.
    await page.selectOption('#story-chapter', STORY.chapters[3].id);
    await settle(page);
    assert.equal((await panel(page)).search, `?story=${STORY.chapters[3].id}&step=1`);
    // A step past the end is the last step; an unknown chapter opens the atlas without it.
    await gotoApp(page, baseURL, `?story=${ch.id}&step=999`);
    await settle(page);
    assert.equal((await panel(page)).progress, `Chapter 2 · step ${ch.steps.length} of ${ch.steps.length}`);
    for (const q of ['?story=nope&step=2', '?story=&step=x', '?story=rq1&step=-3&e=nope']) {
      await gotoApp(page, baseURL, q);
      await settle(page);
      const p = await panel(page);
      if (q.startsWith('?story=rq1')) assert.equal(p.progress, 'Chapter 1 · step 1 of ' + STORY.chapters[0].steps.length, q);
      else assert(p.hidden && !p.body.includes('story-mode'), `${q}: no story, the atlas as usual (${JSON.stringify(p)})`);
      assert.equal(await page.locator('table.events tbody tr').count() > 0 || p.body.includes('story-mode'), true, `${q}: the page works`);
    }
  },

  'every step embedded at 700 px wide shows its panel and views within 760 px': async ({ page, baseURL }) => {
    await page.setViewportSize({ width: 700, height: 900 });
    // One page, loaded at each step's address; the heights of all steps are checked before the
    // test fails, so that its message names every step that does not fit.
    const unfit = [];
    for (const [c, ch] of STORY.chapters.entries()) {
      for (const [i, step] of ch.steps.entries()) {
        const at = `${ch.id} step ${i + 1}`;
        await gotoApp(page, baseURL, `?embed=story&story=${ch.id}&step=${i + 1}`);
        // A step opened by its address is drawn at once, without the transition.
        await drawn(page);
        const got = await page.evaluate(() => ({
          height: Math.ceil(document.documentElement.getBoundingClientRect().height),
          width: document.documentElement.scrollWidth,
          shown: [...document.querySelectorAll('main > *')].filter((e) => e.checkVisibility()).map((e) => e.id || e.className),
          heading: document.querySelector('#story .story-step-h')?.textContent.trim(),
        }));
        assert.equal(got.heading, step.heading, at);
        if (got.height > 760) unfit.push(`${at}: ${got.height} px tall`);
        if (got.width > 700) unfit.push(`${at}: ${got.width} px wide`);
        assert.equal(got.shown.length, 1 + step.views.length, `${at}: the panel and its ${step.views.join(', ')} (${got.shown})`);
        for (const v of step.views) await canvasNotBlank(page, CANVAS[v]);
        assert.equal(await page.locator('#story-embed').isVisible(), false, `${at}: no Embed button inside an embed`);
        const open = await page.locator('#open-atlas').getAttribute('href');
        assert(open.endsWith(`?story=${ch.id}&step=${i + 1}`), `${at}: Open in the atlas: ${open}`);
        if (c === 0 && i === 0) {
          // Next works inside the embed too.
          await page.locator('#story-next').click();
          await settle(page);
          assert.equal(await page.locator('#story .story-step-h').textContent(), ch.steps[1].heading);
        }
      }
    }
    assert(unfit.length === 0, `at 700 px wide, taller than 760 px or wider than 700 px: ${unfit.join('; ')}`);
    // An embed naming no known chapter shows the first step, not an empty frame.
    await gotoApp(page, baseURL, '?embed=story&story=gone');
    await settle(page);
    assert.equal((await panel(page)).heading, STORY.chapters[0].steps[0].heading);
  },

  'a step moves the views there in a short transition, at once under reduced motion': async ({ page, baseURL, ctx }) => {
    // Chapter 1, step 2 → 3: the years shown change, so the timeline moves.
    const [a, b] = STORY.chapters[0].steps.slice(1, 3).map((s) => s.state?.range);
    assert(a && b && (a[0] !== b[0] || a[1] !== b[1]), 'steps 2 and 3 of chapter 1 show different years');
    const run = async (p) => {
      await gotoApp(p, baseURL, '?story=rq1&step=2');
      await drawn(p);
      await p.focus('#story-h');
      await p.keyboard.press('ArrowRight');
      await frames(p);
      const early = await pixels(p, CANVAS.timeline);
      await settle(p);
      return [early, await pixels(p, CANVAS.timeline)];
    };
    const [early, end] = await run(page);
    assert.notEqual(early, end, 'two frames after Next the timeline is still on its way');
    const still = await ctx.newPage({ reducedMotion: 'reduce' });
    const [earlyReduced, endReduced] = await run(still);
    assert.equal(earlyReduced, endReduced, 'under reduced motion the step is drawn at once');
    assert.equal(endReduced, end, 'both end at the same view');
  },

  'the Embed dialog offers the step shown': async ({ page, baseURL }) => {
    await gotoApp(page, baseURL, '?story=rq3&step=2');
    await settle(page);
    await page.locator('#story-embed').click();
    await settle(page);
    assert.equal(await page.locator('#embed-view').inputValue(), 'story');
    const code = await page.locator('#embed-code').inputValue();
    assert.includes(code, 'embed=story&amp;story=rq3&amp;step=2', 'the snippet names the step');
    assert.equal(await page.locator('#embed-hint').isVisible(), false);
  },

  'printing in story mode gives one section per step with its text, citations and views': async ({ page, baseURL }) => {
    const ch = STORY.chapters[2];
    await gotoApp(page, baseURL, `?story=${ch.id}&step=1`);
    await settle(page);
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    await page.emulateMedia({ media: 'print' });
    const got = await page.evaluate(() =>
      [...document.querySelectorAll('#story-print .print-step')].map((s) => ({
        heading: s.querySelector('.story-step-h')?.textContent,
        cites: s.querySelectorAll('.citations li').length,
        views: [...s.querySelectorAll('.print-view svg')].map((svg) => svg.querySelectorAll('*').length),
        visible: s.checkVisibility(),
      })),
    );
    assert.equal(got.length, ch.steps.length, 'one section per step');
    for (const [i, s] of ch.steps.entries()) {
      assert.equal(got[i].heading, s.heading);
      assert.equal(got[i].cites, s.sources.length, `${s.heading}: citations`);
      assert.equal(got[i].views.length, s.views.length, `${s.heading}: one drawing per view`);
      for (const n of got[i].views) assert.atLeast(n, 20, `${s.heading}: a drawn view`);
      assert(got[i].visible, `${s.heading}: printed`);
    }
    assert.equal(await page.locator('main#main').isVisible(), false, 'the interactive page is not printed');
    await page.emulateMedia({ media: 'screen' });
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
    assert.equal(await page.locator('#story-print .print-step').count(), 0);
  },

  'a story file that cannot be loaded is said, and the atlas goes on': async ({ baseURL, ctx }) => {
    ctx.allowConsoleError(/404/);
    // Without the service worker, which would answer from its cache.
    const page = await ctx.newPage({ serviceWorkers: 'block' });
    await page.route('**/story.bin', (route) => route.fulfill({ status: 404, body: 'no' }));
    await gotoApp(page, baseURL);
    await page.locator('#story-open').click();
    await settle(page);
    const text = await page.locator('#story').innerText();
    assert.includes(text, 'The story could not be loaded', 'the panel says so');
    await page.locator('#story-explore').click();
    await settle(page);
    assert.equal((await panel(page)).hidden, true);
    assert.equal(await page.locator('table.events tbody tr').count(), EVENTS.length, 'the atlas is unchanged');
    // The 404 was this test's own doing.
    ctx.badResponses.length = 0;
  },

  "the story's code is a module fetched when the story is first asked for, not before": async ({ baseURL, ctx }) => {
    const page = await ctx.newPage({ serviceWorkers: 'block' });
    const fetched = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname.split('/').pop()));
    await gotoApp(page, baseURL);
    await settle(page);
    const isModule = (f) => /^split_story-[0-9a-f]{16}\.wasm$/.test(f);
    assert.equal(fetched.filter(isModule).length, 0, `no story module on opening the atlas (${fetched.join(', ')})`);
    assert.equal(fetched.includes('story.bin'), false, 'nor the chapters');
    assert.equal(await page.locator('#story').count(), 0, 'nor the panel');
    assert.equal(await page.locator('#story-open').getAttribute('aria-controls'), null, 'the button controls nothing yet');
    await page.locator('#story-open').click();
    await settle(page);
    assert.equal(await page.locator('#story-open').getAttribute('aria-controls'), 'story', 'then the panel');
    assert.equal(fetched.filter(isModule).length, 1, `the module once the story is opened (${fetched.join(', ')})`);
    assert.equal((await panel(page)).progress, `Chapter 1 · step 1 of ${STORY.chapters[0].steps.length}`);
    // Opened again: nothing fetched again, one panel.
    await page.locator('#story-explore').click();
    await page.locator('#story-open').click();
    await settle(page);
    assert.equal(fetched.filter(isModule).length, 1, 'fetched once');
    assert.equal(await page.locator('#story').count(), 1, 'one panel');
  },

  "a story module that cannot be loaded is said, the atlas goes on, and a later try loads it": async ({ baseURL, ctx }) => {
    ctx.allowConsoleError(/404|split module|WebAssembly|wasm/i);
    const page = await ctx.newPage({ serviceWorkers: 'block' });
    let refuse = true;
    await page.route(/split_story-[0-9a-f]+\.wasm$/, (route) => (refuse ? route.fulfill({ status: 404, body: 'no' }) : route.continue()));
    await gotoApp(page, baseURL);
    await page.locator('#story-open').click();
    await settle(page);
    const alert = page.locator('#story-failed[role=alert]');
    assert.equal(await alert.count(), 1, 'the page says the story could not be loaded');
    assert.includes(await alert.innerText(), 'The story could not be loaded');
    assert.equal(await page.locator('table.events tbody tr').count(), EVENTS.length, 'the atlas is unchanged');
    await page.locator('#story-open').click();
    await settle(page);
    assert.equal(await page.locator('#story-failed').count(), 1, 'still said, once, while it still fails');
    refuse = false;
    await page.locator('#story-open').click();
    await settle(page);
    assert.equal(await page.locator('#story-failed').count(), 0, 'the message goes once the module is there');
    assert.equal((await panel(page)).progress, `Chapter 1 · step 1 of ${STORY.chapters[0].steps.length}`);
    ctx.badResponses.length = 0;
  },
};

for (const ch of STORY.chapters) {
  tests[`chapter ${ch.id}: each step's views draw the step's state, and the charts its highlight`] = ({ page, baseURL, ctx }) =>
    drawsItsState(page, baseURL, ctx, ch);
}
