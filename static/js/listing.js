// Live filtering on the listing page. Without this file (or without JavaScript) the filter form
// is a plain GET form and every feature still works; htmx only saves the full page reload.
(function () {
  "use strict";

  var filters = document.querySelector(".filters");
  // On a phone the filter panel starts folded so results are the first thing seen.
  if (filters && window.matchMedia("(max-width: 47.99em)").matches) {
    filters.removeAttribute("open");
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id !== "results") {
      return;
    }
    // A new page of results: move focus to its first line, as a page load would.
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (source && source.closest(".pagination")) {
      var count = document.getElementById("result-count");
      if (count) {
        count.focus();
      }
    }
  });
})();
