// The top bar's menu button: on narrow screens (up to 900 px) app.css folds the navigation
// away behind it, and this script opens and closes it (aria-expanded is the state the CSS
// reads). Loaded in <head> without defer, so the "js" class is set before the first paint and
// the page never flashes the open menu; without the script the button stays hidden and the
// links stay shown. No inline scripts (CSP).
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  function setOpen(button, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest(".nav-toggle[aria-controls]");
    if (button) {
      setOpen(button, button.getAttribute("aria-expanded") !== "true");
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    const open = document.querySelector('.nav-toggle[aria-expanded="true"]');
    if (open && open.offsetParent !== null) {
      setOpen(open, false);
      open.focus();
    }
  });
})();
