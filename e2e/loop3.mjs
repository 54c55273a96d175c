import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const url = process.argv[2];
let bad = 0, n = 0;
async function one(i) {
  const ctx = await b.newContext({ viewport: { width: 1280, height: 800 } });
  const p = await ctx.newPage();
  try {
    await p.goto(url, { timeout: 15000 });
    await p.waitForFunction(() => performance.getEntriesByName('atlas-ready').length > 0, null, { timeout: 15000 });
  } catch (e) {
    bad++;
    console.log(i, 'FAIL', e.message.split('\n')[0], await p.evaluate(() => [document.readyState, performance.getEntriesByType('resource').map(r => r.name.split('/').pop().slice(0, 30) + ':' + Math.round(r.responseEnd)).join(' ')]).catch(e => e.message));
  }
  n++;
  await ctx.close();
}
for (let r = 0; r < Number(process.argv[3] || 10); r++) await Promise.all([0, 1, 2, 3].map((k) => one(r * 4 + k)));
console.log('bad', bad, 'of', n);
await b.close();
