// The precompressed files of dist/ as the test server (`cargo xtask serve-static`) sends them:
// `X.br` or `X.gz` in place of `X` as the request's Accept-Encoding allows, with `X`'s
// Content-Type, `Vary: Accept-Encoding`, and a year's immutable caching for the files whose name
// carries a content hash (`no-cache` for the rest: index.html, sw.js, the manifest); and that
// Chromium itself gets the page, the script, the styles and the wasm brotli-encoded.
//
// The requests go through node:http, which sends no Accept-Encoding of its own and does not
// decode the body: what is checked is what the server sent.

import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { assert, gotoApp } from '../lib.mjs';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The files checked: dist/ name (by pattern), Content-Type, Cache-Control. */
const FILES = [
  [/^index\.html$/, 'text/html; charset=utf-8', 'no-cache'],
  [/^pakru-atlas-[0-9a-f]{8,16}_bg\.wasm$/, 'application/wasm', IMMUTABLE],
  [/^pakru-atlas-[0-9a-f]{8,16}\.js$/, 'text/javascript; charset=utf-8', IMMUTABLE],
  [/^main-[0-9a-f]{8,16}\.css$/, 'text/css; charset=utf-8', IMMUTABLE],
  [/^boot-[0-9a-f]{8,16}\.js$/, 'text/javascript; charset=utf-8', IMMUTABLE],
  [/^sw\.js$/, 'text/javascript; charset=utf-8', 'no-cache'],
  [/^manifest\.webmanifest$/, 'application/manifest+json', 'no-cache'],
];

/** Accept-Encoding sent → Content-Encoding expected. */
const CASES = [
  ['br', 'br'],
  ['gzip', 'gzip'],
  [null, undefined],
  ['gzip, deflate, br, zstd', 'br'],
  ['br;q=0, gzip', 'gzip'],
  ['gzip;q=0, br;q=0', undefined],
];

const DECODE = { br: brotliDecompressSync, gzip: gunzipSync, undefined: (b) => b };

/** One request: { status, headers (lower-case names), body (as sent) }. */
function fetchRaw(url, { method = 'GET', headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** dist/'s file matching each pattern of FILES: [name, type, cache]. */
function distFiles(ctx) {
  if (!existsSync(join(dist, 'index.html.br'))) ctx.skip('dist/ has no precompressed files (run cargo xtask dist)');
  const names = readdirSync(dist);
  return FILES.map(([re, type, cache]) => {
    const found = names.filter((n) => re.test(n));
    assert.equal(found.length, 1, `files of dist/ matching ${re} (${found.join(', ')})`);
    return [found[0], type, cache];
  });
}

export const tests = {
  'the server sends the .br or .gz file as Accept-Encoding allows, with type, Vary and caching': async ({ baseURL, ctx }) => {
    for (const [name, type, cache] of distFiles(ctx)) {
      const original = readFileSync(join(dist, name));
      // index.html as the folder's page, as a visit asks for it.
      const url = name === 'index.html' ? baseURL : new URL(name, baseURL).href;
      for (const [accept, encoding] of CASES) {
        const what = `${name} with Accept-Encoding ${accept === null ? '(none)' : JSON.stringify(accept)}`;
        const headers = accept === null ? {} : { 'Accept-Encoding': accept };
        const r = await fetchRaw(url, { headers });
        assert.equal(r.status, 200, `${what}: status`);
        assert.equal(r.headers['content-encoding'], encoding, `${what}: Content-Encoding`);
        assert.equal(r.headers['content-type'], type, `${what}: Content-Type`);
        assert.equal(r.headers.vary, 'Accept-Encoding', `${what}: Vary`);
        assert.equal(r.headers['cache-control'], cache, `${what}: Cache-Control`);
        assert.equal(Number(r.headers['content-length']), r.body.length, `${what}: Content-Length`);
        assert(DECODE[encoding](r.body).equals(original), `${what}: the decoded body differs from dist/${name}`);
        if (encoding) {
          assert(r.body.equals(readFileSync(join(dist, `${name}.${encoding === 'br' ? 'br' : 'gz'}`))), `${what}: not the file beside it`);
          assert(r.body.length < original.length, `${what}: ${r.body.length} bytes for a ${original.length}-byte file`);
        }
        // HEAD: the same headers, no body.
        const h = await fetchRaw(url, { method: 'HEAD', headers });
        assert.equal(h.body.length, 0, `${what}: HEAD body`);
        for (const k of ['content-encoding', 'content-type', 'content-length', 'vary', 'cache-control']) {
          assert.equal(h.headers[k], r.headers[k], `${what}: HEAD's ${k}`);
        }
      }
    }
    // Brotli beats gzip on the wasm, the bulk of the bytes.
    const [wasm] = distFiles(ctx).find(([n]) => n.endsWith('_bg.wasm'));
    const br = (await fetchRaw(new URL(wasm, baseURL).href, { headers: { 'Accept-Encoding': 'br' } })).body.length;
    const gz = (await fetchRaw(new URL(wasm, baseURL).href, { headers: { 'Accept-Encoding': 'gzip' } })).body.length;
    ctx.log(`${wasm}: ${br} bytes brotli, ${gz} bytes gzip`);
    assert(br < gz, `${wasm}: brotli ${br} bytes, gzip ${gz}`);
  },

  'the precompressed copies are not files of the bundle (service worker, zip) and are not served for a .png': async ({ baseURL, ctx }) => {
    distFiles(ctx);
    const sw = readFileSync(join(dist, 'sw.js'), 'utf8');
    assert(!/\.(br|gz)["']/.test(sw), 'sw.js lists a .br or .gz file');
    const png = readdirSync(dist).find((n) => n.endsWith('.png'));
    assert(png, 'a PNG in dist/');
    assert(!existsSync(join(dist, `${png}.br`)) && !existsSync(join(dist, `${png}.gz`)), `${png} has a compressed copy`);
    const r = await fetchRaw(new URL(png, baseURL).href, { headers: { 'Accept-Encoding': 'br, gzip' } });
    assert.equal(r.headers['content-encoding'], undefined, `${png}: Content-Encoding`);
    assert.equal(r.headers.vary, undefined, `${png}: Vary`);
    assert.equal(r.headers['content-type'], 'image/png', `${png}: Content-Type`);
    assert.equal(r.headers['cache-control'], 'no-cache', `${png}: Cache-Control`);
    // A copy asked for by its own name comes as it is.
    const direct = await fetchRaw(new URL('index.html.br', baseURL).href, { headers: { 'Accept-Encoding': 'br' } });
    assert.equal(direct.status, 200, 'index.html.br');
    assert.equal(direct.headers['content-encoding'], undefined, 'index.html.br: Content-Encoding');
    assert(direct.body.equals(readFileSync(join(dist, 'index.html.br'))), 'index.html.br: its bytes');
  },

  'Chromium asks for br and gets the page, script, styles and wasm brotli-encoded': async ({ page, baseURL, ctx }) => {
    const files = distFiles(ctx);
    const responses = [];
    page.on('response', (r) => r.url().startsWith(baseURL) && responses.push(r));
    await gotoApp(page, baseURL);
    const seen = [];
    for (const [name, type, cache] of files.filter(([n]) => /^(index\.html|pakru-atlas-.*|main-.*)$/.test(n))) {
      const path = new URL(name === 'index.html' ? '' : name, baseURL).pathname;
      const mine = responses.filter((r) => new URL(r.url()).pathname === path);
      assert.atLeast(mine.length, 1, `responses for ${name} (${responses.map((r) => r.url()).join(', ')})`);
      for (const r of mine) {
        const req = await r.request().allHeaders();
        const h = await r.allHeaders();
        // Chromium reports the request headers it sent unless the request was intercepted (the
        // runner's context routes requests); the server sends br only to a request that allows it.
        if (req['accept-encoding'] !== undefined) {
          assert.match(req['accept-encoding'], /(^|[\s,])br($|[\s,;])/, `${name}: the browser's Accept-Encoding`);
        }
        assert.equal(h['content-encoding'], 'br', `${name}: Content-Encoding`);
        assert.equal(h['content-type'], type, `${name}: Content-Type`);
        assert.equal(h['cache-control'], cache, `${name}: Cache-Control`);
        seen.push(`${name}: ${h['content-length']} bytes br`);
      }
    }
    ctx.log(`${seen.join('; ')}`);
  },
};
