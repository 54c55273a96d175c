import { launchBrowser, isReadyScript } from './lib.mjs';
const { browser, close } = await launchBrowser();
let fails = 0;
const N = Number(process.argv[2] || 30);
for (let i = 0; i < N; i++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', timezoneId: 'UTC', colorScheme: 'light' });
  if (process.env.ROUTE) await context.route((url) => !url.toString().startsWith('http://127.0.0.1'), (route) => route.abort('blockedbyclient'));
  if (process.env.FULL) {
    await context.exposeBinding('__e2eCsp', (_source, v) => {});
    await context.addInitScript(() => { window.__cspViolations = []; document.addEventListener('securitypolicyviolation', (e) => { window.__cspViolations.push(1); try { window.__e2eCsp(1); } catch {} }, true); });
  }
  const page = await context.newPage();
  const ev = [];
  const t0 = Date.now();
  const T = () => Date.now() - t0;
  page.on('request', (r) => /split_|chunk_/.test(r.url()) && ev.push(`${T()} req ${r.url().split('/').pop()} sw=${r.serviceWorker() ? 1 : 0}`));
  page.on('response', (r) => /split_|chunk_/.test(r.url()) && ev.push(`${T()} resp ${r.url().split('/').pop()} ${r.status()} fromSW=${r.fromServiceWorker()}`));
  page.on('requestfinished', (r) => /split_|chunk_/.test(r.url()) && ev.push(`${T()} fin ${r.url().split('/').pop()}`));
  page.on('requestfailed', (r) => /split_|chunk_/.test(r.url()) && ev.push(`${T()} failed ${r.url().split('/').pop()} ${r.failure()?.errorText}`));
  page.on('console', (m) => ev.push(`${T()} console ${m.type()} ${m.text()}`));
  context.on('serviceworker', () => ev.push(`${T()} sw created`));
  await page.goto('http://127.0.0.1:8811/');
  await page.waitForFunction(isReadyScript);
  ev.push(`${T()} ready`);
  if (process.env.WAITSW) await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 10000 }).catch(() => ev.push('no controller'));
  ev.push(`${T()} controlled`);
  try {
    await Promise.all([page.waitForEvent('download', { timeout: 8000 }), page.locator('#dl-csv').click()]);
  } catch (e) {
    fails++;
    const sw = await page.evaluate(async () => {
      const r = await navigator.serviceWorker.getRegistration();
      return `controller=${!!navigator.serviceWorker.controller} installing=${!!r?.installing} waiting=${!!r?.waiting} active=${r?.active?.state}`;
    });
    console.log(`FAIL ${i}: ${sw}\n  ` + ev.join('\n  '));
  }
  await context.close();
}
console.log(`${fails}/${N} failed`);
await close();
