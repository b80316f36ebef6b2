// Interview mode: the clock, notes that save as they are typed, and forms that reset after a
// quick capture. Drafts live in localStorage until the server confirms them, so nothing typed
// is lost to a reload, a closed tab or a dropped connection.
(function () {
  "use strict";
  var root = document.getElementById("interview");
  if (!root) return;

  // --- Clock ---------------------------------------------------------------------------------
  var clock = document.getElementById("clock");
  if (clock) {
    var base = parseInt(clock.dataset.elapsed, 10) || 0;
    var planned = (parseInt(clock.dataset.planned, 10) || 30) * 60;
    var running = clock.dataset.running === "1";
    var started = Date.now();
    var shown = clock.querySelector("[data-clock-elapsed]");
    var cue = clock.querySelector("[data-clock-cue]");
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    var tick = function () {
      var elapsed = base + (running ? Math.floor((Date.now() - started) / 1000) : 0);
      shown.textContent = Math.floor(elapsed / 60) + ":" + pad(elapsed % 60);
      var left = planned - elapsed;
      var state = left <= 0 ? "over" : left <= 300 ? "warn" : "";
      if (clock.dataset.state !== state) {
        clock.dataset.state = state;
        clock.classList.toggle("clock-warn", state === "warn");
        clock.classList.toggle("clock-over", state === "over");
        cue.textContent = state === "over" ? "Time is up: thank them and close." :
          state === "warn" ? "5 minutes left: ask for referrals." : "";
      }
    };
    tick();
    if (running) window.setInterval(tick, 1000);
  }

  // --- Notes that save as they are typed ------------------------------------------------------
  var status = document.getElementById("save-status");
  var tokenInput = root.querySelector("input[name=csrfmiddlewaretoken]");
  var token = tokenInput ? tokenInput.value : "";
  var DELAY = 700;

  var storage = {
    get: function (key) { try { return window.localStorage.getItem(key); } catch (e) { return null; } },
    set: function (key, value) { try { window.localStorage.setItem(key, value); } catch (e) { /* private mode: the server copy still saves */ } },
    drop: function (key) { try { window.localStorage.removeItem(key); } catch (e) { /* ignore */ } },
  };

  var say = function (text, failed) {
    status.textContent = text;
    status.classList.toggle("save-failed", !!failed);
  };

  var failing = new Set();

  var save = function (field) {
    window.clearTimeout(field._timer);
    var sent = field.value;
    var body = new FormData();
    body.append("note", sent);
    field._saving = true;
    return window.fetch(field.dataset.autosave, {
      method: "POST",
      body: body,
      headers: { "X-CSRFToken": token },
      credentials: "same-origin",
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      // Only forget the draft when what the server has is what is in the field now.
      if (field.value === sent) storage.drop(field.dataset.draftKey);
      field.classList.remove("unsaved");
      failing.delete(field);
      if (!failing.size) say("Saved.", false);
    }).catch(function () {
      field.classList.add("unsaved");
      failing.add(field);
      say("Not saved: no connection to coffeechat. Your text is kept on this device and will be saved when it is back.", true);
    }).finally(function () { field._saving = false; });
  };

  var fields = root.querySelectorAll("textarea[data-autosave]");
  fields.forEach(function (field) {
    var key = field.dataset.draftKey;
    var draft = storage.get(key);
    if (draft !== null && draft !== field.value) {
      field.value = draft;
      field.classList.add("unsaved");
      say("Restored text that was not saved yet; saving it now.", false);
      save(field);
    } else if (draft !== null) {
      storage.drop(key);
    }
    field.addEventListener("input", function () {
      storage.set(key, field.value);
      field.classList.add("unsaved");
      window.clearTimeout(field._timer);
      field._timer = window.setTimeout(function () { save(field); }, DELAY);
    });
    field.addEventListener("blur", function () {
      if (field.classList.contains("unsaved") && !field._saving) save(field);
    });
  });

  var retry = function () { failing.forEach(function (field) { save(field); }); };
  window.addEventListener("online", retry);
  window.setInterval(function () { if (failing.size) retry(); }, 15000);

  // --- Quick capture: empty the form once htmx has saved it ----------------------------------
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.hasAttribute && form.hasAttribute("data-reset-on-success") && event.detail.successful) {
      if (!document.querySelector("#captured .error")) form.reset();
    }
  });
})();
