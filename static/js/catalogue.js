// Catalogue: on a phone the filters start folded under the search, unless one is in use.
(function () {
  const more = document.querySelector("details.more-filters");
  if (more && !more.hasAttribute("data-active") && window.matchMedia("(max-width: 640px)").matches) {
    more.open = false;
  }
})();
