// A confirm step before buttons that carry data-confirm (refill, cancel, revoke a key).
// Asked while the event is still on its way down (capture), before htmx's own listener on
// the form: a "no" stops it there, so neither the browser nor htmx sends anything.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    const button = event.submitter;
    const question = button && button.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);
})();
