
// Appended by `cargo xtask dist`: after the first visit, the service worker (sw.js) keeps a
// copy of every file so the atlas works offline. Registered once the page has loaded, so the
// copy never competes with the first load; only where service workers exist (http(s), not file:),
// and not in the ZIM file for Kiwix, whose index.html carries this meta (xtask/src/zim.rs): the
// reader serves every file itself, and Kiwix JS runs a service worker of its own there.
if (
  'serviceWorker' in navigator &&
  /^https?:$/.test(location.protocol) &&
  !document.querySelector('meta[name="pakru-package"][content="zim"]')
) {
  const register = () =>
    navigator.serviceWorker
      .register('./sw.js', { scope: './', updateViaCache: 'none' })
      .catch((e) => console.warn('The atlas cannot keep an offline copy here:', e));
  if (document.readyState === 'complete') register();
  else addEventListener('load', register, { once: true });
}
