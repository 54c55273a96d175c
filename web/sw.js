// The service worker of the Pakistan–Russia Relations Atlas. A template: `cargo xtask dist`
// fills in VERSION and FILES and writes it to dist/sw.js (under that fixed name, never cached by
// the HTTP cache: the page registers it with updateViaCache 'none').
//
// - install: fetches every file of the bundle (from the HTTP cache when the page has just loaded
//   it, else from the network; each checked against its SHA-256, so a half-uploaded deployment
//   or a stale copy is never cached) into a cache named from the
//   bundle's content hashes, then takes over at once (every file is loaded at start-up, so a
//   page already open never needs a file of the new version);
// - activate: deletes this deployment's older caches (only those of this scope), claims pages;
// - fetch: the app's files from that cache, a visit to the app (with any ?query) gets its
//   index.html; everything else goes to the network as usual.

const VERSION = '__VERSION__'; // the package version and a hash of every file's content
const FILES = __FILES__; // [path relative to the scope, 'sha256-…'] for every file but this one

const SCOPE = self.registration.scope; // ends with '/'
const SCOPE_PATH = new URL(SCOPE).pathname;
// One cache per version, per deployment: other copies of the atlas on the same origin keep theirs.
const PREFIX = `pakru-atlas|${SCOPE}|`;
const CACHE = PREFIX + VERSION;
const PATHS = new Set(FILES.map(([path]) => path));
const full = (path) => new URL(path, SCOPE).href;

// A file of this version. The page has usually just loaded it, so the HTTP cache is tried first
// (whatever its age: the integrity check decides), so that a first visit does not download the
// bundle twice; a stale or missing copy is then fetched from the network.
async function fetchChecked(path, integrity) {
  try {
    const cached = await fetch(new Request(full(path), { cache: 'force-cache', integrity }));
    if (cached.ok) return cached;
  } catch {
    // Not in the HTTP cache with this content: fetch it.
  }
  const response = await fetch(new Request(full(path), { cache: 'reload', integrity }));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response;
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        await Promise.all(
          FILES.map(async ([path, integrity]) => {
            await cache.put(full(path), await fetchChecked(path, integrity));
          }),
        );
      } catch (e) {
        await caches.delete(CACHE);
        throw e;
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(SCOPE_PATH)) return;
  let path;
  try {
    path = decodeURIComponent(url.pathname.slice(SCOPE_PATH.length));
  } catch {
    return;
  }
  if (request.mode === 'navigate') {
    if (path !== '' && path !== 'index.html') return;
    path = 'index.html';
  } else if (!PATHS.has(path)) {
    return;
  }
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      return (await cache.match(full(path))) || fetch(request);
    })(),
  );
});
