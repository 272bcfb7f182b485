// Placing orders: a form marked data-submit-once is sent once, and its button says so.
// The server's one-time token is the real guard; this only spares a second request.
(function () {
  "use strict";

  function busy(form) {
    form.querySelectorAll('button[type="submit"]').forEach(function (button) {
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      if (button.dataset.busyText) {
        button.dataset.idleText = button.textContent;
        button.textContent = button.dataset.busyText;
      }
    });
  }

  function idle(form) {
    delete form.dataset.sent;
    form.querySelectorAll('button[type="submit"]').forEach(function (button) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
      if (button.dataset.idleText) button.textContent = button.dataset.idleText;
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-submit-once]")) return;
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    // After this turn, so the browser has already taken the form's values.
    window.setTimeout(function () { busy(form); }, 0);
  });

  // Back/forward cache: a page shown again must be usable again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) document.querySelectorAll("form[data-submit-once]").forEach(idle);
  });

  // Mass order: once the pasted lines change, the preview no longer describes them.
  document.addEventListener("input", function (event) {
    var place = document.querySelector("form[data-preview-of]");
    if (!place || event.target.id !== place.dataset.previewOf) return;
    place.querySelectorAll('button[type="submit"]').forEach(function (b) { b.disabled = true; });
    var note = place.querySelector(".stale-note");
    if (note) note.hidden = false;
  });
})();
