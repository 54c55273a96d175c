// The page shell: loads cleanly, stays on this machine, works under a sub-path, screenshots.
// (The runner itself fails any test with console errors, foreign requests or CSP violations.)

import { existsSync, statSync } from 'node:fs';
import { assert, gotoApp } from '../lib.mjs';
import { core } from '../engines/core.mjs';

export const tests = {
  'loads with a title and no console errors': core(async ({ page, baseURL }) => {
    await gotoApp(page, baseURL);
    assert.includes(await page.title(), 'Pakistan', 'title');
    const lang = await page.evaluate(() => document.documentElement.lang);
    assert.equal(lang, 'en', '<html lang>');
  }),

  'every request goes to 127.0.0.1': async ({ page, baseURL, ctx }) => {
    await gotoApp(page, baseURL);
    await page.waitForLoadState('networkidle');
    assert.atLeast(ctx.requests.length, 1, 'requests seen');
    const origin = new URL(baseURL).origin;
    const elsewhere = ctx.requests.filter((u) => !u.startsWith(origin + '/') && !/^(data|blob):/.test(u));
    assert.deepEqual(elsewhere, [], 'requests not to the test server');
    assert.deepEqual(ctx.badResponses, [], 'HTTP errors');
  },

  'works served from a sub-path': async ({ page, ctx }) => {
    if (!ctx.subpathURL) ctx.skip('SUBPATH_BASE_URL not set');
    await gotoApp(page, ctx.subpathURL);
    assert.includes(await page.title(), 'Pakistan', 'title');
    await page.waitForLoadState('networkidle');
    const outside = ctx.requests.filter((u) => !u.startsWith(ctx.subpathURL) && !/^(data|blob):/.test(u));
    assert.deepEqual(outside, [], 'requests outside the sub-path (absolute paths in dist/?)');
  },

  'screenshots at 1280×800 and 390×844': async ({ page, baseURL, ctx }) => {
    await gotoApp(page, baseURL);
    const desktop = await ctx.screenshot('shell-1280x800');
    const phone = await ctx.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await gotoApp(phone, baseURL);
    const mobile = await ctx.screenshot(phone, 'shell-390x844');
    for (const f of [desktop, mobile]) assert(existsSync(f) && statSync(f).size > 1000, `screenshot ${f} missing or empty`);
    // Nothing should make the page scroll sideways on a phone.
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.atMost(overflow, 0, 'horizontal overflow at 390 px (px)');
  },
};
