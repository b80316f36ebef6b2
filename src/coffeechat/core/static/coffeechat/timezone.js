// Dashboard, while the account's time zone was never chosen: offer the browser's zone. The
// server renders the prompt hidden, with both buttons; this only fills in the zone and shows
// it when it differs from the account's. Without JavaScript nothing shows (Settings has it).
(function () {
  "use strict";
  var prompt = document.querySelector("[data-tz-suggest]");
  if (!prompt || !window.Intl || !Intl.DateTimeFormat) return;
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    return;
  }
  // An unknown zone, or the one the account has already: nothing to offer.
  if (!zone || zone === "Etc/Unknown" || zone === prompt.getAttribute("data-tz-current")) return;
  var shown = zone.replace(/_/g, " ");
  prompt.querySelectorAll("[data-tz-name]").forEach(function (node) {
    node.textContent = shown;
  });
  prompt.querySelector("[data-tz-input]").value = zone;
  prompt.hidden = false;
})();
