// Runs the core tests (see ./core.mjs) in Firefox and WebKit, with the checks e2e/run.mjs makes
// in Chromium: a test fails if it throws, times out, or if one of its pages logged a console
// error or an uncaught error (unless ctx.allowConsoleError matched it), requested a host other
// than 127.0.0.1, or reported a CSP violation. What each engine can observe: see
// ./firefox.mjs and ./webkit.mjs.

import { join } from 'node:path';
import { AssertionError, Skip, runWithTimeout } from '../lib.mjs';
import * as firefox from './firefox.mjs';
import * as webkit from './webkit.mjs';
import { wrapPage } from './page.mjs';

export const DRIVERS = { firefox, webkit };

/**
 * What a test's error says when the engine, not the page under test, went away: WebKit's
 * "session deleted because of page crash or hang", a command left unanswered (see
 * ./webkit.mjs `call`), Firefox's discarded browsing context or a dead Marionette.
 */
export const ENGINE_CRASH = /page crash or hang|did MiniBrowser crash|Browsing context has been discarded|Marionette.*(closed|crash)/;

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

async function runTest(engine, name, fn, env) {
  const drivers = [];
  const allowed = [];
  const rec = { requests: [], consoleErrors: [], badResponses: [] };
  const newPage = async (options = {}) => {
    const d = await engine.newDriver({ viewport: options.viewport, javaScriptEnabled: options.javaScriptEnabled !== false });
    drivers.push(d);
    const p = wrapPage(d);
    if (options.viewport) p._viewport = options.viewport;
    return p;
  };
  // What the drivers recorded so far, in the shape of Chromium's ctx.
  const collect = async () => {
    for (const d of drivers) await d.drain();
    rec.requests.splice(0, Infinity, ...drivers.flatMap((d) => d.requests));
    rec.consoleErrors.splice(0, Infinity, ...drivers.flatMap((d) => d.errors));
    rec.badResponses.splice(0, Infinity, ...drivers.flatMap((d) => d.badResponses || []));
  };
  let page = null;
  let error = null;
  let skipped = null;
  try {
    page = await newPage({ viewport: { width: 1280, height: 800 } });
    const ctx = {
      engine: engine.name,
      baseURL: env.baseURL,
      subpathURL: env.subpathURL,
      outDir: env.outDir,
      context: null,
      requests: rec.requests,
      consoleErrors: rec.consoleErrors,
      badResponses: rec.badResponses,
      allowConsoleError: (re) => allowed.push(re),
      newPage,
      async screenshot(nameOrPage, maybeName) {
        const [p, shot] = typeof nameOrPage === 'string' ? [page, nameOrPage] : [nameOrPage, maybeName];
        const path = join(env.outDir, `${engine.name}-${slug(shot)}.png`);
        await p.screenshot({ path });
        return path;
      },
      skip(reason) {
        throw new Skip(reason);
      },
      log: (...a) => console.log('   #', ...a),
    };
    ({ error, skipped } = await runWithTimeout(fn, { page, baseURL: env.baseURL, ctx }, env.timeoutMs));
  } catch (e) {
    error = e; // the page could not be opened
  }
  // Bounded: a crashed browser must not hold up the run.
  const bounded = (p) => Promise.race([p.catch(() => {}), new Promise((r) => setTimeout(r, 15_000).unref())]);
  await bounded(collect());
  const problems = [];
  if (!skipped) {
    // appFrame's reload (see there) cuts off loading scripts: the integrity error of an empty body.
    if (page && page.__reloadedForFrame) allowed.push(/integrity attribute match the content of the subresource.*The computed hash is “OLBgp1GsljhM2TJ\+sbHjaiH9txEUvgdDTAzHv2P24donTt6\/529l\+9Ua0vFImLlb”/);
    const unexpected = rec.consoleErrors.filter((m) => !allowed.some((re) => re.test(m)));
    if (unexpected.length) problems.push(`console errors:\n      ${unexpected.join('\n      ')}`);
    const foreign = drivers.flatMap((d) => d.foreign || []);
    if (foreign.length) problems.push(`requests to other hosts:\n      ${foreign.join('\n      ')}`);
  }
  if ((error || problems.length) && page) {
    await bounded(page.screenshot({ path: join(env.outDir, `FAIL-${engine.name}-${slug(name)}.png`) }));
  }
  for (const d of drivers) await bounded(d.close());
  if (skipped) return { status: 'skip', message: skipped };
  if (error) {
    const msg = error instanceof AssertionError ? error.message : error.stack || String(error);
    return { status: 'fail', message: [msg, ...problems].join('\n    ') };
  }
  if (problems.length) return { status: 'fail', message: problems.join('\n    ') };
  return { status: 'ok' };
}

/**
 * Runs `tests` ([spec, name, fn] with fn.engines) in `engineName`. Prints one line per test and
 * returns { passed, failed, skipped }.
 */
export async function runEngine(engineName, tests, env) {
  const counts = { passed: 0, failed: 0, skipped: 0, retried: 0 };
  const mine = tests.filter(([, , fn]) => fn.engines && fn.engines.includes(engineName));
  for (const [spec, name, fn] of tests) {
    if (fn.engines && !fn.engines.includes(engineName)) console.log(`skip - [${engineName}] ${spec}: ${name}: ${fn.engineSkips[engineName]}`);
  }
  counts.skipped += tests.length - mine.length;
  if (!mine.length) return counts;
  const driver = DRIVERS[engineName];
  const missing = driver.available();
  if (missing) {
    console.log(`FAIL - [${engineName}] cannot run ${mine.length} core tests: ${missing} (E2E_ENGINES=chromium runs Chromium only)`);
    counts.failed++;
    return counts;
  }
  const t0 = Date.now();
  let engine;
  try {
    engine = await driver.launch();
  } catch (e) {
    console.log(`FAIL - [${engineName}] does not start: ${e.stack || e}`);
    counts.failed++;
    return counts;
  }
  try {
    for (const [spec, name, fn] of mine) {
      const full = `${spec}: ${name}`;
      const t1 = Date.now();
      let r = await runTest(engine, full, fn, env);
      // The browser itself crashed or hung (not a failed check): one more attempt, said so in
      // the output and counted. A test that crashes the engine twice fails.
      if (r.status === 'fail' && ENGINE_CRASH.test(r.message)) {
        const first = r.message.split('\n')[0];
        r = await runTest(engine, full, fn, env);
        if (r.status === 'ok') {
          counts.retried++;
          r.note = `retried once: the first attempt ended with "${first}"`;
        } else {
          r.message = `${r.message}\n    (second attempt; the first ended with "${first}")`;
        }
      }
      const secs = ((Date.now() - t1) / 1000).toFixed(1);
      if (r.status === 'ok') {
        counts.passed++;
        console.log(`ok - [${engineName}] ${full} (${secs} s${r.note ? `; ${r.note}` : ''})`);
      } else if (r.status === 'skip') {
        counts.skipped++;
        console.log(`skip - [${engineName}] ${full}: ${r.message}`);
      } else {
        counts.failed++;
        console.log(`FAIL - [${engineName}] ${full}: ${r.message}`);
      }
    }
  } finally {
    await engine.close();
  }
  const retried = counts.retried ? `, ${counts.retried} test(s) retried after an engine crash` : '';
  console.log(`# ${engineName}: ${engine.version}, ${((Date.now() - t0) / 1000).toFixed(0)} s${retried}`);
  return counts;
}
