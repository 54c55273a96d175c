// Written for every engine (see engines/core.mjs): the offline reload through the service
// worker, without Playwright's setOffline (the server that served the first visit is stopped
// instead), and a self-test of the Firefox and WebKit runners: a console error or an uncaught
// error fails a core test there as in Chromium, and a request to another host is blocked.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { assert, canvasNotBlank, gotoApp, isReadyScript, contentType } from '../lib.mjs';
import { core } from '../engines/core.mjs';
import { DRIVERS, runEngine } from '../engines/run.mjs';
import { EVENTS } from '../data.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', '..', 'dist');


/** Serves dist/ on a port of its own, so that the test can take the server away. */
async function serveDist() {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '') || 'index.html');
    try {
      if (path.startsWith('..') || !statSync(join(dist, path)).isFile()) throw new Error('not a file');
      res.writeHead(200, { 'Content-Type': contentType(path), 'Cache-Control': 'no-cache' });
      res.end(readFileSync(join(dist, path)));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () =>
      new Promise((r) => {
        server.close(r);
        server.closeAllConnections();
      }),
  };
}

export const tests = {
  'offline: after one visit, a reload with the server gone comes from the service worker': core(async ({ page, ctx }) => {
    // The probe below fails, as it should, and engines log that.
    ctx.allowConsoleError(/not-in-the-bundle-|ERR_CONNECTION_REFUSED|NetworkError|Failed to fetch|Load failed|Could not connect/);
    const server = await serveDist();
    let closed = false;
    try {
      await gotoApp(page, server.url);
      await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
      await server.close();
      closed = true;
      // The server is gone: a file the service worker does not hold cannot be fetched.
      const probe = await page.evaluate(() => fetch(`not-in-the-bundle-${Date.now()}`).then((r) => `HTTP ${r.status}`, () => 'failed'));
      assert.equal(probe, 'failed', 'a request for a file outside the bundle with the server gone');
      await page.reload();
      await page.waitForFunction(isReadyScript, null, { timeout: 30_000 });
      assert.includes(await page.title(), 'Pakistan–Russia Relations Atlas', 'title offline');
      await canvasNotBlank(page, 'canvas#timeline');
      await canvasNotBlank(page, 'canvas#map');
      assert.equal(await page.locator('table.events tbody tr[data-event-id]').count(), EVENTS.length, 'table rows offline');
      await ctx.screenshot('engines-offline');
    } finally {
      if (!closed) await server.close();
    }
  }),

  'Firefox and WebKit runners fail a core test on a console error or an uncaught error, and block other hosts': async ({ baseURL, ctx }) => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-engines-'));
    try {
      const spec = join(dir, 'engines-selftest.mjs');
      const coreURL = pathToFileURL(join(here, '..', 'engines', 'core.mjs')).href;
      writeFileSync(
        spec,
        `import { core } from ${JSON.stringify(coreURL)};
const ready = (page) => page.waitForFunction(() => window.__atlasReady === true);
export const tests = {
  'clean page': core(async ({ page, baseURL }) => { await page.goto(baseURL); await ready(page); }),
  'console error': core(async ({ page, baseURL }) => {
    await page.goto(baseURL);
    await ready(page);
    await page.evaluate(() => console.error('panicked at src/app/timeline.rs:1:1: engines self-test'));
  }),
  'uncaught error': core(async ({ page, baseURL }) => {
    await page.goto(baseURL);
    await ready(page);
    await page.evaluate(() => new Promise((r) => { setTimeout(() => { throw new Error('engines self-test throw'); }); setTimeout(r, 100); }));
  }),
  'other host': core(async ({ page }) => {
    // about:blank: no Content-Security-Policy of the app's to stop the request first.
    await page.goto('about:blank');
    const r = await page.evaluate(() => fetch('http://example.com/engines-self-test', { mode: 'no-cors' }).then(() => 'loaded', () => 'blocked'));
    if (r !== 'blocked') throw new Error('the request to another host was not blocked');
  }),
};
`,
      );
      const r = spawnSync(process.execPath, [join(here, '..', 'run.mjs'), spec], {
        env: { ...process.env, BASE_URL: baseURL, OUT_DIR: dir, E2E_GREP: '', E2E_ENGINES: 'firefox,webkit' },
        encoding: 'utf8',
        timeout: 120_000,
      });
      const out = `${r.stdout}\n${r.stderr}`;
      const verdicts = out.split('\n').filter((l) => /^(ok|FAIL) - /.test(l)).map((l) => l.replace(/: (console|requests|uncaught)[\s\S]*/, '').slice(0, 90));
      ctx.log(`the runner on its self-test: ${verdicts.join('; ')}`);
      assert.equal(r.status, 1, `runner exit code (output:\n${out})`);
      for (const engine of ['firefox', 'webkit']) {
        assert.match(out, new RegExp(`^ok - \\[${engine}\\] engines-selftest: clean page`, 'm'), `${engine}: the clean page passes`);
        assert.match(out, new RegExp(`^FAIL - \\[${engine}\\] engines-selftest: console error: console errors:\\s+console\\.error: panicked at`, 'm'), `${engine}: the console error fails its test`);
        assert.match(out, new RegExp(`^FAIL - \\[${engine}\\] engines-selftest: uncaught error: console errors:\\s+uncaught: .*engines self-test throw`, 'm'), `${engine}: the uncaught error fails its test`);
      }
      // Firefox sees the request (and fails the test); WebKit's content filter blocks it unseen.
      assert.match(out, /^FAIL - \[firefox\] engines-selftest: other host: requests to other hosts:\s+http:\/\/example\.com\/engines-self-test/m, 'firefox: the request fails its test');
      assert.match(out, /^ok - \[webkit\] engines-selftest: other host/m, 'webkit: the request is blocked');
      assert.match(out, /^# firefox 1 passed, 3 failed; webkit 2 passed, 2 failed$/m, 'per-engine line');
      assert.match(out, /^browser: 3 passed, 5 failed$/m, 'summary line');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },

  'the Firefox and WebKit runner runs a test again once when the engine crashed, never when a check failed': async () => {
    // A stand-in engine: each page is a driver that records nothing.
    const driver = { drain: async () => {}, close: async () => {}, requests: [], errors: [], screenshot: async () => {} };
    DRIVERS.stand_in = { available: () => null, launch: async () => ({ name: 'stand_in', version: 'v0', close: async () => {}, newDriver: async () => driver }) };
    const crash = 'WebDriver POST /execute/async: invalid session id: session deleted because of page crash or hang.';
    const calls = { once: 0, twice: 0, check: 0 };
    const test = (name, fn) => ['selftest', name, Object.assign(fn, { engines: ['stand_in'] })];
    const tests = [
      test('crashes once', async () => {
        if (calls.once++ === 0) throw new Error(crash);
      }),
      test('crashes twice', async () => {
        calls.twice++;
        throw new Error(crash);
      }),
      test('fails a check', async () => {
        calls.check++;
        assert(false, 'a failed check');
      }),
    ];
    const lines = [];
    const log = console.log;
    console.log = (...a) => lines.push(a.join(' '));
    let counts;
    try {
      counts = await runEngine('stand_in', tests, { baseURL: 'http://127.0.0.1:9/', outDir: tmpdir(), timeoutMs: 5000 });
    } finally {
      console.log = log;
      delete DRIVERS.stand_in;
    }
    const out = lines.join('\n');
    assert.deepEqual(calls, { once: 2, twice: 2, check: 1 }, `attempts per test (output:\n${out})`);
    assert.deepEqual(counts, { passed: 1, failed: 2, skipped: 0, retried: 1 }, 'counts');
    assert.match(out, /^ok - \[stand_in\] selftest: crashes once \(.*; retried once: the first attempt ended with "Error: WebDriver .*page crash or hang\.?"\)$/m, 'the retry is said on its line');
    assert.match(out, /^FAIL - \[stand_in\] selftest: crashes twice: [\s\S]*\(second attempt; the first ended with/m, 'a second crash fails');
    assert.match(out, /^FAIL - \[stand_in\] selftest: fails a check: a failed check$/m, 'a failed check is not retried');
    assert.match(out, /^# stand_in: v0, \d+ s, 1 test\(s\) retried after an engine crash$/m, "the engine's line counts it");
  },
};
