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
  // "Same as last night": fill the bed, pain areas and eased-by from the nearest logged night in
  // place (the link reloads the form with them when JavaScript is off). Pain and date are untouched.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-same-as-last]");
    var form = document.querySelector("form.night-form");
    if (!link || !form) { return; }
    event.preventDefault();
    var answers = JSON.parse(link.getAttribute("data-same-as-last"));
    var bed = form.querySelector("select[name=bed]");
    if (bed && answers.bed !== null) { bed.value = String(answers.bed); }
    ["pain_areas", "eased_by"].forEach(function (name) {
      form.querySelectorAll("input[name=" + name + "]").forEach(function (box) {
        box.checked = answers[name].indexOf(box.value) !== -1;
      });
    });
    link.setAttribute("aria-pressed", "true");
  });

  // A date that is already logged is flagged as soon as it is chosen, with a link to edit that night.
  function flagTakenDate(input) {
    var box = document.getElementById("date-taken");
    if (!box) { return; }
    var taken = {};
    (box.getAttribute("data-logged-nights") || "").split(" ").forEach(function (pair) {
      var parts = pair.split("=");
      if (parts.length === 2) { taken[parts[0]] = parts[1]; }
    });
    box.textContent = "";
    input.classList.remove("is-invalid");
    var pk = taken[input.value];
    if (!pk) { return; }
    // The sentence comes from the page, in the reader's language; only its link is set here.
    var message = document.getElementById("date-taken-message").content.cloneNode(true);
    message.querySelector("a").href = box.getAttribute("data-edit-url").replace("/0/", "/" + pk + "/");
    box.append(message);
    input.classList.add("is-invalid");
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("form.night-form input[name=date]")) { flagTakenDate(event.target); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var input = document.querySelector("form.night-form input[name=date]");
    if (input) { flagTakenDate(input); }
  });

  // Coming back to the page (browser history) must not leave the form blocked.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-once]").forEach(function (form) { form.removeAttribute("data-sent"); });
  });
})();
