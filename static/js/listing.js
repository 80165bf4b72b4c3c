// Live filtering on the listing page. Without this file (or without JavaScript) the filter form
// is a plain GET form and every feature still works; htmx only saves the full page reload.
(function () {
  "use strict";

  var filters = document.querySelector(".filters");
  // On a phone the filter panel starts folded so results are the first thing seen.
  if (filters && window.matchMedia("(max-width: 47.99em)").matches) {
    filters.removeAttribute("open");
  }

  // The map of the results (static/js/map.js draws it). Its scripts and data are fetched only
  // when it is shown: at once beside the list on wide screens, after the "Map" button elsewhere.
  var panel = document.getElementById("map-panel");
  var toggle = document.querySelector(".map-toggle");
  var wide = window.matchMedia("(min-width: 75em)");
  var loading = null;

  function loadMap() {
    if (!loading) {
      loading = (panel.getAttribute("data-scripts") || "").split(" ").reduce(function (previous, src) {
        return previous.then(function () {
          return new Promise(function (resolve, reject) {
            var script = document.createElement("script");
            script.src = src;
            script.onload = resolve;
            script.onerror = reject;
            document.head.appendChild(script);
          });
        });
      }, Promise.resolve());
    }
    loading.then(function () {
      window.directoryMap.show(document.getElementById("map-panel"));
    }, function () {
      loading = null;
      window.dispatchEvent(new CustomEvent("directory:map-failed"));
    });
  }

  function setMapShown(shown) {
    panel = document.getElementById("map-panel");
    toggle = document.querySelector(".map-toggle");
    if (!panel || !toggle) {
      return;
    }
    var button = toggle.querySelector("button");
    toggle.hidden = wide.matches;
    panel.hidden = !shown;
    button.setAttribute("aria-expanded", shown ? "true" : "false");
    button.textContent = button.getAttribute(shown ? "data-label-hide" : "data-label-show");
    if (shown) {
      loadMap();
    }
  }

  if (panel && toggle) {
    setMapShown(wide.matches);
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest(".map-toggle button");
      if (button) {
        setMapShown(button.getAttribute("aria-expanded") !== "true");
      }
    });
    wide.addEventListener("change", function () {
      setMapShown(wide.matches);
    });
    window.addEventListener("directory:map-failed", function () {
      var status = document.getElementById("map-status");
      if (status) {
        status.textContent = status.getAttribute("data-failed") || "";
      }
    });
    // New results, or a page restored by the back button: the map follows the list.
    document.addEventListener("htmx:afterSettle", function (event) {
      if (event.detail.target && event.detail.target.id === "results" && window.directoryMap) {
        // The address the results came from: the pushed URL may not be in place yet.
        var xhr = event.detail.xhr;
        window.directoryMap.refresh(xhr && xhr.responseURL ? new URL(xhr.responseURL).search : undefined);
      }
    });
    document.addEventListener("htmx:historyRestore", function () {
      var restored = document.getElementById("map-panel");
      if (restored && !restored.hidden) {
        loadMap();
      }
    });
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    // A history restore swaps with no target.
    if (!event.detail.target || event.detail.target.id !== "results") {
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
