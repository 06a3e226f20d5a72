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

// Sign-up: the browser's time zone, so "today" is the person's own day from the first night on.
// Without JavaScript the hidden field stays empty and the account starts on UTC (the profile says so).
document.querySelectorAll("input[data-detect-time-zone]").forEach(function (field) {
  try {
    field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    field.value = "";
  }
});
