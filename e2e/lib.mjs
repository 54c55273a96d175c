// Helpers for the browser specs: assertions, app navigation, canvas checks.
// See e2e/README.md for the spec format.

import { chromium } from 'playwright-core';

// ---------------------------------------------------------------- assertions

export class AssertionError extends Error {}

const show = (v) => {
  try {
    return typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
};

/** assert(cond, msg) plus assert.equal / deepEqual / match / includes / atLeast / atMost. */
export function assert(cond, msg = 'assertion failed') {
  if (!cond) throw new AssertionError(msg);
}
assert.ok = assert;
assert.equal = (actual, expected, msg) =>
  assert(Object.is(actual, expected), `${msg ? msg + ': ' : ''}expected ${show(expected)}, got ${show(actual)}`);
assert.notEqual = (actual, unexpected, msg) =>
  assert(!Object.is(actual, unexpected), `${msg ? msg + ': ' : ''}expected anything but ${show(unexpected)}`);
assert.deepEqual = (actual, expected, msg) =>
  assert(show(actual) === show(expected), `${msg ? msg + ': ' : ''}expected ${show(expected)}, got ${show(actual)}`);
assert.match = (str, re, msg) =>
  assert(re.test(String(str)), `${msg ? msg + ': ' : ''}${show(str)} does not match ${re}`);
assert.includes = (haystack, needle, msg) =>
  assert(haystack != null && haystack.includes(needle), `${msg ? msg + ': ' : ''}${show(haystack)} does not include ${show(needle)}`);
assert.atLeast = (n, min, msg) => assert(n >= min, `${msg ? msg + ': ' : ''}expected >= ${min}, got ${n}`);
assert.atMost = (n, max, msg) => assert(n <= max, `${msg ? msg + ': ' : ''}expected <= ${max}, got ${n}`);

/** expect(x).toBe(y), .toEqual, .toContain, .toMatch, .toBeTruthy, .toBeGreaterThan(OrEqual), .toBeLessThan(OrEqual); .not inverts. */
export function expect(actual, msg) {
  const make = (negate) => {
    const check = (pass, text) => assert(negate ? !pass : pass, `${msg ? msg + ': ' : ''}expected ${show(actual)} ${negate ? 'not ' : ''}${text}`);
    return {
      toBe: (v) => check(Object.is(actual, v), `to be ${show(v)}`),
      toEqual: (v) => check(show(actual) === show(v), `to equal ${show(v)}`),
      toContain: (v) => check(actual != null && actual.includes(v), `to contain ${show(v)}`),
      toMatch: (re) => check(re.test(String(actual)), `to match ${re}`),
      toBeTruthy: () => check(!!actual, 'to be truthy'),
      toBeGreaterThan: (v) => check(actual > v, `to be > ${v}`),
      toBeGreaterThanOrEqual: (v) => check(actual >= v, `to be >= ${v}`),
      toBeLessThan: (v) => check(actual < v, `to be < ${v}`),
      toBeLessThanOrEqual: (v) => check(actual <= v, `to be <= ${v}`),
      toHaveLength: (n) => check(actual != null && actual.length === n, `to have length ${n}`),
    };
  };
  return Object.assign(make(false), { not: make(true) });
}

// ---------------------------------------------------------------- the app

/** True once the app has rendered: `window.__atlasReady === true` or the `atlas-ready` mark. */
export const isReadyScript = () =>
  window.__atlasReady === true || performance.getEntriesByName('atlas-ready', 'mark').length > 0;

/** What a page that has not fired its load event is waiting for: its state and the scripts and
 *  links not yet loaded. */
const waitingFor = (page) =>
  page
    .evaluate(() => {
      const done = new Set(performance.getEntriesByType('resource').map((r) => r.name));
      const wanted = [...document.querySelectorAll('script[src],link[href]')].map((el) => el.src || el.href);
      return `readyState ${document.readyState}; atlas-ready ${performance.getEntriesByName('atlas-ready').length > 0}; not loaded: ${wanted.filter((u) => !done.has(u)).join(', ') || 'none'}; loaded: ${[...done].map((u) => u.split('/').pop()).join(', ')}`;
    })
    .catch((err) => `page not readable: ${err.message}`);

/** How many navigations had no load event within their time and were made again (printed
 *  with each, and in the runner's summary). */
export const loadRetries = [];

/**
 * `page.goto(url)` until the load event. A headless browser on this shared machine now and then
 * never fires it (Firefox and Chromium, seen with the page waiting for a script or link it had
 * asked for): the navigation is then made once more, printed and counted (`loadRetries`); a
 * second time fails with what the page was waiting for.
 */
export async function loadPage(page, url, { timeout = 30_000 } = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await page.goto(url, { waitUntil: 'load', timeout });
    } catch (e) {
      if (!/Timeout/.test(String(e && e.message))) throw e;
      const state = await waitingFor(page);
      if (attempt >= 2) throw new AssertionError(`${url}: no load event within ${timeout} ms, twice (${state})`);
      loadRetries.push(`${url}: ${state}`);
      console.log(`   # no load event for ${url} in ${timeout / 1000} s (${state}); navigating again`);
    }
  }
}

/**
 * Opens the app and waits until it is ready.
 * `query`: '' | '?a=1&b=2' | '#x' | 'sub/path?x' | { a: 1, b: 2 } (becomes ?a=1&b=2).
 */
export async function gotoApp(page, baseURL, query = '', { timeout = 30_000 } = {}) {
  let suffix = query;
  if (query && typeof query === 'object') suffix = '?' + new URLSearchParams(query).toString();
  const url = new URL(suffix || '', baseURL).toString();
  const response = await loadPage(page, url, { timeout });
  assert(response && response.ok(), `GET ${url}: HTTP ${response ? response.status() : 'no response'}`);
  try {
    await page.waitForFunction(isReadyScript, null, { timeout });
  } catch (e) {
    throw new AssertionError(`app at ${url} not ready after ${timeout} ms (no window.__atlasReady / atlas-ready mark)`);
  }
  return response;
}

/**
 * Checks that a canvas shows a drawing, not an empty or single-colour surface.
 * Copies it (drawImage, so 2d and WebGL canvases both work) and counts the distinct colours and
 * the pixels that differ from the most common colour (the background). Returns the numbers;
 * throws when there are fewer than `minColors` colours or `minPixels` non-background pixels.
 */
export async function canvasNotBlank(page, selector, { minColors = 3, minPixels = 200 } = {}) {
  const stats = await page.evaluate((sel) => {
    const c = document.querySelector(sel);
    if (!c) return { error: `no element matches ${sel}` };
    if (!(c instanceof HTMLCanvasElement)) return { error: `${sel} is a <${c.tagName.toLowerCase()}>, not a canvas` };
    const { width, height } = c;
    if (width === 0 || height === 0) return { error: `${sel} is ${width}×${height}` };
    const copy = document.createElement('canvas');
    copy.width = width;
    copy.height = height;
    const g = copy.getContext('2d', { willReadFrequently: true });
    g.drawImage(c, 0, 0);
    const data = g.getImageData(0, 0, width, height).data;
    const total = width * height;
    const step = Math.max(1, Math.floor(total / 1_000_000)); // sample at most ~1M pixels
    const counts = new Map();
    let sampled = 0;
    for (let p = 0; p < total; p += step) {
      const i = p * 4;
      const key = (data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3];
      counts.set(key, (counts.get(key) || 0) + 1);
      sampled++;
    }
    let bg = 0;
    for (const n of counts.values()) bg = Math.max(bg, n);
    return { width, height, colors: counts.size, nonBackground: (sampled - bg) * step };
  }, selector);
  if (stats.error) throw new AssertionError(`canvasNotBlank: ${stats.error}`);
  assert(
    stats.colors >= minColors && stats.nonBackground >= minPixels,
    `canvas ${selector} (${stats.width}×${stats.height}) looks blank: ${stats.colors} colours, ${stats.nonBackground} non-background pixels (want >= ${minColors} and >= ${minPixels})`,
  );
  return stats;
}

/** Hostname check used by the runner and specs: only this machine (file: for the single-file build). */
export function isLocalURL(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (['data:', 'blob:', 'about:', 'file:'].includes(u.protocol)) return true;
  return u.hostname === '127.0.0.1';
}

/** Sleeps `ms` milliseconds (prefer waiting for a condition). */
/** The Content-Type of a file of dist/ for the specs' own small servers. */
export function contentType(path) {
  const types = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.wasm': 'application/wasm',
    '.webmanifest': 'application/manifest+json',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
  };
  const ext = (/\.[^./]+$/.exec(path) || [''])[0].toLowerCase();
  return types[ext] || 'application/octet-stream';
}

/** Thrown by `ctx.skip(reason)`: the test is skipped, not failed. */
export class Skip extends Error {}

/**
 * Runs test `fn` with its arguments, failing it after `timeoutMs`; returns { error, skipped }.
 * The one way both runners (e2e/run.mjs, e2e/engines/run.mjs) run a test body.
 */
export async function runWithTimeout(fn, args, timeoutMs) {
  let timer;
  try {
    await Promise.race([
      fn(args),
      new Promise((_, rej) => {
        timer = setTimeout(() => rej(new AssertionError(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { error: null, skipped: null };
  } catch (e) {
    return e instanceof Skip ? { error: null, skipped: e.message } : { error: e, skipped: null };
  } finally {
    clearTimeout(timer);
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- the browser

export const CHROME_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
  // No host name resolves, so nothing but 127.0.0.1 is reached (a test that asks for another
  // host also fails on the request, see run.mjs).
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

/**
 * Launches headless Chromium (CHROME or /usr/bin/chromium). Playwright gives it a fresh
 * temporary profile (--user-data-dir) and removes it on close. Returns { browser, close }.
 */
export async function launchBrowser() {
  const executablePath = process.env.CHROME || '/usr/bin/chromium';
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROME_ARGS });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
    },
  };
}

/** The frame of `page` whose URL starts with `prefix`, once the app in it is ready. */
export async function appFrame(page, prefix, timeout = 30_000) {
  const t0 = Date.now();
  let reloaded = false;
  for (;;) {
    const f = page.frames().find((fr) => fr !== page.mainFrame() && fr.url().startsWith(prefix));
    if (f) {
      await f.waitForFunction(isReadyScript, null, { timeout });
      return f;
    }
    assert(Date.now() - t0 < timeout, `no frame at ${prefix} after ${timeout} ms${reloaded ? ' (and a reload)' : ''}`);
    // Firefox's driver now and then never reports a cross-origin frame of a page's first load
    // (1 in ~10 runs of the example pages on this machine): load the page once more, then fail.
    if (!reloaded && Date.now() - t0 > timeout / 3) {
      reloaded = true;
      // The reload cuts off the first load's requests; Firefox then reports the cut scripts as
      // failing their integrity check (an empty body's hash). The runners allow exactly that
      // error on a page reloaded here.
      page.__reloadedForFrame = true;
      console.log(`   # no frame at ${prefix} after ${Math.round((Date.now() - t0) / 1000)} s: reloading the page once`);
      await page.reload({ waitUntil: 'load' });
    }
    await sleep(100);
  }
}
