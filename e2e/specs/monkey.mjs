// Robustness: a seeded, bounded "monkey" — 2,000 random clicks, drags, wheel turns, key presses
// and window resizes across the page — must leave no console error, no uncaught exception and
// no Rust panic (console_error_panic_hook reports panics with console.error, which the runner
// counts as a failure; the second test proves that it does), and an app that still responds.
//
// Reproduce a failure with the seed it prints: MONKEY_SEED=1234 cargo xtask test --browser-only --no-build --grep monkey

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assert, canvasNotBlank, gotoApp } from '../lib.mjs';

const ACTIONS = Number(process.env.MONKEY_ACTIONS || 2000);
const SEED = Number(process.env.MONKEY_SEED || 20250607);

/** mulberry32: a small seeded PRNG, so a run can be repeated exactly. */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
  };
}

// Keys the page handles, plus some it does not, as CDP key events. Nothing that leaves the page
// (no Alt+←, F5, Ctrl+W, Ctrl+P).
const SHIFT = 8;
const CTRL = 2;
const key = (name, vk, code, { text = '', mods = 0 } = {}) => ({ name, key: name.replace(/^(Shift|Control)\+/, ''), vk, code, text, mods });
const KEYS = [
  key('Tab', 9, 'Tab'), key('Tab', 9, 'Tab'), key('Shift+Tab', 9, 'Tab', { mods: SHIFT }),
  key('Enter', 13, 'Enter', { text: '\r' }), key(' ', 32, 'Space', { text: ' ' }), key('Escape', 27, 'Escape'),
  key('ArrowLeft', 37, 'ArrowLeft'), key('ArrowUp', 38, 'ArrowUp'), key('ArrowRight', 39, 'ArrowRight'), key('ArrowDown', 40, 'ArrowDown'),
  key('Shift+ArrowLeft', 37, 'ArrowLeft', { mods: SHIFT }), key('Shift+ArrowRight', 39, 'ArrowRight', { mods: SHIFT }),
  key('Home', 36, 'Home'), key('End', 35, 'End'), key('PageUp', 33, 'PageUp'), key('PageDown', 34, 'PageDown'),
  key('+', 187, 'Equal', { text: '+', mods: SHIFT }), key('=', 187, 'Equal', { text: '=' }),
  key('-', 189, 'Minus', { text: '-' }), key('_', 189, 'Minus', { text: '_', mods: SHIFT }),
  key('0', 48, 'Digit0', { text: '0' }), key('1', 49, 'Digit1', { text: '1' }), key('9', 57, 'Digit9', { text: '9' }),
  key('n', 78, 'KeyN', { text: 'n' }), key('p', 80, 'KeyP', { text: 'p' }), key('N', 78, 'KeyN', { text: 'N', mods: SHIFT }), key('P', 80, 'KeyP', { text: 'P', mods: SHIFT }),
  key('a', 65, 'KeyA', { text: 'a' }), key('z', 90, 'KeyZ', { text: 'z' }),
  key('Backspace', 8, 'Backspace'), key('Delete', 46, 'Delete'), key('Control+a', 65, 'KeyA', { mods: CTRL }),
];

export const tests = {
  '2,000 seeded random actions leave no console error, panic or dead app': async ({ page, baseURL, ctx }) => {
    const R = rng(SEED);
    ctx.log(`seed ${SEED}, ${ACTIONS} actions`);
    // Links that would leave the page are not followed (downloads are allowed: they stay here).
    // Dragging a text selection (after Ctrl+A, say) would start the browser's own drag and drop,
    // which takes the mouse away from the page and from CDP: not started (nothing of ours uses
    // drag and drop).
    await page.addInitScript(() => {
      document.addEventListener('click', (e) => {
        const a = e.target instanceof Element && e.target.closest('a[href]');
        if (a && !a.hasAttribute('download')) e.preventDefault();
      }, true);
      document.addEventListener('dragstart', (e) => e.preventDefault(), true);
      // What the monkey reached, to show that it did reach the app.
      const hits = (window.__monkeyHits = {});
      for (const type of ['pointerdown', 'wheel', 'keydown', 'click', 'input', 'change']) {
        document.addEventListener(type, (e) => {
          const id = (e.target instanceof Element && (e.target.id || e.target.tagName.toLowerCase())) || 'document';
          hits[`${type} ${id}`] = (hits[`${type} ${id}`] || 0) + 1;
          hits[type] = (hits[type] || 0) + 1;
        }, true);
      }
    });
    page.context().on('page', (p) => { if (p !== page) p.close().catch(() => {}); });
    await gotoApp(page, baseURL);
    await page.evaluate(() => { window.__monkeyDocument = true; });
    const range0 = (await page.locator('#timeline-range').textContent()).trim();

    let viewport = { width: 1280, height: 800 };
    const log = [];
    const t0 = Date.now();
    // The interesting targets in the window now (viewport coordinates). Refreshed every few
    // actions and after scrolling or resizing: one round trip, not one per action.
    let targets = [];
    const refreshTargets = async (scrollTo = null) => {
      targets = await page.evaluate((scrollTo) => {
        if (scrollTo !== null) window.scrollTo(0, scrollTo * (document.documentElement.scrollHeight - innerHeight));
        const out = [];
        for (const el of document.querySelectorAll('canvas, button, input, select, summary, textarea, th, td, h2, p')) {
          const r = el.getBoundingClientRect();
          const x0 = Math.max(r.left, 1), y0 = Math.max(r.top, 1), x1 = Math.min(r.right, innerWidth - 2), y1 = Math.min(r.bottom, innerHeight - 2);
          if (x1 > x0 && y1 > y0) out.push({ sel: el.id ? `#${el.id}` : el.tagName.toLowerCase(), x: x0, y: y0, w: x1 - x0, h: y1 - y0, canvas: el.tagName === 'CANVAS' });
        }
        return out;
      }, scrollTo);
    };
    await refreshTargets();
    const anywhere = () => ({ sel: 'window', x: 1, y: 1, w: viewport.width - 3, h: viewport.height - 3 });
    const pickTarget = (canvasBias) => {
      const canvases = targets.filter((t) => t.canvas);
      if (R.next() < canvasBias && canvases.length) return R.pick(canvases);
      return targets.length ? R.pick(targets) : anywhere();
    };
    const aim = (t) => ({ x: Math.round(t.x + R.next() * t.w), y: Math.round(t.y + R.next() * t.h) });

    // Input goes straight to the browser over CDP, as trusted events, in batches: the events of
    // a batch are sent without waiting for each other (in order), then the batch is awaited.
    const cdp = await page.context().newCDPSession(page);
    let pending = [];
    const send = (method, params) => {
      const p = cdp.send(method, params).catch((e) => { throw new Error(`${method} ${JSON.stringify(params)}: ${e.message}`); });
      p.catch(() => {}); // reported by flush(), not as an unhandled rejection
      pending.push(p);
    };
    const flush = async () => {
      const p = pending;
      pending = [];
      try { await Promise.all(p); } catch (e) { throw new Error(`${e.message}\n   batch: ${log.slice(-30).join(' | ')}`); }
    };
    const mouse = (type, x, y, extra = {}) => send('Input.dispatchMouseEvent', { type, x, y, ...extra });
    const click = (x, y, clickCount = 1) => {
      mouse('mouseMoved', x, y);
      for (let c = 1; c <= clickCount; c++) {
        mouse('mousePressed', x, y, { button: 'left', buttons: 1, clickCount: c });
        mouse('mouseReleased', x, y, { button: 'left', buttons: 0, clickCount: c });
      }
    };
    const press = (k) => {
      const base = { modifiers: k.mods, key: k.key, code: k.code, windowsVirtualKeyCode: k.vk, nativeVirtualKeyCode: k.vk };
      send('Input.dispatchKeyEvent', { type: k.text ? 'keyDown' : 'rawKeyDown', text: k.text || undefined, unmodifiedText: k.text || undefined, ...base });
      send('Input.dispatchKeyEvent', { type: 'keyUp', ...base });
    };

    const BATCH = 25;
    for (let i = 0; i < ACTIONS; i++) {
      const roll = R.next();
      let what;
      if (roll < 0.28) {
        // Click anywhere in the window, or on a target.
        const t = R.next() < 0.4 ? anywhere() : pickTarget(0.2);
        const p = aim(t);
        const clickCount = R.next() < 0.1 ? 2 : 1;
        what = `click${clickCount > 1 ? '×2' : ''} ${t.sel} at ${p.x},${p.y}`;
        click(p.x, p.y, clickCount);
      } else if (roll < 0.43) {
        // Drag, mostly on the canvases.
        const t = pickTarget(0.8);
        const a = aim(t);
        const b = { x: Math.min(Math.max(a.x + R.int(-300, 300), 1), viewport.width - 2), y: Math.min(Math.max(a.y + R.int(-200, 200), 1), viewport.height - 2) };
        const steps = R.int(1, 4);
        what = `drag ${t.sel} ${a.x},${a.y} → ${b.x},${b.y} in ${steps}`;
        mouse('mouseMoved', a.x, a.y);
        mouse('mousePressed', a.x, a.y, { button: 'left', buttons: 1, clickCount: 1 });
        for (let k = 1; k <= steps; k++) mouse('mouseMoved', a.x + ((b.x - a.x) * k) / steps, a.y + ((b.y - a.y) * k) / steps, { button: 'left', buttons: 1 });
        mouse('mouseReleased', b.x, b.y, { button: 'left', buttons: 0, clickCount: 1 });
      } else if (roll < 0.60) {
        // Wheel, over a canvas (zoom) or the page (scroll).
        const t = pickTarget(0.6);
        const a = aim(t);
        const dy = R.pick([-1200, -360, -100, -40, -3, 3, 40, 100, 360, 1200]);
        const dx = R.next() < 0.2 ? R.int(-200, 200) : 0;
        what = `wheel ${t.sel} ${a.x},${a.y} dx=${dx} dy=${dy}`;
        mouse('mouseWheel', a.x, a.y, { deltaX: dx, deltaY: dy });
      } else if (roll < 0.64) {
        // Scroll the page somewhere else.
        const to = R.next();
        what = `scroll to ${(to * 100).toFixed(0)} %`;
        await flush();
        await refreshTargets(to);
      } else if (roll < 0.97) {
        const k = R.pick(KEYS);
        what = `key ${k.name}`;
        press(k);
      } else {
        viewport = R.pick([
          { width: R.int(320, 480), height: R.int(480, 900) },
          { width: R.int(600, 1100), height: R.int(400, 900) },
          { width: R.int(1100, 1700), height: R.int(600, 1000) },
        ]);
        what = `resize ${viewport.width}×${viewport.height}`;
        await flush();
        await page.setViewportSize(viewport);
        await refreshTargets();
      }
      log.push(what);
      if (i % BATCH === BATCH - 1 || i === ACTIONS - 1) {
        await flush();
        await refreshTargets();
        // Stop at the first batch that broke something, and say what was done.
        if (ctx.consoleErrors.length) {
          throw new Error(`console errors after action ${i + 1} (seed ${SEED}); last actions:\n      ${log.slice(-40).join('\n      ')}`);
        }
      }
    }
    await cdp.detach();
    const secs = (Date.now() - t0) / 1000;
    ctx.log(`${ACTIONS} actions in ${secs.toFixed(1)} s`);
    const hits = await page.evaluate(() => window.__monkeyHits);
    const n = (k) => hits[k] || 0;
    ctx.log(`reached: ${['pointerdown', 'pointerdown timeline', 'pointerdown map', 'wheel timeline', 'wheel map', 'keydown', 'keydown timeline', 'keydown map', 'click', 'input search', 'change play-speed'].map((k) => `${k} ${n(k)}`).join(', ')}`);
    // The monkey must really have worked the app: both canvases by pointer, wheel and keyboard.
    for (const [k, min] of [['pointerdown timeline', 20], ['pointerdown map', 20], ['wheel timeline', 10], ['wheel map', 10], ['keydown', 400], ['click', 300]]) {
      assert.atLeast(n(k), min, `monkey events: ${k}`);
    }
    assert.atLeast(n('keydown timeline') + n('keydown map'), 10, 'monkey events: keys on the canvases');

    // Still the same document (nothing navigated away), and still alive.
    assert(await page.evaluate(() => window.__monkeyDocument === true), 'the page was not left or reloaded');
    assert.equal(await page.locator('.error-panel').count(), 0, 'no error panel');
    await page.keyboard.press('Escape');
    await page.mouse.up().catch(() => {});
    await page.setViewportSize({ width: 1280, height: 800 });
    const range = async () => (await page.locator('#timeline-range').textContent()).trim();
    const settle = async (pred) => {
      for (let k = 0; k < 40 && !pred(await range()); k++) await page.waitForTimeout(25);
      return range();
    };
    // Play, or a story step's transition, may still be moving the range on its own: stop both
    // first (each through its own control), then Reset view must give the whole range.
    if ((await page.locator('#play').getAttribute('aria-pressed')) === 'true') await page.locator('#play').click();
    if (await page.locator('#story-explore').isVisible().catch(() => false)) await page.locator('#story-explore').click();
    await page.waitForTimeout(500);
    await page.locator('#timeline-reset').click();
    assert.equal(await settle((r) => r === range0), range0, 'Reset view works after the monkey (the app responds)');
    await page.locator('#timeline-zoom-in').click();
    assert.notEqual(await settle((r) => r !== range0), range0, 'Zoom in works after the monkey');
    await page.locator('#timeline-reset').click();
    assert.equal(await settle((r) => r === range0), range0, 'and Reset view again');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await canvasNotBlank(page, 'canvas#timeline');
    await canvasNotBlank(page, 'canvas#map');
    assert.deepEqual(ctx.consoleErrors, [], `console errors (seed ${SEED})`);
  },

  'the runner fails a test whose page reports a panic or asks for another host': async ({ baseURL, ctx }) => {
    // Runs the runner itself on a throw-away spec: a panic as console_error_panic_hook prints it,
    // a wasm trap (what a panic ends in with panic = "abort") and a request to another host
    // (blocked) must each fail their test, while the same page without them passes.
    const here = dirname(fileURLToPath(import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'atlas-panic-'));
    try {
      const spec = join(dir, 'panic-selftest.mjs');
      writeFileSync(
        spec,
        `export const tests = {
  'clean page': async ({ page, baseURL }) => { await page.goto(baseURL); await page.waitForFunction(() => window.__atlasReady === true); },
  'panic on console.error': async ({ page, baseURL }) => {
    await page.goto(baseURL);
    await page.waitForFunction(() => window.__atlasReady === true);
    await page.evaluate(() => console.error('panicked at src/app/timeline.rs:1:1:\\nmonkey self-test panic\\n\\nStack:\\n\\n'));
  },
  'uncaught wasm trap': async ({ page, baseURL }) => {
    await page.goto(baseURL);
    await page.evaluate(() => new Promise((r) => { setTimeout(() => { throw new WebAssembly.RuntimeError('unreachable'); }); setTimeout(r, 50); }));
  },
  'other host': async ({ page }) => {
    // about:blank: no Content-Security-Policy of the app's to stop the request first.
    await page.goto('about:blank');
    const r = await page.evaluate(() => fetch('http://example.com/runner-self-test', { mode: 'no-cors' }).then(() => 'loaded', () => 'blocked'));
    if (r !== 'blocked') throw new Error('the request to another host was not blocked');
  },
};
`,
      );
      const r = spawnSync(process.execPath, [join(here, '..', 'run.mjs'), spec], {
        env: { ...process.env, BASE_URL: baseURL, OUT_DIR: dir, E2E_GREP: '' },
        encoding: 'utf8',
        timeout: 45_000,
      });
      const out = `${r.stdout}\n${r.stderr}`;
      const verdicts = out.split('\n').filter((l) => /^(ok|FAIL) - /.test(l)).map((l) => `${l.split(':')[1].trim()} → ${l.startsWith('ok') ? 'passes' : 'fails'}`);
      ctx.log(`the runner on its self-test: ${verdicts.join('; ')}`);
      assert.equal(r.status, 1, `runner exit code (output:\n${out})`);
      assert.match(out, /^ok - panic-selftest: clean page/m, 'the clean page passes');
      assert.match(out, /^FAIL - panic-selftest: panic on console\.error: console errors:\s+console\.error: panicked at src\/app\/timeline\.rs/m, 'the panic fails its test');
      assert.match(out, /^FAIL - panic-selftest: uncaught wasm trap: console errors:\s+uncaught: RuntimeError: unreachable/m, 'the trap fails its test');
      // Blocked (no name resolves) and failing its test all the same.
      const otherHost = out.split(/\n(?=ok - |FAIL - |# )/).find((b) => b.startsWith('FAIL - panic-selftest: other host:')) ?? '';
      assert.match(otherHost, /requests to other hosts:\s+http:\/\/example\.com\/runner-self-test/, 'the request to another host fails its test');
      assert.match(out, /^browser: 1 passed, 3 failed$/m, 'summary line');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
