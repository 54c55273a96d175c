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
};
