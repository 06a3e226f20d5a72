// Diary pages: progressive enhancement only. The log form works the same without this file.
(function () {
  "use strict";

  // Morning-pain minutes: a quick pick and exact minutes are two ways to give one answer. The
  // server lets exact minutes win; here choosing one clears the other so what you see is saved.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-morning-quick]")) {
      var exact = target.form && target.form.querySelector("[data-morning-exact]");
      if (exact) { exact.value = ""; }
    }
  });
  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-morning-exact]") && target.value !== "") {
      target.form.querySelectorAll("[data-morning-quick]").forEach(function (radio) { radio.checked = false; });
    }
  });

  // A double tap on "Save night" sends the form once (the server refuses a second night anyway).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-once")) { return; }
    if (form.dataset.sent === "yes") { event.preventDefault(); return; }
    form.dataset.sent = "yes";
  });
  // Coming back to the page (browser history) must not leave the form blocked.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-once]").forEach(function (form) { form.removeAttribute("data-sent"); });
  });
})();
