// The page a core test gets in Firefox and WebKit: the part of Playwright's Page API that the
// core specs use, built on a few driver primitives (./firefox.mjs, ./webkit.mjs): navigate,
// evaluate a function's source in the page, native key and pointer input, screenshot.
// Selectors are CSS (run by the page's querySelectorAll), with Playwright's `{ hasText }`
// filter. A method a core test needs and this file lacks fails the test with "not supported
// in <engine>": add it here.
//
// Functions passed to evaluate / waitForFunction / $eval must be self-contained (they are sent
// as source text, as with Playwright).

import { writeFileSync } from 'node:fs';
import { AssertionError } from '../lib.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// In the page: the elements a chain of locator steps matches.
const RESOLVE = `(steps) => {
  let els = [document];
  for (const s of steps) {
    if (s.css !== undefined) els = els.flatMap((e) => [...e.querySelectorAll(s.css)]);
    if (s.hasText !== undefined) els = els.filter((e) => (e.textContent || '').includes(s.hasText));
    if (s.nth !== undefined) {
      const i = s.nth < 0 ? els.length + s.nth : s.nth;
      els = els[i] ? [els[i]] : [];
    }
  }
  return els;
}`;

/** `fn(elements, arg)` run in the page over what `steps` match. */
const overElements = (steps, fnSrc, arg) => ({
  src: `(a) => { const els = (${RESOLVE})(a.steps); return (${fnSrc})(els, a.arg); }`,
  arg: { steps, arg: arg === undefined ? null : arg },
});

class Locator {
  constructor(page, steps) {
    this._page = page;
    this._steps = steps;
  }
  _desc() {
    return this._steps.map((s) => (s.css ?? '') + (s.hasText !== undefined ? `:has-text(${JSON.stringify(s.hasText)})` : '') + (s.nth !== undefined ? `>>nth=${s.nth}` : '')).join(' ');
  }
  locator(css, { hasText } = {}) {
    return new Locator(this._page, [...this._steps, { css, hasText }]);
  }
  first() {
    return new Locator(this._page, [...this._steps, { nth: 0 }]);
  }
  last() {
    return new Locator(this._page, [...this._steps, { nth: -1 }]);
  }
  nth(i) {
    return new Locator(this._page, [...this._steps, { nth: i }]);
  }
  filter({ hasText }) {
    return new Locator(this._page, [...this._steps, { hasText }]);
  }
  async _all(fnSrc, arg) {
    const { src, arg: a } = overElements(this._steps, fnSrc, arg);
    return this._page._eval(src, a);
  }
  /** Waits (up to `timeout`) for exactly one match, then runs `fn(element, arg)` on it. */
  async _one(fnSrc, arg, timeout = 5000) {
    const t0 = Date.now();
    for (;;) {
      const r = await this._all(`(els, arg) => els.length === 1 ? { v: (${fnSrc})(els[0], arg) } : { n: els.length }`, arg);
      if (r && 'v' in r) return r.v;
      if (r.n > 1) throw new AssertionError(`locator ${this._desc()} matches ${r.n} elements`);
      if (Date.now() - t0 > timeout) throw new AssertionError(`locator ${this._desc()}: no element after ${timeout} ms`);
      await sleep(50);
    }
  }
  count() {
    return this._all('(els) => els.length');
  }
  textContent() {
    return this._one('(e) => e.textContent');
  }
  innerText() {
    return this._one('(e) => e.innerText');
  }
  allTextContents() {
    return this._all('(els) => els.map((e) => e.textContent)');
  }
  allInnerTexts() {
    return this._all('(els) => els.map((e) => e.innerText)');
  }
  getAttribute(name) {
    return this._one('(e, n) => e.getAttribute(n)', name);
  }
  inputValue() {
    return this._one('(e) => e.value');
  }
  isVisible() {
    return this._all('(els) => els.length > 0 && els[0].getClientRects().length > 0 && getComputedStyle(els[0]).visibility !== "hidden"');
  }
  isChecked() {
    return this._one('(e) => e.checked === true || e.getAttribute("aria-checked") === "true" || e.getAttribute("aria-pressed") === "true"');
  }
  evaluate(fn, arg) {
    return this._one(`(e, a) => (${fn})(e, a)`, arg);
  }
  evaluateAll(fn, arg) {
    return this._all(`(els, a) => (${fn})(els, a)`, arg);
  }
  async boundingBox() {
    return this._one('(e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; }');
  }
  scrollIntoViewIfNeeded() {
    return this._one('(e) => { const r = e.getBoundingClientRect(); if (r.top < 0 || r.bottom > innerHeight || r.left < 0 || r.right > innerWidth) e.scrollIntoView({ block: "center", inline: "center" }); }');
  }
  focus() {
    return this._one('(e) => e.focus()');
  }
  /** A real pointer click at the element's centre, once it is in the viewport. */
  async click() {
    const p = await this._one(`(e) => {
      e.scrollIntoView({ block: 'center', inline: 'center' });
      const r = e.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2, w: r.width, h: r.height };
    }`);
    if (!(p.w > 0 && p.h > 0)) throw new AssertionError(`locator ${this._desc()} is not visible (${p.w}×${p.h})`);
    await this._page._d.click(p.x, p.y);
  }
  async hover() {
    const p = await this._one(`(e) => { e.scrollIntoView({ block: 'center' }); const r = e.getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; }`);
    await this._page._d.mouseMove(p.x, p.y);
  }
  async press(key) {
    await this.focus();
    await this._page._d.press(key);
  }
  /** Sets the value as typing would (the input event fires), like Playwright's fill. */
  async fill(value) {
    await this._one(`(e, v) => {
      e.focus();
      e.value = v;
      e.dispatchEvent(new InputEvent('input', { bubbles: true, data: v, inputType: 'insertText' }));
      e.dispatchEvent(new Event('change', { bubbles: true }));
    }`, value);
  }
  async selectOption(value) {
    await this._one(`(e, v) => { e.value = v; e.dispatchEvent(new Event('input', { bubbles: true })); e.dispatchEvent(new Event('change', { bubbles: true })); }`, value);
  }
  async waitFor({ state = 'visible', timeout = 30_000 } = {}) {
    const want = {
      attached: '(els) => els.length > 0',
      detached: '(els) => els.length === 0',
      visible: '(els) => els.length > 0 && els[0].getClientRects().length > 0 && getComputedStyle(els[0]).visibility !== "hidden"',
      hidden: '(els) => els.length === 0 || els[0].getClientRects().length === 0 || getComputedStyle(els[0]).visibility === "hidden"',
    }[state];
    const t0 = Date.now();
    while (!(await this._all(want))) {
      if (Date.now() - t0 > timeout) throw new AssertionError(`locator ${this._desc()} not ${state} after ${timeout} ms`);
      await sleep(50);
    }
  }
}

/** What a page and a frame share: evaluation, waiting and locators. */
class Scope {
  constructor(d) {
    this._d = d;
  }
  async evaluate(fn, arg) {
    const src = typeof fn === 'function' ? fn.toString() : `() => (${fn})`;
    const v = await this._eval(src, arg);
    await this._refreshURL();
    return v;
  }
  async waitForFunction(fn, arg, { timeout = 30_000, polling = 50 } = {}) {
    const src = typeof fn === 'function' ? fn.toString() : `() => (${fn})`;
    const t0 = Date.now();
    for (;;) {
      const v = await this._eval(src, arg).catch((e) => {
        if (Date.now() - t0 > timeout) throw e;
        return null; // e.g. the page is navigating
      });
      if (v) {
        await this._refreshURL();
        return v;
      }
      if (Date.now() - t0 > timeout) throw new AssertionError(`waitForFunction timed out after ${timeout} ms`);
      await sleep(typeof polling === 'number' ? polling : 50);
    }
  }
  locator(css, options = {}) {
    return new Locator(this, [{ css, hasText: options.hasText }]);
  }
  $eval(css, fn, arg) {
    return this.locator(css).first()._all(`(els, a) => { if (!els.length) throw new Error('no element matches ' + ${JSON.stringify(css)}); return (${fn})(els[0], a); }`, arg);
  }
  $$eval(css, fn, arg) {
    return this.locator(css)._all(`(els, a) => (${fn})(els, a)`, arg);
  }
  getAttribute(css, name) {
    return this.locator(css).first().getAttribute(name);
  }
  textContent(css) {
    return this.locator(css).first().textContent();
  }
  innerText(css) {
    return this.locator(css).first().innerText();
  }
  inputValue(css) {
    return this.locator(css).first().inputValue();
  }
  focus(css) {
    return this.locator(css).first().focus();
  }
  click(css) {
    return this.locator(css).first().click();
  }
  hover(css) {
    return this.locator(css).first().hover();
  }
  fill(css, v) {
    return this.locator(css).first().fill(v);
  }
  selectOption(css, v) {
    return this.locator(css).first().selectOption(v);
  }
  url() {
    // Synchronous in Playwright: the last URL read (refreshed by every wait and evaluate).
    return this._url;
  }
}

/** A child frame of the page (Playwright's Frame): evaluation and locators run inside it. */
class EngineFrame extends Scope {
  constructor(page, index, url) {
    super(page._d);
    this._page = page;
    this._index = index;
    this._url = url;
  }
  _eval(src, arg) {
    return this._d.frameEvaluate(this._index, src, arg);
  }
  async _refreshURL() {
    this._url = await this._eval('() => location.href').catch(() => this._url);
  }
}

/** The page adapter over driver `d` (see the top of this file). */
export class EnginePage extends Scope {
  constructor(d, ctx) {
    super(d);
    this._ctx = ctx;
    this._viewport = null;
    this._main = { toString: () => 'main frame' };
    this._frames = [];
    this._framesPending = null;
    this.keyboard = {
      press: (k) => d.press(k),
      type: (t) => d.type(t),
    };
    this.mouse = {
      move: (x, y) => d.mouseMove(x, y),
      down: () => d.mouseDown(),
      up: () => d.mouseUp(),
      click: (x, y) => d.click(x, y),
      wheel: (dx, dy) => d.wheel(dx, dy),
    };
  }
  /** Which engine runs this page: 'firefox' or 'webkit' ('chromium' pages are Playwright's). */
  get engine() {
    return this._d.engine;
  }
  async goto(url) {
    await this._d.goto(url);
    // WebDriver gives no HTTP status: the page's own navigation entry has it (0 when unknown).
    const status = this._d.javaScriptEnabled
      ? await this._d.evaluate('() => { const n = performance.getEntriesByType("navigation")[0]; return n && n.responseStatus ? n.responseStatus : 0; }').catch(() => 0)
      : 0;
    await this._refreshURL();
    return { ok: () => status === 0 || (status >= 200 && status < 300), status: () => status, url: () => url };
  }
  _eval(src, arg) {
    return this._d.evaluate(src, arg);
  }
  mainFrame() {
    return this._main;
  }
  /**
   * Synchronous in Playwright: the main frame and the child frames as last read; each call
   * reads them again in the background (so a polling loop, as lib.mjs's appFrame, sees them).
   */
  frames() {
    if (!this._framesPending) {
      this._framesPending = this._d
        .frameURLs()
        .then((urls) => {
          this._frames = urls.map((u, i) => new EngineFrame(this, i, u));
        })
        .catch(() => {})
        .finally(() => {
          this._framesPending = null;
        });
    }
    return [this._main, ...this._frames];
  }
  addInitScript(fn) {
    return this._d.addInitScript(typeof fn === 'function' ? fn.toString() : `() => { ${fn} }`);
  }
  async _refreshURL() {
    this._url = await this._d.url();
  }
  async goBack() {
    await this._d.back();
    await this._refreshURL();
  }
  async goForward() {
    await this._d.forward();
    await this._refreshURL();
  }
  async reload() {
    await this._d.reload();
    await this._refreshURL();
  }
  title() {
    return this._d.title();
  }
  waitForTimeout(ms) {
    return sleep(ms);
  }
  async waitForLoadState() {
    await this.waitForFunction(() => document.readyState === 'complete');
  }
  async setViewportSize(v) {
    this._viewport = v;
    await this._d.setViewport(v);
  }
  viewportSize() {
    return this._viewport || { width: 1280, height: 800 };
  }
  async screenshot({ path } = {}) {
    const png = await this._d.screenshot();
    if (path) writeFileSync(path, png);
    return png;
  }
  context() {
    throw new AssertionError(`page.context() is not supported in ${this.engine} (Playwright's browser contexts are Chromium-only here); use ctx.newPage(options)`);
  }
}

// Anything else of Playwright's API fails clearly rather than as "undefined is not a function".
export const wrapPage = (d, ctx) =>
  new Proxy(new EnginePage(d, ctx), {
    get(target, prop, receiver) {
      if (prop in target || typeof prop === 'symbol' || prop === 'then') return Reflect.get(target, prop, receiver);
      return () => {
        throw new AssertionError(`page.${String(prop)}() is not supported in ${target.engine} (see e2e/engines/page.mjs)`);
      };
    },
  });
