// Progressive enhancement only: every page works without this file.
document.documentElement.classList.remove("no-js");
document.documentElement.classList.add("js");

// The service worker caches public static files only (see templates/sw.js); private pages
// always come from the network.
if ("serviceWorker" in navigator && window.isSecureContext) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  });
}
