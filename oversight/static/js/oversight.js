/* Oversight: the little JavaScript the pages need. No inline handlers anywhere, so a strict CSP holds. */
(function () {
  "use strict";

  var strings = {};
  try {
    var block = document.getElementById("ui-strings");
    if (block) { strings = JSON.parse(block.textContent); }
  } catch (e) { strings = {}; }

  function t(key, fallback) { return strings[key] || fallback; }

  // The server's clock is the reference: correct for a phone whose clock is off.
  var serverNow = parseInt(document.body.getAttribute("data-server-now") || "0", 10) * 1000;
  var skew = serverNow ? serverNow - Date.now() : 0;
  function nowMs() { return Date.now() + skew; }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function formatDuration(ms) {
    var total = Math.floor(Math.abs(ms) / 1000);
    var d = Math.floor(total / 86400);
    var h = Math.floor((total % 86400) / 3600);
    var m = Math.floor((total % 3600) / 60);
    var s = total % 60;
    if (d > 0) { return d + " " + t("d", "d") + " " + h + " " + t("h", "h"); }
    if (h > 0) { return h + " " + t("h", "h") + " " + pad(m) + " " + t("min", "min"); }
    if (m >= 10) { return m + " " + t("min", "min"); }
    return m + ":" + pad(s);
  }

  // Live SLA countdown badges: <span class="js-countdown" data-due="epoch" data-warning="epoch">.
  function tick() {
    var now = nowMs();
    var badges = document.querySelectorAll(".js-countdown[data-due]");
    for (var i = 0; i < badges.length; i++) {
      var el = badges[i];
      var due = parseInt(el.getAttribute("data-due"), 10) * 1000;
      var warnAttr = el.getAttribute("data-warning");
      var warn = warnAttr ? parseInt(warnAttr, 10) * 1000 : null;
      var state = "on_track";
      if (now >= due) { state = "breached"; } else if (warn !== null && now >= warn) { state = "warning"; }
      if (el.getAttribute("data-state") !== state) {
        el.classList.remove("sla-on_track", "sla-warning", "sla-breached");
        el.classList.add("sla-" + state);
        el.setAttribute("data-state", state);
        var label = el.querySelector(".sla-state");
        if (label) { label.textContent = t(state, label.textContent); }
      }
      var time = el.querySelector(".sla-time");
      if (time) {
        var text = now >= due ? t("overdue", "overdue by %(time)s") : t("left", "%(time)s left");
        time.textContent = text.replace("%(time)s", formatDuration(due - now));
      }
    }
  }

  // Forms marked js-once submit once: a double tap does not send the same change twice.
  function guardSubmit(event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("js-once")) { return; }
    if (form.getAttribute("data-submitted") === "1") { event.preventDefault(); return; }
    form.setAttribute("data-submitted", "1");
    var buttons = form.querySelectorAll("button[type=submit]");
    for (var i = 0; i < buttons.length; i++) { buttons[i].classList.add("is-busy"); }
    // Re-enable after a while in case the browser kept the page (e.g. a download or back navigation).
    window.setTimeout(function () {
      form.removeAttribute("data-submitted");
      for (var j = 0; j < buttons.length; j++) { buttons[j].classList.remove("is-busy"); }
    }, 8000);
  }

  function confirmSubmit(event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message || t("confirm", "Are you sure?"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }

  function init() {
    document.documentElement.classList.remove("no-js");

    var toggle = document.querySelector(".js-nav-toggle");
    if (toggle) {
      toggle.addEventListener("click", function () {
        var header = document.querySelector(".site-header");
        var open = header.classList.toggle("nav-open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }

    document.addEventListener("change", function (event) {
      var el = event.target;
      if (el.classList && el.classList.contains("js-autosubmit") && el.form) { el.form.submit(); }
    });

    document.addEventListener("submit", confirmSubmit, true);
    document.addEventListener("submit", guardSubmit);

    document.addEventListener("click", function (event) {
      var el = event.target.closest ? event.target.closest(".js-print") : null;
      if (el) { window.print(); }
    });

    // After the browser restores a page from its cache, allow submitting again.
    window.addEventListener("pageshow", function () {
      var forms = document.querySelectorAll("form[data-submitted]");
      for (var i = 0; i < forms.length; i++) { forms[i].removeAttribute("data-submitted"); }
    });

    // On a phone the filter panels start folded (their summary counts the active filters); a click opens one.
    if (window.matchMedia && window.matchMedia("(max-width: 720px)").matches) {
      var panels = document.querySelectorAll("details.filters[open]");
      for (var p = 0; p < panels.length; p++) { panels[p].removeAttribute("open"); }
    }

    // A "select all" checkbox (data-check-all="name") ticks every checkbox of that name in its form.
    document.addEventListener("change", function (event) {
      var el = event.target;
      var name = el.getAttribute && el.getAttribute("data-check-all");
      if (!name) { return; }
      var boxes = document.querySelectorAll("input[type=checkbox][name='" + name + "']");
      for (var b = 0; b < boxes.length; b++) { boxes[b].checked = el.checked; }
    });

    // A list refreshing itself would drop the ticked rows: skip the refresh while any row is ticked.
    document.addEventListener("htmx:beforeRequest", function (event) {
      var source = event.detail && event.detail.elt;
      if (source && source.hasAttribute && source.hasAttribute("hx-trigger") &&
          source.querySelector && source.querySelector("input[name='ids']:checked")) {
        event.preventDefault();
      }
    });

    // htmx swaps replace lists; the ticker reads the DOM each second, so new badges are picked up.
    tick();
    window.setInterval(tick, 1000);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
