#!/usr/bin/env node
// The browser test runner: every test of every e2e/specs/*.mjs, each in a fresh browser
// context, in one headless Chromium. See e2e/README.md.
//
//   BASE_URL=http://127.0.0.1:PORT/ node e2e/run.mjs [--grep TEXT] [specs/file.mjs ...]
//
// Env: BASE_URL (required), SUBPATH_BASE_URL (the same app served under a sub-path; optional),
// CHROME (browser binary, default /usr/bin/chromium), OUT_DIR (screenshots, default
// test-output/), E2E_TIMEOUT_MS (per test, default 60000), E2E_ENGINES (default
// chromium,firefox,webkit: the tests marked core(...) also run in Firefox and WebKit, see
// engines/core.mjs).
//
// A test fails if it throws, or if during it the page logged a console error or threw an
// uncaught exception (unless ctx.allowConsoleError matched it), a request went to a host other
// than 127.0.0.1 (it is also blocked), or a CSP violation was reported.

import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve, basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AssertionError, Skip, isLocalURL, launchBrowser, runWithTimeout, loadRetries } from './lib.mjs';
import { ENGINES } from './engines/core.mjs';
import { runEngine } from './engines/run.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');


function parseArgs(argv) {
  const files = [];
  let grep = process.env.E2E_GREP || null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--grep') grep = argv[++i];
    else files.push(resolve(argv[i]));
  }
  return { files, grep };
}

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** Adds the listeners and the request guard to one browser context. */
async function instrument(context, rec) {
  context.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      // The browser's own request for a page without an icon (kiwix-serve's pages, for one)
      // is not the page's error.
      if (/^https?:\/\/[^/]+\/favicon\.ico$/.test(loc?.url ?? '')) return;
      rec.consoleErrors.push(`console.error: ${msg.text()}${loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  context.on('weberror', (err) => rec.consoleErrors.push(`uncaught: ${err.error().stack || err.error().message}`));
  context.on('request', (req) => {
    rec.requests.push(req.url());
    if (!isLocalURL(req.url())) rec.foreignRequests.push(req.url());
  });
  context.on('response', (res) => {
    if (res.status() >= 400) rec.badResponses.push(`${res.status()} ${res.url()}`);
  });
  context.on('page', (page) => {
    page.on('dialog', (d) => {
      rec.consoleErrors.push(`unexpected dialog: ${d.type()} ${d.message()}`);
      d.dismiss().catch(() => {});
    });
  });
  // Other hosts are blocked by Chromium's resolver (CHROME_ARGS: no name resolves), not by
  // routing every request through the test: with request interception on, a request of a page
  // that a service worker controls now and then never finished (about 1 in 8 loads that
  // downloaded at once after the first visit; 0 in 24 without it).
  await context.exposeBinding('__e2eCsp', (_source, v) => rec.csp.push(v));
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener(
      'securitypolicyviolation',
      (e) => {
        const v = { directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber, sample: e.sample };
        window.__cspViolations.push(v);
        try {
          window.__e2eCsp(v);
        } catch {}
      },
      true,
    );
  });
}

async function runTest(browser, name, fn, env) {
  const rec = { consoleErrors: [], requests: [], foreignRequests: [], badResponses: [], csp: [] };
  const allowed = [];
  const contexts = [];
  const newContext = async (options = {}) => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'en-US',
      timezoneId: 'UTC',
      colorScheme: 'light',
      ...options,
    });
    await instrument(context, rec);
    contexts.push(context);
    return context;
  };
  const context = await newContext();
  const page = await context.newPage();
  const ctx = {
    baseURL: env.baseURL,
    subpathURL: env.subpathURL,
    outDir: env.outDir,
    context,
    requests: rec.requests,
    consoleErrors: rec.consoleErrors,
    badResponses: rec.badResponses,
    /** Console errors matching `re` do not fail the test. */
    allowConsoleError(re) {
      allowed.push(re);
    },
    /** A new page in a new context (same checks), e.g. { viewport, isMobile, hasTouch, colorScheme }. */
    async newPage(options) {
      const c = await newContext(options);
      return c.newPage();
    },
    /** Screenshot of `p` (default: the test's page) to OUT_DIR/NAME.png; returns the path. */
    async screenshot(nameOrPage, maybeName, options = {}) {
      const [p, shot] = typeof nameOrPage === 'string' ? [page, nameOrPage] : [nameOrPage, maybeName];
      const path = join(env.outDir, `${slug(shot)}.png`);
      await p.screenshot({ path, ...options });
      return path;
    },
    skip(reason) {
      throw new Skip(reason);
    },
    log: (...a) => console.log('   #', ...a),
  };

  const { error, skipped } = await runWithTimeout(fn, { page, baseURL: env.baseURL, ctx }, env.timeoutMs);
  const problems = [];
  if (!skipped) {
    const unexpected = rec.consoleErrors.filter((m) => !allowed.some((re) => re.test(m)));
    if (unexpected.length) problems.push(`console errors:\n      ${unexpected.join('\n      ')}`);
    if (rec.foreignRequests.length) problems.push(`requests to other hosts:\n      ${rec.foreignRequests.join('\n      ')}`);
    if (rec.csp.length) problems.push(`CSP violations:\n      ${rec.csp.map((v) => JSON.stringify(v)).join('\n      ')}`);
  }
  if (error || problems.length) {
    try {
      await page.screenshot({ path: join(env.outDir, `FAIL-${slug(name)}.png`) });
    } catch {}
  }
  for (const c of contexts) await c.close().catch(() => {});
  if (skipped) return { status: 'skip', message: skipped };
  if (error) {
    const msg = error instanceof AssertionError ? error.message : (error.stack || String(error));
    return { status: 'fail', message: [msg, ...problems].join('\n    ') };
  }
  if (problems.length) return { status: 'fail', message: problems.join('\n    ') };
  return { status: 'ok' };
}

async function main() {
  const { files: argFiles, grep } = parseArgs(process.argv.slice(2));
  const baseURL = process.env.BASE_URL;
  if (!baseURL) {
    console.error('BASE_URL is not set (e.g. BASE_URL=http://127.0.0.1:8080/); `cargo xtask test` sets it');
    console.log('browser: 0 passed, 1 failed');
    process.exit(1);
  }
  const env = {
    baseURL: baseURL.endsWith('/') ? baseURL : baseURL + '/',
    subpathURL: process.env.SUBPATH_BASE_URL || null,
    outDir: resolve(process.env.OUT_DIR || join(repo, 'test-output')),
    timeoutMs: Number(process.env.E2E_TIMEOUT_MS || 60_000),
  };
  mkdirSync(env.outDir, { recursive: true });
  // Failure screenshots of earlier runs would mislead.
  for (const f of readdirSync(env.outDir)) if (f.startsWith('FAIL-')) rmSync(join(env.outDir, f), { force: true });

  const specDir = join(here, 'specs');
  const files = argFiles.length
    ? argFiles
    : readdirSync(specDir).filter((f) => f.endsWith('.mjs')).sort().map((f) => join(specDir, f));

  const engines = (process.env.E2E_ENGINES || ENGINES.join(',')).split(',').filter(Boolean);
  const unknown = engines.filter((e) => !ENGINES.includes(e));
  if (unknown.length) throw new Error(`E2E_ENGINES: unknown ${unknown.join(', ')} (known: ${ENGINES.join(', ')})`);
  const withChromium = engines.includes('chromium');
  const coreTests = [];
  const { browser, close } = withChromium ? await launchBrowser() : { close: async () => {} };
  if (browser) console.log(`# ${browser.version()} · ${env.baseURL} · screenshots in ${env.outDir}`);
  let passed = 0, failed = 0, skipped = 0;
  try {
    for (const file of files) {
      const spec = basename(file, '.mjs');
      let mod;
      try {
        mod = await import(pathToFileURL(file).href);
      } catch (e) {
        console.log(`FAIL - ${spec}: cannot load spec: ${e.stack || e}`);
        failed++;
        continue;
      }
      const tests = Object.entries(mod.tests || {});
      if (!tests.length) console.log(`# ${spec}: no tests exported`);
      for (const [name, fn] of tests) {
        const full = `${spec}: ${name}`;
        if (grep && !full.includes(grep)) continue;
        if (fn.engines) coreTests.push([spec, name, fn]);
        if (!withChromium) continue;
        const t0 = Date.now();
        const r = await runTest(browser, full, fn, env);
        const secs = ((Date.now() - t0) / 1000).toFixed(1);
        if (r.status === 'ok') {
          passed++;
          console.log(`ok - ${full} (${secs} s)`);
        } else if (r.status === 'skip') {
          skipped++;
          console.log(`skip - ${full}: ${r.message}`);
        } else {
          failed++;
          console.log(`FAIL - ${full}: ${r.message}`);
        }
      }
    }
  } finally {
    await close();
  }
  const again = loadRetries.length ? ` (${loadRetries.length} navigation(s) made again after no load event)` : '';
  const perEngine = withChromium ? [`chromium ${passed} passed, ${failed} failed${again}`] : [];
  for (const name of engines.filter((e) => e !== 'chromium')) {
    const c = await runEngine(name, coreTests, env);
    perEngine.push(`${name} ${c.passed} passed, ${c.failed} failed${c.retried ? ` (${c.retried} after an engine crash)` : ''}`);
    passed += c.passed;
    failed += c.failed;
    skipped += c.skipped;
  }
  console.log(`# ${perEngine.join('; ')}`);
  if (passed + failed === 0) {
    console.log(`# no test ran${grep ? ` (--grep ${JSON.stringify(grep)})` : ''}`);
    failed = failed || 1;
  }
  console.log(`browser: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.log(`FAIL - runner: ${e.stack || e}`);
  console.log('browser: 0 passed, 1 failed');
  process.exit(1);
});
