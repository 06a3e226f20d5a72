// Service worker: caches only public static files. Private pages (diary, report, share links)
// always go to the network and are never stored, so nothing stale or private is served offline.
const CACHE = "static-v1";
self.addEventListener("install", (event) => { self.skipWaiting(); });
self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)))));
});
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || !url.pathname.startsWith("/static/")) {
    return; // the browser handles it: straight to the network
  }
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(event.request).then((hit) => hit || fetch(event.request).then((response) => {
      if (response.ok) { cache.put(event.request, response.clone()); }
      return response;
    })))
  );
});
