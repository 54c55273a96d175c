// Invalid embedded data: the app shows a readable error panel listing every problem (file,
// record, field), never a blank page. `cargo xtask test` builds the app a second time with
// tests/fixtures/broken-data embedded and serves it at BROKEN_DATA_URL.

import { assert, gotoApp } from '../lib.mjs';

// What the validator reports for the fixture, in order (tests/validator.rs checks the messages
// themselves; here we check the user sees all of them).
const EXPECTED = [
  'places.json: record "nowhere": field `lat`: latitude 95 out of range -90..90',
  'events.json: record "bad-date": field `date`: impossible date "1966-02-30"',
  'events.json: record "bad-category": field `category`: unknown category "war" (expected one of: diplomatic, alignment, military, economic, social, humanitarian, crisis)',
  'events.json: record "bad-category": field `places[0]`: unknown place id "atlantis"',
  'events.json: record "bad-category": field `sources`: no source: every fact needs at least one citation',
];

export const tests = {
  'broken data shows an error panel listing every problem': async ({ page, ctx }) => {
    const url = process.env.BROKEN_DATA_URL;
    if (!url) ctx.skip('BROKEN_DATA_URL not set');
    await gotoApp(page, url);
    const panel = page.locator('[role=alert]');
    assert.equal(await panel.count(), 1, 'one alert panel');
    assert.equal((await panel.locator('h1').textContent()).trim(), 'The atlas could not start', 'heading');
    assert.includes(await panel.textContent(), `Its data has ${EXPECTED.length} problems.`, 'count');
    const items = (await panel.locator('li').allTextContents()).map((t) => t.trim());
    assert.deepEqual(items, EXPECTED, 'listed problems');
    // Nothing of the atlas itself is shown half-built.
    assert.equal(await page.locator('canvas').count(), 0, 'no canvases');
    await ctx.screenshot('error-panel');
  },

  // The dataset travels in the page (a data block the build writes; src/data/mod.rs): a page
  // without it, or with another build's, says so instead of showing a blank or a wrong atlas.
  'a page without its data block, or with another build\'s, shows what is wrong': async ({ page, baseURL }) => {
    const block = /(<script type="application\/octet-stream" id="atlas-data">)([^]*?)(<\/script>)/;
    const cases = [
      ['removed', (html) => html.replace(block, ''), 'index.html: the page has no data block (#atlas-data)'],
      // One character of the data changed (a "2" of a year or a count becomes "3").
      ['changed', (html) => html.replace(block, (_, a, data, z) => a + data.replace('2', '3') + z), "index.html: the page's data block (#atlas-data) is not the one this build was made with (hash "],
    ];
    for (const [what, edit, message] of cases) {
      const original = await (await fetch(baseURL)).text();
      assert(block.test(original), 'the served page has its data block');
      assert.notEqual(edit(original), original, `the page was ${what}`);
      await page.route((u) => u.pathname === new URL(baseURL).pathname && u.search === `?${what}`, (route) =>
        route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: edit(original) }),
      );
      await gotoApp(page, baseURL, `?${what}`);
      const panel = page.locator('[role=alert]');
      assert.equal(await panel.count(), 1, `${what}: one alert panel`);
      assert.equal((await panel.locator('h1').textContent()).trim(), 'The atlas could not start', `${what}: heading`);
      const items = (await panel.locator('li').allTextContents()).map((t) => t.trim());
      assert.equal(items.length, 1, `${what}: one problem`);
      assert(items[0].startsWith(message), `${what}: ${JSON.stringify(items[0])} starts with ${JSON.stringify(message)}`);
      assert.equal(await page.locator('canvas').count(), 0, `${what}: no canvases`);
      assert.equal(await page.locator('#prerender').count(), 0, `${what}: the static first view is gone`);
    }
  },
};
