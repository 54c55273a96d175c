// The cross-engine core: a test wrapped in core(...) runs in Chromium, Firefox and WebKit;
// every other test runs in Chromium only. In Firefox and WebKit the test's `page` is the
// Playwright-like adapter of ./page.mjs (see there what it supports).
//
//   'arrow keys walk the events': core(async ({ page, baseURL }) => { ... }),
//   'prints': core(async (...) => { ... }, { webkit: 'no print emulation over WebDriver' }),

export const ENGINES = ['chromium', 'firefox', 'webkit'];

/** Marks `fn` as core; `skip` names the engines it does not run in, each with the reason. */
export function core(fn, skip = {}) {
  for (const e of Object.keys(skip)) if (!ENGINES.includes(e)) throw new Error(`core(): unknown engine ${e}`);
  fn.engines = ENGINES.filter((e) => !skip[e]);
  fn.engineSkips = skip;
  return fn;
}
