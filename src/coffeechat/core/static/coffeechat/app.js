// What every page shares, loaded by base.html: typed input that survives a reload, and the top
// bar's scrollable strip of sections on a phone. No build step; hooked to plain attributes.
(function () {
  "use strict";

  // --- Typed input survives a sibling form's submit -------------------------------------------
  // A page often holds several forms (a fit dimension, a note, a learning...). Submitting one
  // reloads the page, which used to wipe what was typed in the others. Every change to a field
  // of a POST form is kept in sessionStorage (this tab only, gone when it closes), per page,
  // form and field, and put back after the reload. A form's entries are dropped when it is
  // submitted and the server took it; they come back if the server answers with an error.
  // Each entry remembers the value the server had rendered: if the server's value changed
  // since (saved elsewhere), the server wins and the entry is dropped.
  var PREFIX = "coffeechat:keep:";
  var PENDING = PREFIX + "pending";
  var pageKey = PREFIX + window.location.pathname;

  var storage = {
    read: function (key) {
      try { return JSON.parse(window.sessionStorage.getItem(key) || "null"); } catch (e) { return null; }
    },
    write: function (key, value) {
      try {
        if (value === null) window.sessionStorage.removeItem(key);
        else window.sessionStorage.setItem(key, JSON.stringify(value));
      } catch (e) { /* storage full or disabled: the page works as before */ }
    },
    forgetAll: function () {
      try {
        for (var i = window.sessionStorage.length - 1; i >= 0; i--) {
          var key = window.sessionStorage.key(i);
          if (key && key.indexOf(PREFIX) === 0) window.sessionStorage.removeItem(key);
        }
      } catch (e) { /* nothing kept */ }
    },
  };

  var isKept = function (form) {
    return !!form && (form.getAttribute("method") || "").toLowerCase() === "post" &&
      !form.closest("[data-keep=off]");
  };
  var isField = function (el) {
    if (!el.name || el.name === "csrfmiddlewaretoken" || el.disabled) return false;
    if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
    // Passwords are never written down; a search box is a query, not input to keep.
    return el.tagName === "INPUT" &&
      !/^(hidden|password|file|search|submit|button|reset|image)$/.test(el.type);
  };
  var fieldsOf = function (form) {
    return Array.prototype.filter.call(form.elements, isField);
  };
  // A form is known by its action and its rank among forms with that action; a field by its
  // name and rank in the form (a checkbox also by its value).
  var formKey = function (form) {
    var action = form.getAttribute("action") || "";
    var rank = 0;
    for (var i = 0; i < document.forms.length && document.forms[i] !== form; i++) {
      if ((document.forms[i].getAttribute("action") || "") === action) rank++;
    }
    return action + "#" + rank;
  };
  var fieldKey = function (form, el) {
    var named = fieldsOf(form).filter(function (other) { return other.name === el.name; });
    var suffix = el.type === "checkbox" || el.type === "radio" ? "=" + el.value : "";
    return el.name + suffix + "#" + named.indexOf(el);
  };
  var valueOf = function (el, initial) {
    if (el.type === "checkbox" || el.type === "radio") {
      return (initial ? el.defaultChecked : el.checked) ? "1" : "0";
    }
    if (el.tagName === "SELECT") {
      var chosen = Array.prototype.filter.call(el.options, function (option) {
        return initial ? option.defaultSelected : option.selected;
      });
      // A single select with no option marked selected shows (and sends) its first option.
      if (initial && !chosen.length && !el.multiple && el.options.length) chosen = [el.options[0]];
      return chosen.map(function (option) { return option.value; }).join("\n");
    }
    return initial ? el.defaultValue : el.value;
  };
  var setValue = function (el, value) {
    if (el.type === "checkbox" || el.type === "radio") {
      el.checked = value === "1";
    } else if (el.tagName === "SELECT") {
      var chosen = value.split("\n");
      Array.prototype.forEach.call(el.options, function (option) {
        option.selected = chosen.indexOf(option.value) !== -1;
      });
    } else {
      el.value = value;
    }
  };

  // Writes down what differs from the server's values in this form, and nothing else.
  var remember = function (form) {
    var kept = storage.read(pageKey) || {};
    var entries = {};
    var any = false;
    fieldsOf(form).forEach(function (el) {
      var now = valueOf(el, false);
      var was = valueOf(el, true);
      if (now !== was) { entries[fieldKey(form, el)] = { v: now, o: was }; any = true; }
    });
    if (any) kept[formKey(form)] = entries; else delete kept[formKey(form)];
    storage.write(pageKey, Object.keys(kept).length ? kept : null);
  };

  var putBack = function (form, entries) {
    var restored = false;
    fieldsOf(form).forEach(function (el) {
      var entry = entries[fieldKey(form, el)];
      if (!entry || valueOf(el, true) !== entry.o) return;
      if (valueOf(el, false) !== entry.v) { setValue(el, entry.v); restored = true; }
      el.classList.add("kept");
    });
    return restored;
  };

  var restoreAll = function () {
    var kept = storage.read(pageKey);
    if (!kept) return;
    Array.prototype.forEach.call(document.forms, function (form) {
      if (isKept(form) && kept[formKey(form)]) putBack(form, kept[formKey(form)]);
    });
    // Drop what no longer applies (a field the server changed since, a form now gone).
    Array.prototype.forEach.call(document.forms, function (form) { if (isKept(form)) remember(form); });
  };

  var onEdit = function (event) {
    var el = event.target;
    if (el && el.form && isField(el) && isKept(el.form)) remember(el.form);
  };
  document.addEventListener("input", onEdit, true);
  document.addEventListener("change", onEdit, true);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-forget-drafts")) { storage.forgetAll(); return; }
    if (!isKept(form) || form.hasAttribute("hx-post")) return;
    // A full page load follows: hand this form's entries to the next page, which puts them back
    // only if it is this page again showing an error (the server did not take them).
    var kept = storage.read(pageKey) || {};
    var key = formKey(form);
    if (kept[key]) {
      storage.write(PENDING, { page: window.location.pathname, form: key, entries: kept[key] });
      delete kept[key];
      storage.write(pageKey, Object.keys(kept).length ? kept : null);
    }
  }, true);

  // After htmx swapped a section: a form it saved was emptied or re-rendered with the server's
  // values (nothing left to keep); a form it refused still shows what was typed (kept).
  document.addEventListener("htmx:afterSettle", function () {
    Array.prototype.forEach.call(document.forms, function (form) { if (isKept(form)) remember(form); });
  });

  var pending = storage.read(PENDING);
  storage.write(PENDING, null);
  restoreAll();
  if (pending && pending.page === window.location.pathname &&
      document.querySelector(".errorlist, .messages .error")) {
    Array.prototype.forEach.call(document.forms, function (form) {
      if (isKept(form) && formKey(form) === pending.form && putBack(form, pending.entries)) remember(form);
    });
  }

  // --- The top bar on a phone ------------------------------------------------------------------
  // Ten sections do not fit 390 px: the bar scrolls sideways. The current section, and the one
  // with the keyboard focus, are scrolled clear of the fades, which show on the side where more
  // sections wait.
  var strip = document.querySelector("[data-nav-strip]");
  var nav = strip && strip.querySelector("nav");
  if (nav) {
    var FADE = 44;  // px: the width of a fade, which covers what is under it
    var reveal = function (link) {
      var box = nav.getBoundingClientRect();
      var item = link.getBoundingClientRect();
      if (item.left < box.left + FADE) nav.scrollLeft -= box.left + FADE - item.left;
      else if (item.right > box.right - FADE) nav.scrollLeft += item.right - (box.right - FADE);
    };
    var edges = function () {
      var more = nav.scrollWidth - nav.clientWidth;
      strip.classList.toggle("more-before", nav.scrollLeft > 2);
      strip.classList.toggle("more-after", nav.scrollLeft < more - 2);
    };
    var current = nav.querySelector("[aria-current=page]");
    if (current && nav.scrollWidth > nav.clientWidth) reveal(current);
    nav.addEventListener("focusin", function (event) { reveal(event.target); });
    nav.addEventListener("scroll", edges, { passive: true });
    window.addEventListener("resize", edges);
    edges();
  }

  // --- Several contacts picked with a search (core.widgets.ContactsPicker) --------------------
  // A box ticked among the search results joins the chosen ones above the search box, so that
  // the next search, which replaces the results, does not take it away.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-picker-multiple] .picker-results input[type=checkbox]")) return;
    if (!box.checked) return;
    var picker = box.closest("[data-picker-multiple]");
    var chosen = picker.querySelector(".picker-current");
    var none = chosen.querySelector("[data-picker-none]");
    if (none) none.remove();
    var already = chosen.querySelector("input[value='" + box.value.replace(/[^0-9]/g, "") + "']");
    if (already) { already.checked = true; box.closest("label").remove(); return; }
    chosen.appendChild(box.closest("label"));
  });

  // --- Words of the method explained in place ---------------------------------------------------
  // A code such as LAMP is a button that opens its explanation as a popover, with no script. A
  // browser without popovers follows the button to the glossary entry instead.
  if (!Object.prototype.hasOwnProperty.call(HTMLElement.prototype, "popover")) {
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("button[data-glossary]");
      if (button) window.location.href = button.getAttribute("data-glossary");
    });
  }

  // --- A form is sent once -----------------------------------------------------------------------
  // A second click while the first POST is on its way (a double-click, an impatient click on a
  // slow connection) sends the form again: the browser drops the first answer, but the server
  // has taken both, and the contact is added twice. A POST form is sent once; it can be sent
  // again after a few seconds (a form answered by a download leaves the page as it was) or when
  // the page comes back from the browser's history. htmx forms and the upload form (which
  // send their own requests) are left alone: their own handlers cancel the browser's submit.
  var RESEND_AFTER_MS = 4000;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.getAttribute) return;
    if ((form.getAttribute("method") || "").toLowerCase() !== "post" || form.hasAttribute("hx-post")) return;
    var sentAt = Number(form.getAttribute("data-sent-at") || 0);
    if (sentAt && Date.now() - sentAt < RESEND_AFTER_MS) { event.preventDefault(); return; }
    form.setAttribute("data-sent-at", String(Date.now()));
  });
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    Array.prototype.forEach.call(document.querySelectorAll("form[data-sent-at]"), function (form) {
      form.removeAttribute("data-sent-at");
    });
  });
})();
