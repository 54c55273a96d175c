import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const url = process.argv[2];
let bad = 0;
for (let i = 0; i < Number(process.argv[3] || 20); i++) {
  const ctx = await b.newContext();
  const p = await ctx.newPage();
  const errs = [];
  p.on('pageerror', e => errs.push(e.message));
  p.on('console', m => m.type() === 'error' && errs.push(m.text().slice(0, 200)));
  const t0 = Date.now();
  try {
    await p.goto(url, { timeout: 15000 });
    await p.waitForFunction(() => performance.getEntriesByName('atlas-ready').length > 0 || document.querySelector('.error-panel, [role=alert]'), null, { timeout: 15000 });
    console.log(i, 'ok', Date.now() - t0, 'ms', errs.join(' | '));
  } catch (e) {
    bad++;
    console.log(i, 'FAIL', e.message.split('\n')[0], errs.join(' | '));
    console.log(await p.evaluate(() => [document.readyState, document.body.className, [...document.scripts].map(s => s.src || s.type).join(',')]).catch(e => e.message));
  }
  await ctx.close();
}
console.log('bad', bad);
await b.close();
