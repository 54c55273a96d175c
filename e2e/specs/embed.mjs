// Embedding: the Embed dialog's snippet, and examples/embed.html (a mock university page that
// pastes that snippet) served from an origin of its own by `cargo xtask test` (EMBED_EXAMPLE_URL),
// embedding the app served under a sub-path on another port (EMBED_APP_URL). The frame must
// grow (and shrink) to its content with no scrollbar inside, at 1280 and at 360 px, and the
// page's listener must ignore messages from any other origin and anything but a number.

import { appFrame, assert, canvasNotBlank, expect, gotoApp, isReadyScript, sleep } from '../lib.mjs';
import { core } from '../engines/core.mjs';

const EXAMPLE = process.env.EMBED_EXAMPLE_URL;
const APP = process.env.EMBED_APP_URL;
const OTHER = process.env.OTHER_ORIGIN_URL;
const need = (ctx) => {
  if (!EXAMPLE || !APP || !OTHER) ctx.skip('EMBED_EXAMPLE_URL, EMBED_APP_URL, OTHER_ORIGIN_URL not set (cargo xtask test sets them)');
};

/** Records, in the embedding page only, every message it receives (before any page script). */
const recordMessages = () => {
  if (window.top !== window) return;
  window.__messages = [];
  addEventListener('message', (e) => window.__messages.push({ origin: e.origin, type: typeof e.data, data: e.data }));
};

async function openExample(page) {
  await page.addInitScript(recordMessages);
  const res = await page.goto(EXAMPLE, { waitUntil: 'load' });
  assert(res && res.ok(), `GET ${EXAMPLE}`);
  return appFrame(page, APP);
}

/** The iframe's height and the content inside it, once the iframe's height has settled on the
 *  content's height (the same for 3 readings in a row, 200 ms apart). */
async function settled(page, frame, timeout = 20_000) {
  const t0 = Date.now();
  let same = 0;
  let last = null;
  let m;
  for (;;) {
    const outer = await page.evaluate(() => document.getElementById('pakru-atlas').getBoundingClientRect().height);
    const inner = await frame.evaluate(() => {
      const d = document.documentElement;
      return {
        content: Math.ceil(d.getBoundingClientRect().height),
        scrollHeight: d.scrollHeight,
        clientHeight: d.clientHeight,
        scrollWidth: d.scrollWidth,
        clientWidth: d.clientWidth,
        innerWidth: window.innerWidth,
      };
    });
    m = { outer, ...inner };
    same = Math.abs(outer - inner.content) <= 1 && outer === last ? same + 1 : 0;
    if (same >= 3) return m;
    last = outer;
    assert(Date.now() - t0 < timeout, `the frame did not settle on its content's height: ${JSON.stringify(m)}`);
    await sleep(200);
  }
}

function assertFits(m, what) {
  assert.atLeast(m.clientHeight, m.scrollHeight, `${what}: no vertical scrolling inside the frame (${JSON.stringify(m)})`);
  assert.atLeast(m.clientWidth, m.scrollWidth, `${what}: no horizontal scrolling inside the frame (${JSON.stringify(m)})`);
  // A classic scrollbar would take width: the frame's viewport is its whole width.
  assert.equal(m.clientWidth, m.innerWidth, `${what}: no scrollbar inside the frame`);
}

/** The embed layout: no page header, a small title that opens the full app. */
async function assertEmbedLayout(frame) {
  expect(await frame.locator('.site-header').count(), 'page header in embed mode').toBe(0);
  assert.equal((await frame.locator('.embed-header h1').innerText()).trim(), 'Pakistan–Russia Relations Atlas', 'embed title');
  const link = frame.locator('#open-atlas');
  await link.waitFor();
  assert.includes(await link.innerText(), 'Open in the atlas', 'the link to the full atlas');
  const href = new URL(await link.getAttribute('href'), frame.url());
  assert.equal(href.origin + href.pathname, APP, 'the title links to the full app');
  assert.equal(href.searchParams.get('embed'), null, 'the full-app link leaves embed mode');
  assert.equal(await link.getAttribute('target'), '_blank', 'opens in a new tab');
}

async function assertOnlyNumbersFromApp(page) {
  const msgs = await page.evaluate(() => window.__messages);
  const fromApp = msgs.filter((m) => m.origin === new URL(APP).origin);
  assert.atLeast(fromApp.length, 1, 'height messages from the app');
  for (const m of fromApp) {
    assert(m.type === 'number' && Number.isFinite(m.data) && m.data > 0, `the app sent something but a height: ${JSON.stringify(m)}`);
  }
}

export const tests = {
  'the Embed dialog gives the snippet examples/embed.html uses': async ({ page, ctx }) => {
    need(ctx);
    await gotoApp(page, APP);
    const button = page.locator('#embed-button');
    assert.equal(await button.getAttribute('aria-expanded'), 'false', 'dialog closed at first');
    // Built when first opened: a frame costs a document of its own, not worth the page's first task.
    await sleep(300);
    assert.deepEqual(
      await page.evaluate(() => [document.querySelectorAll('iframe').length, document.getElementById('embed-dialog').children.length]),
      [0, 0],
      'no preview frame and no controls before the dialog is opened',
    );
    await button.click();
    assert.equal(await button.getAttribute('aria-expanded'), 'true', 'aria-expanded after opening');
    await page.locator('#embed-dialog').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#embed-dialog iframe#embed-preview').count(), 1, 'the preview frame once opened');
    const snippet = (await page.locator('textarea#embed-code').inputValue()).trim();
    const origin = new URL(APP).origin;
    assert.includes(snippet, `<iframe id="pakru-atlas" src="${APP}?embed=1&amp;lang=en" title="Pakistan–Russia Relations Atlas"`, 'iframe with src and title');
    assert.includes(snippet, `e.origin !== "${origin}"`, 'the listener checks the app origin');
    assert.includes(snippet, 'typeof e.data !== "number"', 'the listener accepts only numbers');
    // The example page pastes exactly this snippet (with the test server's address).
    const html = await (await fetch(EXAMPLE)).text();
    const pasted = html.split('<!-- atlas embed: start -->')[1]?.split('<!-- atlas embed: end -->')[0];
    assert(pasted, 'examples/embed.html marks its snippet with <!-- atlas embed: start/end -->');
    assert.equal(pasted.trim(), snippet, 'examples/embed.html snippet vs the Embed dialog');
  },

  'examples/embed.html at 1280 px: the frame grows to fit, no scrollbar inside': core(async ({ page, ctx }) => {
    need(ctx);
    const frame = await openExample(page);
    const m = await settled(page, frame);
    assert.atLeast(m.outer, 1200, 'the frame grew past its initial 900 px');
    assertFits(m, '1280 px');
    await assertEmbedLayout(frame);
    await canvasNotBlank(frame, 'canvas#timeline');
    await canvasNotBlank(frame, 'canvas#map');
    await assertOnlyNumbersFromApp(page);
    await ctx.screenshot(page, 'embed-example-1280', { fullPage: true });
  }),

  'examples/embed.html at 360 px: the frame grows to fit, no scrollbar inside': core(async ({ ctx }) => {
    need(ctx);
    const page = await ctx.newPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const frame = await openExample(page);
    const m = await settled(page, frame);
    assert.atLeast(m.outer, 1200, 'the frame grew past its initial 900 px');
    assert.atMost(m.innerWidth, 360, 'frame width');
    assertFits(m, '360 px');
    const pageOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.atMost(pageOverflow, 0, 'horizontal overflow of the university page at 360 px');
    await assertEmbedLayout(frame);
    await canvasNotBlank(frame, 'canvas#timeline');
    await assertOnlyNumbersFromApp(page);
    await ctx.screenshot(page, 'embed-example-360', { fullPage: true });
  }, { webkit: 'the MiniBrowser window is at least 447 px wide (its toolbar): no 360 px viewport' }),

  'the frame shrinks when its content gets shorter': core(async ({ page, ctx }) => {
    need(ctx);
    const frame = await openExample(page);
    const before = await settled(page, frame);
    const rowsBefore = await frame.locator('table.events tbody tr').count();
    // Search for one event's title: the table keeps only the rows that match.
    const title = await frame.locator('table.events tbody tr').first().locator('button.event-link').innerText();
    await frame.locator('#search').fill(title);
    await frame.waitForFunction((n) => document.querySelectorAll('table.events tbody tr').length < n, rowsBefore);
    const after = await settled(page, frame);
    assert.atMost(after.outer, before.outer - 100, `the frame shrank with the table (${before.outer} → ${after.outer} px)`);
    assertFits(after, 'after searching');
  }),

  'the listener ignores other origins and anything but a number': core(async ({ page, ctx }) => {
    need(ctx);
    const frame = await openExample(page);
    await settled(page, frame);
    // Every height the listener sets from now on.
    await page.evaluate(() => {
      const el = document.getElementById('pakru-atlas');
      window.__heights = [];
      new MutationObserver(() => window.__heights.push(el.style.height)).observe(el, { attributes: true, attributeFilter: ['style'] });
    });
    // 1. A number from the page's own origin.
    await page.evaluate(() => window.postMessage(4321, '*'));
    // 2. A number from another origin: the atlas served from another port, framed by the page
    //    (fixed in the viewport: Chromium does not run animation frames of hidden frames).
    await page.evaluate((src) => {
      const f = document.createElement('iframe');
      f.src = src;
      f.title = 'another copy';
      f.style.cssText = 'position:fixed;top:0;left:0;width:320px;height:200px;border:0';
      document.body.append(f);
    }, `${OTHER}?embed=1`);
    const other = await appFrame(page, OTHER);
    await other.evaluate(() => parent.postMessage(4322, '*'));
    // 3. From the app's own frame, everything but a positive finite number.
    await frame.evaluate(() => {
      for (const v of ['4323', '4324px', { height: 4325 }, [4326], NaN, Infinity, -4327, 0, null, true, undefined]) parent.postMessage(v, '*');
    });
    await sleep(500);
    // 4. The message that must work: a number from the app's frame (so the checks above can fail).
    await frame.evaluate(() => parent.postMessage(1234, '*'));
    await page.waitForFunction(() => window.__heights.includes('1234px'), null, { timeout: 5000 });
    const heights = await page.evaluate(() => window.__heights);
    for (const bad of ['4321px', '4322px', '4323px', '4324px', '4325px', '4326px', '4327px', '0px', 'NaNpx', 'Infinitypx', '20000px']) {
      assert(!heights.includes(bad), `the listener accepted a bad message: heights set ${JSON.stringify(heights)}`);
    }
    // The messages did reach the page (so "ignored" means the listener ignored them).
    const seen = await page.evaluate(() => window.__messages.map((m) => m.data));
    for (const v of [4321, 4322, '4323']) assert(seen.includes(v), `message ${JSON.stringify(v)} reached the page`);
  }),
};
