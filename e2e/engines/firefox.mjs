// Firefox: Debian's firefox-esr, headless, driven through WebDriver BiDi by puppeteer-core
// (no browser download: puppeteer-core only talks to the binary given). One browser; each page
// in a browser context of its own. Console errors, uncaught errors, requests (those not to
// 127.0.0.1 blocked by a dead proxy), HTTP errors and dialogs come as BiDi events, as in
// Chromium.

import { existsSync } from 'node:fs';
import puppeteer from 'puppeteer-core';
import { isLocalURL } from '../lib.mjs';

export const name = 'firefox';

const binary = () => process.env.FIREFOX || '/usr/bin/firefox-esr';

export function available() {
  return existsSync(binary()) ? null : `${binary()} not found (Debian package firefox-esr)`;
}

const start = (prefs = {}) =>
  puppeteer.launch({
    browser: 'firefox',
    executablePath: binary(),
    headless: true,
    protocol: 'webDriverBiDi',
    env: { ...process.env, TZ: 'UTC', LANG: 'en_US.UTF-8' },
    extraPrefsFirefox: {
      'intl.accept_languages': 'en-US',
      'intl.locale.requested': 'en-US',
      'browser.shell.checkDefaultBrowser': false,
      'ui.prefersReducedMotion': 0,
      'layout.css.prefers-color-scheme.content-override': 1, // light
      // Other hosts go through a proxy at a port of this machine where nothing listens (so no
      // name is looked up and nothing leaves; 127.0.0.1 itself is never proxied), instead of
      // each request waiting on the test to let it through (see e2e/README.md).
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': 9,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': 9,
      ...prefs,
    },
  });

export async function launch() {
  const browser = await start();
  const version = await browser.version();
  // Firefox ESR 153's BiDi has no emulation.setScriptingEnabled: pages without JavaScript come
  // from a second browser with the javascript.enabled pref off, started when first needed.
  let noScript = null;
  return {
    name,
    version,
    async newDriver({ viewport = { width: 1280, height: 800 }, javaScriptEnabled = true } = {}) {
      if (!javaScriptEnabled && !noScript) noScript = start({ 'javascript.enabled': false });
      const context = await (javaScriptEnabled ? browser : await noScript).createBrowserContext();
      const page = await context.newPage();
      const d = { engine: name, javaScriptEnabled, errors: [], requests: [], foreign: [], badResponses: [] };
      page.on('console', (m) => {
        if (m.type() === 'error') {
          const loc = m.location();
          d.errors.push(`console.error: ${m.text()}${loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
        }
      });
      page.on('pageerror', (e) => d.errors.push(`uncaught: ${e.stack || e.message || e}`));
      page.on('dialog', (dl) => {
        d.errors.push(`unexpected dialog: ${dl.type()} ${dl.message()}`);
        dl.dismiss().catch(() => {});
      });
      page.on('response', (r) => {
        if (r.status() >= 400) d.badResponses.push(`${r.status()} ${r.url()}`);
      });
      // Seen, not intercepted: other hosts are blocked by the proxy prefs above.
      page.on('request', (req) => {
        d.requests.push(req.url());
        if (!isLocalURL(req.url())) d.foreign.push(req.url());
      });
      if (javaScriptEnabled) {
        await page.exposeFunction('__e2eCsp', (v) => d.errors.push(`CSP violation: ${JSON.stringify(v)}`));
        await page.evaluateOnNewDocument(() => {
          document.addEventListener(
            'securitypolicyviolation',
            (e) => {
              try {
                window.__e2eCsp({ directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber });
              } catch {}
            },
            true,
          );
        });
      }
      await page.setViewport(viewport);
      const go = async (p) => {
        await p;
      };
      Object.assign(d, {
        setViewport: (v) => page.setViewport(v),
        // A first navigation of a fresh Firefox on a loaded 2-core machine now and then never
        // reports its load (1 in ~15 runs); one more try, then the test fails as before.
        goto: (url) =>
          go(
            page.goto(url, { waitUntil: 'load', timeout: 30_000 }).catch((e) => {
              if (e?.name !== 'TimeoutError') throw e;
              console.log(`   # firefox: no load event for ${url} in 30 s; navigating again`);
              return page.goto(url, { waitUntil: 'load', timeout: 30_000 });
            }),
          ),
        url: async () => page.url(),
        back: () => go(page.goBack({ waitUntil: 'load' })),
        forward: () => go(page.goForward({ waitUntil: 'load' })),
        reload: () => go(page.reload({ waitUntil: 'load' })),
        title: () => page.title(),
        addInitScript: (src) => page.evaluateOnNewDocument(`(${src})()`),
        frameURLs: async () => page.mainFrame().childFrames().map((f) => f.url()),
        frameEvaluate: (i, src, arg) => {
          const f = page.mainFrame().childFrames()[i];
          if (!f) throw new Error(`no child frame ${i}`);
          return f.evaluate(`(${src})(${JSON.stringify(arg === undefined ? null : arg)})`);
        },
        // A string is evaluated by the browser's debugger, outside the page's CSP.
        evaluate: (src, arg) => page.evaluate(`(${src})(${JSON.stringify(arg === undefined ? null : arg)})`),
        press: async (k) => {
          const parts = k === '+' ? ['+'] : k.split('+');
          const last = parts.pop();
          for (const m of parts) await page.keyboard.down(m);
          await page.keyboard.press(last);
          for (const m of parts.reverse()) await page.keyboard.up(m);
        },
        type: (text) => page.keyboard.type(text),
        mouseMove: (x, y) => page.mouse.move(x, y),
        mouseDown: () => page.mouse.down(),
        mouseUp: () => page.mouse.up(),
        click: (x, y) => page.mouse.click(x, y),
        wheel: (dx, dy) => page.mouse.wheel({ deltaX: dx, deltaY: dy }),
        screenshot: async () => Buffer.from(await page.screenshot({ encoding: 'base64' }), 'base64'),
        drain: async () => {},
        close: () => context.close().catch(() => {}),
      });
      return d;
    },
    async close() {
      if (noScript) await (await noScript).close().catch(() => {});
      await browser.close().catch(() => {});
    },
  };
}
