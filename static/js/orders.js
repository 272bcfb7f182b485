// Orders pages: select-all and a live count for the bulk actions (confirm.js asks before
// destructive buttons). Loaded with defer; no inline scripts (CSP).
(function () {
  "use strict";

  function boxes() {
    return Array.from(document.querySelectorAll('input[type="checkbox"][name="order"][form="bulk"]'));
  }

  function refresh() {
    const all = boxes();
    const picked = all.filter(function (box) { return box.checked; }).length;
    const count = document.getElementById("picked-count");
    if (count) {
      count.textContent = picked ? count.dataset.some.replace("{n}", picked) : count.dataset.none;
    }
    document.querySelectorAll("[data-needs-pick]").forEach(function (button) {
      button.disabled = picked === 0;
    });
    const head = document.getElementById("pick-all");
    if (head) {
      head.checked = picked > 0 && picked === all.length;
      head.indeterminate = picked > 0 && picked < all.length;
    }
  }

  document.addEventListener("change", function (event) {
    const target = event.target;
    if (target.id === "pick-all") {
      boxes().forEach(function (box) { box.checked = target.checked; });
    }
    if (target.id === "pick-all" || target.name === "order") {
      refresh();
    }
  });

  // A button pressed twice would send the same refill twice: disable it once the form goes.
  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented) {
      return;
    }
    const button = event.submitter;
    if (button) {
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
  });

  // Phones: the filters fold away unless one is on (they are open without JavaScript).
  function foldFilters() {
    const box = document.querySelector("details.filter-box");
    if (box && !box.hasAttribute("data-filtered") && window.matchMedia("(max-width: 640px)").matches) {
      box.open = false;
    }
  }

  // On a narrow screen the tabs scroll sideways: bring the current one into view, also
  // when the tabs come back with their counts.
  // (Once per tabs element, so a scroll of the reader's own is left alone.)
  function showCurrentTab() {
    const tabs = document.getElementById("order-tabs");
    const current = tabs && !tabs.dataset.shown && tabs.querySelector('[aria-current="page"]');
    if (!current) { return; }
    tabs.dataset.shown = "1";
    const row = current.closest("ul");
    if (row.scrollWidth > row.clientWidth) {
      row.scrollLeft = current.offsetLeft - row.offsetLeft - 16;
    }
  }

  document.addEventListener("htmx:afterSettle", showCurrentTab);

  function start() {
    foldFilters();
    refresh();
    showCurrentTab();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
