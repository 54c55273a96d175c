// WebKit: WebKitGTK's MiniBrowser driven by WebKitWebDriver (W3C WebDriver classic over HTTP)
// under Xvfb. One MiniBrowser (one WebDriver session) per page, so each page starts with a
// clean profile.
//
// WebKitWebDriver 2.50 has no WebDriver BiDi (it refuses `webSocketUrl`) and no log endpoint,
// so there is no console event to listen to: after every navigation the page gets a small
// script that records console.error, uncaught errors, unhandled rejections and CSP violations
// in `window.__e2eErrors`, read back before the next navigation and at the end of the test. A
// console error logged before that script runs (while the document loads) is not seen.
// Requests to other hosts are blocked by a content filter (MiniBrowser --content-filter) and
// the requests a page made are read from its resource timing entries.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const name = 'webkit';

/** MiniBrowser of Debian's libwebkit2gtk-4.1-0 (the path has the multiarch triplet). */
export function miniBrowserPath() {
  if (process.env.MINIBROWSER) return process.env.MINIBROWSER;
  const lib = '/usr/lib';
  for (const d of existsSync(lib) ? readdirSync(lib) : []) {
    const p = join(lib, d, 'webkit2gtk-4.1', 'MiniBrowser');
    if (existsSync(p)) return p;
  }
  return null;
}

export function available() {
  const mb = miniBrowserPath();
  if (!mb) return 'MiniBrowser not found (Debian package libwebkit2gtk-4.1-0)';
  if (!existsSync('/usr/bin/WebKitWebDriver')) return 'WebKitWebDriver not found (Debian package webkit2gtk-driver)';
  if (!process.env.DISPLAY && !existsSync('/usr/bin/Xvfb')) return 'no DISPLAY and no Xvfb (Debian package xvfb)';
  return null;
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** The narrowest MiniBrowser window (its toolbar), measured with WebKitGTK 2.50.6. */
export const MIN_WIDTH = 447;

// W3C WebDriver key codes for the key names the specs use (Playwright's names).
const KEYS = {
  Enter: '\uE007', Escape: '\uE00C', Tab: '\uE004', Backspace: '\uE003', Delete: '\uE017', Space: ' ',
  ArrowLeft: '\uE012', ArrowUp: '\uE013', ArrowRight: '\uE014', ArrowDown: '\uE015',
  Home: '\uE011', End: '\uE010', PageUp: '\uE00E', PageDown: '\uE00F',
  Shift: '\uE008', Control: '\uE009', Alt: '\uE00A', Meta: '\uE03D',
};
const key = (k) => KEYS[k] ?? k;

// Installed in the page after each navigation (see the top of this file).
const INSTALL_HOOK = `() => {
  if (window.__e2eErrors) return;
  const errors = (window.__e2eErrors = []);
  // WebKit's Error.stack lacks the name and message.
  const show = (v) => (v instanceof Error ? v.name + ': ' + v.message + (v.stack ? '\\n' + v.stack : '') : typeof v === 'string' ? v : (() => { try { return JSON.stringify(v); } catch { return String(v); } })());
  const original = console.error;
  console.error = function (...a) {
    errors.push('console.error: ' + a.map(show).join(' '));
    return original.apply(this, a);
  };
  addEventListener('error', (e) => errors.push('uncaught: ' + (e.error ? show(e.error) : e.message)));
  addEventListener('unhandledrejection', (e) => errors.push('unhandled rejection: ' + show(e.reason)));
  document.addEventListener('securitypolicyviolation', (e) => errors.push('CSP violation: ' + JSON.stringify({ directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber })), true);
}`;
const READ_HOOK = `() => {
  const errors = window.__e2eErrors ? window.__e2eErrors.splice(0) : [];
  const requests = [location.href, ...performance.getEntriesByType('resource').map((e) => e.name)];
  return { errors, requests };
}`;

/**
 * Starts one Xvfb for the whole run when there is no display: `{ display, stop }`. Xvfb picks a
 * free display number itself (-displayfd), so drivers started together cannot race for one, as
 * `xvfb-run -a` per driver could.
 */
async function startXvfb() {
  if (process.env.DISPLAY) return { display: process.env.DISPLAY, alive: () => true, stop: async () => {} };
  const proc = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1920x1080x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
  const display = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`Xvfb gave no display number in 20 s: ${stderr}`)), 20_000);
    proc.stdio[3].on('data', (d) => {
      out += d;
      const m = out.match(/^(\d+)\n/);
      if (m) clearTimeout(timer), resolve(`:${m[1]}`);
    });
    proc.once('exit', (code) => (clearTimeout(timer), reject(new Error(`Xvfb exited (${code}): ${stderr}`))));
  });
  const exited = new Promise((r) => proc.once('exit', r));
  const stop = async () => {
    // SIGTERM lets Xvfb remove its lock file and socket.
    proc.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  };
  return { display, alive: () => proc.exitCode === null && proc.signalCode === null, stop };
}

/** Starts one WebKitWebDriver on `display`: { base, stop, stderr }. */
async function startDriver(display) {
  const port = await freePort();
  const proc = spawn('WebKitWebDriver', [`--port=${port}`], { stdio: ['ignore', 'ignore', 'pipe'], detached: true, env: { ...process.env, DISPLAY: display, TZ: 'UTC', LANG: 'en_US.UTF-8' } });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const base = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  for (;;) {
    try {
      const r = await fetch(`${base}/status`);
      if (r.ok) break;
    } catch {}
    if (Date.now() - t0 > 20_000 || proc.exitCode !== null) throw new Error(`WebKitWebDriver did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const exited = new Promise((r) => proc.once('exit', r));
  const stop = async () => {
    const kill = (sig) => {
      try {
        process.kill(-proc.pid, sig);
      } catch {}
    };
    kill('SIGTERM');
    // A driver with a session still open may outlive SIGTERM: whatever is left of the process
    // group then.
    await Promise.race([exited, new Promise((r) => setTimeout(r, 1000))]);
    kill('SIGKILL');
  };
  return { base, stop, busy: false, stderr: () => stderr.trim().split('\n').slice(-3).join(' | ') };
}

async function call(base, method, path, body, timeoutMs = 45_000) {
  const what = `WebDriver ${method} ${path.replace(/\/session\/[^/]+/, '')}`;
  // A MiniBrowser that crashed leaves its command unanswered: give up after 45 s.
  const secs = timeoutMs / 1000;
  const r = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((e) => {
    throw new Error(`${what}: ${e.name === 'TimeoutError' ? `no answer in ${secs} s (did MiniBrowser crash?)` : e.message}`);
  });
  const j = await r.json().catch(() => ({ value: { error: `HTTP ${r.status}` } }));
  const v = j.value;
  if (v && v.error) {
    const e = new Error(`${what}: ${v.error}: ${v.message || ''}`);
    e.wdError = v.error;
    throw e;
  }
  return v;
}

/**
 * Launches the engine. WebKitWebDriver holds one session at a time, so a test's second page
 * (ctx.newPage) gets a WebKitWebDriver of its own; they are kept for the next tests.
 */
export async function launch() {
  let xvfb = await startXvfb();
  const pool = [await startDriver(xvfb.display).catch(async (e) => (await xvfb.stop(), Promise.reject(e)))];
  // Block every host but this machine (the runner's request guard).
  const dir = mkdtempSync(join(tmpdir(), 'e2e-webkit-'));
  const filter = join(dir, 'content-filter.json');
  writeFileSync(
    filter,
    JSON.stringify([
      { trigger: { 'url-filter': '^[a-z-]+://' }, action: { type: 'block' } },
      { trigger: { 'url-filter': '^(https?|wss?)://127\\.0\\.0\\.1[:/]' }, action: { type: 'ignore-previous-rules' } },
      { trigger: { 'url-filter': '^(file|data|blob|about):' }, action: { type: 'ignore-previous-rules' } },
    ]),
  );
  const binary = miniBrowserPath();
  let version = 'WebKitGTK';

  return {
    name,
    get version() {
      return version;
    },
    /** A new MiniBrowser with a page: the driver primitives the engine page adapter uses. */
    async newDriver({ viewport = { width: 1280, height: 800 }, javaScriptEnabled = true } = {}) {
      const args = ['--automation', `--content-filter=${filter}`, '-t', 'UTC'];
      if (!javaScriptEnabled) args.push('--enable-javascript=false');
      let wd = pool.find((w) => !w.busy);
      if (!wd) pool.push((wd = await startDriver(xvfb.display)));
      wd.busy = true;
      const caps = { capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary, args } } } };
      // A session starts in 1 to 3 s, but now and then MiniBrowser does not come up ("failed to
      // create a new browsing context", or no answer; 2 CI runs in about 40): then again with a
      // new driver (and a new X server if it has exited), after 1 s and after 4 s.
      const tries = [];
      let s = null;
      let attempt = 0;
      for (const pause of [0, 1000, 4000]) {
        attempt++;
        if (pause) {
          await new Promise((r) => setTimeout(r, pause));
          // (After a try whose driver did not start, `wd` is the one stopped before it.)
          await wd.stop();
          if (pool.includes(wd)) pool.splice(pool.indexOf(wd), 1);
          try {
            // An X server that went away takes every driver with it: a new one.
            if (!xvfb.alive()) {
              await xvfb.stop();
              xvfb = await startXvfb();
              tries.push(`Xvfb had exited: started again on ${xvfb.display}`);
            }
            pool.push((wd = await startDriver(xvfb.display)));
          } catch (e) {
            tries.push(e.message);
            continue;
          }
          wd.busy = true;
        }
        try {
          s = await call(wd.base, 'POST', '/session', caps, 15_000);
          break;
        } catch (e) {
          const said = wd.stderr();
          tries.push(said ? `${e.message} (driver: ${said})` : e.message);
        }
      }
      if (!s) {
        wd.busy = false;
        throw new Error(`${attempt} tries: ${tries.join('; ')}`);
      }
      if (tries.length) console.log(`# webkit: a session was created at try ${attempt} after: ${tries.join('; ')}`);
      version = `${s.capabilities.browserName} ${s.capabilities.browserVersion}`;
      const sid = `/session/${s.sessionId}`;
      // One command at a time: evaluating in a frame is switch, run, switch back.
      let queue = Promise.resolve();
      const locked = (f) => {
        const r = queue.then(f, f);
        queue = r.catch(() => {});
        return r;
      };
      // A command with no answer means a hung MiniBrowser or driver: the driver is then not
      // put back in the pool but stopped (`close`), so that the runner's second attempt, and
      // the tests after it, get new ones. (Put back, a hung driver failed the second attempt
      // the same way: a CI run with "no answer in 45 s" twice for one test.)
      let hung = false;
      const raw = (method, path, body) =>
        call(wd.base, method, sid + path, body).catch((e) => {
          if (/no answer in/.test(e.message)) hung = true;
          throw e;
        });
      const c = (method, path, body) => locked(() => raw(method, path, body));
      const initScripts = [];
      const execRaw = async (src, arg) => {
        const script = `const done = arguments[arguments.length - 1];
          Promise.resolve().then(() => (${src})(arguments[0])).then(
            (v) => done({ ok: v === undefined ? null : v }),
            (e) => done({ err: String((e && e.stack) || e) }));`;
        const r = await raw('POST', '/execute/async', { script, args: [arg === undefined ? null : arg] });
        if (r && 'err' in r) throw new Error(`in page: ${r.err}`);
        return r ? r.ok : r;
      };
      const exec = (src, arg) => locked(() => execRaw(src, arg));
      const pointer = (actions) => c('POST', '/actions', { actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions }] });
      let pos = { x: 0, y: 0 };
      const seen = new Set();
      const navigate = async (go) => {
        await d.drain();
        await go();
        if (!javaScriptEnabled) return;
        await exec(INSTALL_HOOK).catch(() => {});
        // No init scripts over WebDriver classic: they run once the page has loaded.
        for (const src of initScripts) await exec(src).catch(() => {});
      };
      const d = {
        engine: name,
        javaScriptEnabled,
        async setViewport({ width, height }) {
          // The window resizes asynchronously: read the viewport until two readings agree, on
          // the size wanted or, after `patience` ms, on any size.
          const settle = async (patience) => {
            let last = null;
            for (const t0 = Date.now(); ; ) {
              const now = await exec('() => [innerWidth, innerHeight]');
              const stable = last && now[0] === last[0] && now[1] === last[1];
              if (stable && ((now[0] === width && now[1] === height) || Date.now() - t0 > patience)) return now;
              last = now;
              await new Promise((r) => setTimeout(r, 50));
            }
          };
          await c('POST', '/window/rect', { width, height });
          // The window has a toolbar: grow it by what is missing from the viewport.
          let inner = await settle(200);
          if (inner[0] !== width || inner[1] !== height) {
            await c('POST', '/window/rect', { width: 2 * width - inner[0], height: 2 * height - inner[1] });
            inner = await settle(2000);
          }
          if (inner[0] !== width || inner[1] !== height) {
            throw new Error(`MiniBrowser cannot show a ${width}×${height} viewport (got ${inner[0]}×${inner[1]}; its window is at least ${MIN_WIDTH} px wide)`);
          }
        },
        goto: (url) => navigate(() => c('POST', '/url', { url })),
        url: () => c('GET', '/url'),
        back: () => navigate(() => c('POST', '/back', {})),
        forward: () => navigate(() => c('POST', '/forward', {})),
        reload: () => navigate(() => c('POST', '/refresh', {})),
        /** Errors and requests recorded in the page since the last call. */
        async drain() {
          if (!javaScriptEnabled) return;
          const r = await exec(READ_HOOK).catch(() => null);
          if (!r) return;
          d.errors.push(...r.errors);
          for (const u of r.requests) if (!seen.has(u)) seen.add(u), d.requests.push(u);
        },
        errors: [],
        requests: [],
        title: () => c('GET', '/title'),
        addInitScript: async (src) => {
          initScripts.push(src);
        },
        /** The URLs of the page's child frames (window.frames order). */
        frameURLs: () =>
          locked(async () => {
            const n = await execRaw('() => window.frames.length');
            const urls = [];
            for (let i = 0; i < n; i++) {
              await raw('POST', '/frame', { id: i });
              urls.push(await execRaw('() => location.href').catch(() => 'about:blank'));
              await raw('POST', '/frame/parent', {});
            }
            return urls;
          }),
        /** Evaluates in child frame `i`. */
        frameEvaluate: (i, src, arg) =>
          locked(async () => {
            await raw('POST', '/frame', { id: i });
            try {
              return await execRaw(src, arg);
            } finally {
              await raw('POST', '/frame', { id: null });
            }
          }),
        evaluate: exec,
        async press(k) {
          const parts = k.split('+').filter(Boolean).map(key);
          if (k.endsWith('++') || k === '+') parts.push('+');
          const acts = [...parts.map((v) => ({ type: 'keyDown', value: v })), ...parts.reverse().map((v) => ({ type: 'keyUp', value: v }))];
          await c('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions: acts }] });
        },
        async type(text) {
          const acts = [...text].flatMap((ch) => [{ type: 'keyDown', value: ch }, { type: 'keyUp', value: ch }]);
          await c('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions: acts }] });
        },
        async mouseMove(x, y) {
          pos = { x: Math.round(x), y: Math.round(y) };
          await pointer([{ type: 'pointerMove', duration: 0, origin: 'viewport', ...pos }]);
        },
        async mouseDown() {
          await pointer([{ type: 'pointerMove', duration: 0, origin: 'viewport', ...pos }, { type: 'pointerDown', button: 0 }]);
        },
        async mouseUp() {
          await pointer([{ type: 'pointerMove', duration: 0, origin: 'viewport', ...pos }, { type: 'pointerUp', button: 0 }]);
        },
        async click(x, y) {
          pos = { x: Math.round(x), y: Math.round(y) };
          await pointer([
            { type: 'pointerMove', duration: 0, origin: 'viewport', ...pos },
            { type: 'pointerDown', button: 0 },
            { type: 'pointerUp', button: 0 },
          ]);
        },
        async wheel(dx, dy) {
          await c('POST', '/actions', {
            actions: [{ type: 'wheel', id: 'wheel', actions: [{ type: 'scroll', x: pos.x, y: pos.y, deltaX: Math.round(dx), deltaY: Math.round(dy), origin: 'viewport' }] }],
          });
        },
        async screenshot() {
          return Buffer.from(await c('GET', '/screenshot'), 'base64');
        },
        async close() {
          if (hung) {
            if (pool.includes(wd)) pool.splice(pool.indexOf(wd), 1);
            await wd.stop();
            return;
          }
          await c('DELETE', '').catch(() => {});
          wd.busy = false;
        },
      };
      try {
        await d.setViewport(viewport);
      } catch (e) {
        await d.close();
        throw e;
      }
      return d;
    },
    async close() {
      await Promise.all(pool.map((w) => w.stop()));
      await xvfb.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
