#!/usr/bin/env node
// Browser benchmark, run by `cargo xtask bench` (which adds first-visit bytes and prints the table).
//
//   BASE_URL=http://127.0.0.1:PORT/ BENCH_OUT=bench-output/browser.json node e2e/bench.mjs
//
// 1. BENCH_LOADS (default 10) cold loads, each in a fresh browser context (empty cache), desktop
//    (1280×800, no throttling): time from navigation start to the app's own
//    performance.mark('atlas-ready'), DOMContentLoaded and load; the browser's own first
//    contentful paint, largest contentful paint and layout shifts (their sum, as CLS), from
//    PerformanceObservers (buffered) installed before the page's scripts run, with the main
//    thread's long tasks (over 50 ms) that began after the first contentful paint; the URLs the
//    first load fetched. Then BENCH_SLOW_LOADS (default 5) cold loads with the CPU slowed 4×
//    (DevTools' throttling, as Lighthouse's mobile profile), for their long tasks.
// 2. Every function on window.__atlasBench, called as fn(frames, n) with n = 0 (the real data)
//    and n = 10000 (a generated dataset), in a fresh page each; it returns the time of each
//    frame in ms (an array, or a single number). Missing: "n/a". The hooks are compiled only
//    into a build with the cargo feature `bench` (not shipped to visitors): BENCH_HOOKS_URL
//    serves that build (default: BASE_URL).

import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isReadyScript, launchBrowser } from './lib.mjs';

const BASE_URL = process.env.BASE_URL;
const HOOKS_URL = process.env.BENCH_HOOKS_URL || BASE_URL;
const LOADS = Number(process.env.BENCH_LOADS || 10);
const SLOW_LOADS = Number(process.env.BENCH_SLOW_LOADS || 5);
const OUT = resolve(process.env.BENCH_OUT || 'bench-output/browser.json');
const FRAMES = Number(process.env.BENCH_FRAMES || 240);
const SIZES = [0, 10_000];
// What the second argument means for each bench function, and how to label the runs.
const RUNS = {
  timeline: [[0, 'real data'], [10_000, '10,000 generated events']],
  map: [[0, 'static, 1280×800 canvas'], [1, 'during a pan, 1280×800 canvas']],
};
const TIMEOUT = 60_000;

if (!BASE_URL) {
  console.error('BASE_URL is not set; `cargo xtask bench` sets it');
  process.exit(2);
}

const median = (xs) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const quantile = (xs, q) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const summary = (xs) => ({
  samples: xs,
  median: median(xs),
  min: xs.length ? Math.min(...xs) : null,
  max: xs.length ? Math.max(...xs) : null,
});
const fmt = (x) => (x == null ? 'n/a' : `${x.toFixed(1)} ms`);
const fmtCls = (x) => (x == null ? 'n/a' : x.toFixed(3));

// Runs in the page before its own scripts: the browser's paint, largest-contentful-paint and
// layout-shift entries (buffered: also those before the observer existed) into
// window.__benchPaint. LCP is the last candidate's time; CLS the sum of the shifts that did not
// follow an input; `long` the main thread's long tasks (over 50 ms).
const OBSERVE_PAINT = () => {
  const v = { fcp: null, lcp: null, cls: 0, long: [], supported: PerformanceObserver.supportedEntryTypes || [] };
  window.__benchPaint = v;
  const observe = (type, f) => {
    if (v.supported.includes(type)) new PerformanceObserver((list) => list.getEntries().forEach(f)).observe({ type, buffered: true });
  };
  observe('paint', (e) => {
    if (e.name === 'first-contentful-paint') v.fcp = e.startTime;
  });
  observe('largest-contentful-paint', (e) => {
    v.lcp = e.startTime;
  });
  observe('layout-shift', (e) => {
    if (!e.hadRecentInput) v.cls += e.value;
  });
  observe('longtask', (e) => v.long.push({ start: e.startTime, duration: e.duration }));
};

/** The long tasks that started after the first contentful paint: how many, the longest, and
 *  their time past 50 ms each (what Lighthouse sums as total blocking time). */
function longAfterPaint(t) {
  const after = (t.long || []).filter((x) => t.fcp != null && x.start >= t.fcp);
  return {
    count: after.length,
    longest: after.length ? Math.max(...after.map((x) => x.duration)) : 0,
    blocking: after.reduce((a, x) => a + x.duration - 50, 0),
    tasks: after.map((x) => `${x.duration.toFixed(0)} ms at ${x.start.toFixed(0)} ms`),
  };
}

async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', timezoneId: 'UTC' });
  await context.route((url) => !/^(data|blob):/.test(url.protocol) && url.hostname !== '127.0.0.1', (r) => r.abort());
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return { context, page, errors };
}

/** Waits until the app is ready (`isReadyScript`, as source) through the DevTools protocol, with a few
 *  lines of script. `page.waitForFunction` first evaluates Playwright's own injected script in
 *  the page: with the CPU slowed 4× that was a task of 48–59 ms of its own, parsing it, counted
 *  among the load's long tasks although no visitor's browser runs it. */
async function waitReady(context, page) {
  const cdp = await context.newCDPSession(page);
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
    expression: `new Promise((ready, late) => {
      const t0 = performance.now();
      const isReady = ${isReadyScript};
      const check = () => isReady() ? ready(true) : performance.now() - t0 > ${TIMEOUT} ? late(new Error('not ready in ${TIMEOUT} ms')) : setTimeout(check, 50);
      check();
    })`,
    awaitPromise: true,
    returnByValue: true,
  });
  await cdp.detach();
  if (exceptionDetails || !result || result.value !== true) {
    throw new Error(`the app did not become ready: ${exceptionDetails ? exceptionDetails.exception?.description || exceptionDetails.text : JSON.stringify(result)}`);
  }
}

async function coldLoad(browser, collectUrls, cpuSlowdown = 1) {
  const { context, page, errors } = await newPage(browser);
  const urls = [];
  if (collectUrls) page.on('request', (r) => urls.push(r.url()));
  try {
    await page.addInitScript(OBSERVE_PAINT);
    if (cpuSlowdown > 1) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
    }
    await page.goto(BASE_URL, { waitUntil: 'load', timeout: TIMEOUT });
    await waitReady(context, page);
    // Two frames and a little more after the app is ready: the paint that shows the first
    // complete render reports its largest-contentful-paint candidate.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 200)))));
    const t = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const mark = performance.getEntriesByName('atlas-ready', 'mark')[0];
      const paint = window.__benchPaint || {};
      return {
        fcp: paint.fcp ?? null,
        lcp: paint.lcp ?? null,
        cls: paint.supported && paint.supported.includes('layout-shift') ? paint.cls : null,
        long: paint.long || [],
        ready: mark ? mark.startTime : null,
        dcl: nav ? nav.domContentLoadedEventEnd : null,
        load: nav ? nav.loadEventEnd : null,
        heap: performance.memory ? performance.memory.usedJSHeapSize : null,
        wasm: window.__atlasTest && window.__atlasTest.wasmMemoryBytes ? window.__atlasTest.wasmMemoryBytes() : null,
      };
    });
    return { ...t, longAfter: longAfterPaint(t), urls, errors };
  } finally {
    await context.close();
  }
}

async function benchFunctions(browser) {
  // Which functions exist?
  const probe = await newPage(browser);
  let names = [];
  try {
    await probe.page.goto(HOOKS_URL, { waitUntil: 'load', timeout: TIMEOUT });
    await probe.page.waitForFunction(isReadyScript, null, { timeout: TIMEOUT });
    names = await probe.page.evaluate(() =>
      window.__atlasBench && typeof window.__atlasBench === 'object'
        ? Object.keys(window.__atlasBench).filter((k) => typeof window.__atlasBench[k] === 'function')
        : [],
    );
  } finally {
    await probe.context.close();
  }
  const results = {};
  for (const name of names.sort()) {
    for (const [n, label] of RUNS[name] || SIZES.map((n) => [n, `n=${n || 'real'}`])) {
      const key = `${name} ${label}`;
      const { context, page } = await newPage(browser);
      try {
        await page.goto(HOOKS_URL, { waitUntil: 'load', timeout: TIMEOUT });
        await page.waitForFunction(isReadyScript, null, { timeout: TIMEOUT });
        const raw = await page.evaluate(
          ([name, frames, n]) => {
            // The map is measured on a 1280×800 canvas, whatever the page layout gives it.
            if (name === 'map') {
              const c = document.getElementById('map');
              if (c) { c.style.width = '1280px'; c.style.height = '800px'; }
            }
            const r = window.__atlasBench[name](frames, n);
            return Array.isArray(r) || ArrayBuffer.isView(r) ? Array.from(r, Number) : typeof r === 'number' ? [r] : null;
          },
          [name, FRAMES, n],
        );
        if (!raw || !raw.length) {
          results[key] = { error: 'returned no frame times' };
        } else {
          results[key] = {
            frames: raw.length,
            median_ms: median(raw),
            p95_ms: quantile(raw, 0.95),
            max_ms: Math.max(...raw),
            samples_ms: raw,
          };
        }
      } catch (e) {
        results[key] = { error: String(e.message || e).split('\n')[0] };
      } finally {
        await context.close();
      }
      console.log(`__atlasBench.${key}: ${results[key].error ? 'error: ' + results[key].error : `median ${fmt(results[key].median_ms)}, p95 ${fmt(results[key].p95_ms)}`}`);
    }
  }
  if (!names.length) console.log('__atlasBench: n/a');
  return results;
}

async function main() {
  const { browser, close } = await launchBrowser();
  const report = { chromium: browser.version(), base_url: BASE_URL, frames: FRAMES };
  try {
    const ready = [], dcl = [], load = [], fcp = [], lcp = [], cls = [], longCount = [], longest = [];
    let firstUrls = [], heap = null;
    const errors = new Set();
    for (let i = 0; i < LOADS; i++) {
      const r = await coldLoad(browser, i === 0);
      if (i === 0) {
        firstUrls = r.urls;
        heap = r.heap;
        report.wasm_memory_bytes = r.wasm;
      }
      r.errors.forEach((e) => errors.add(e));
      if (r.ready != null) ready.push(r.ready);
      if (r.dcl != null) dcl.push(r.dcl);
      if (r.load != null) load.push(r.load);
      if (r.fcp != null) fcp.push(r.fcp);
      if (r.lcp != null) lcp.push(r.lcp);
      if (r.cls != null) cls.push(r.cls);
      longCount.push(r.longAfter.count);
      longest.push(r.longAfter.longest);
      console.log(
        `cold load ${i + 1}/${LOADS}: app's atlas-ready mark ${fmt(r.ready)}; browser's FCP ${fmt(r.fcp)}, LCP ${fmt(r.lcp)}, CLS ${fmtCls(r.cls)}; long tasks after FCP: ${r.longAfter.tasks.join(', ') || 'none'}`,
      );
    }
    // The same loads with the CPU slowed 4× (Lighthouse's mobile profile does so too): the long
    // tasks after the first paint, which is what a phone's main thread meets.
    const slowCount = [], slowLongest = [], slowBlocking = [];
    for (let i = 0; i < SLOW_LOADS; i++) {
      const r = await coldLoad(browser, false, 4);
      slowCount.push(r.longAfter.count);
      slowLongest.push(r.longAfter.longest);
      slowBlocking.push(r.longAfter.blocking);
      console.log(`cold load, CPU 4× slower, ${i + 1}/${SLOW_LOADS}: FCP ${fmt(r.fcp)}; long tasks after FCP: ${r.longAfter.tasks.join(', ') || 'none'}`);
    }
    report.loads = {
      ready_ms: summary(ready),
      dom_content_loaded_ms: summary(dcl),
      load_event_ms: summary(load),
      fcp_ms: summary(fcp),
      lcp_ms: summary(lcp),
      cls: summary(cls),
      long_tasks_after_fcp: summary(longCount),
      longest_task_after_fcp_ms: summary(longest),
      cpu4x_long_tasks_after_fcp: summary(slowCount),
      cpu4x_longest_task_after_fcp_ms: summary(slowLongest),
      cpu4x_blocking_after_fcp_ms: summary(slowBlocking),
    };
    report.first_visit_urls = firstUrls;
    report.js_heap_used_bytes = heap;
    report.console_errors = [...errors];
    report.atlas_bench = await benchFunctions(browser);
  } finally {
    await close();
  }
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify(report, null, 2) + '\n');
  const l = report.loads;
  const range = (v, f) => `${f(v.median)}  [${f(v.min)}–${f(v.max)}]`;
  console.log(`desktop (1280×800, no throttling), median of ${LOADS} cold loads [min–max]:`);
  console.log(`  app's own mark, atlas-ready             ${range(l.ready_ms, fmt)}`);
  console.log(`  browser, first contentful paint (FCP)   ${range(l.fcp_ms, fmt)}`);
  console.log(`  browser, largest contentful paint (LCP) ${range(l.lcp_ms, fmt)}`);
  console.log(`  browser, layout shifts summed (CLS)     ${range(l.cls, fmtCls)}`);
  const n = (x) => (x == null ? 'n/a' : String(x));
  console.log(`  long tasks after FCP (over 50 ms)       ${range(l.long_tasks_after_fcp, n)}, the longest ${range(l.longest_task_after_fcp_ms, fmt)}`);
  console.log(`CPU 4× slower, median of ${SLOW_LOADS} cold loads [min–max]:`);
  console.log(`  long tasks after FCP                    ${range(l.cpu4x_long_tasks_after_fcp, n)}, the longest ${range(l.cpu4x_longest_task_after_fcp_ms, fmt)}`);
  console.log(`  their time past 50 ms, summed           ${range(l.cpu4x_blocking_after_fcp_ms, fmt)}`);
  if (report.console_errors.length) console.log(`console errors during loads:\n  ${report.console_errors.join('\n  ')}`);
  console.log(`wrote ${OUT}`);
}

main().catch((e) => {
  console.error(e.stack || e);
  process.exit(1);
});
