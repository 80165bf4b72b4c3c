// The language switch names this page in the other language. A live filter changes the address
// without reloading the page (htmx pushes it into history), so the switch follows the address:
// English pages live at the root and every other language under its code (/es/...).
(function () {
  "use strict";

  function follow() {
    var here = window.location.pathname + window.location.search;
    document.querySelectorAll("a.language-switch[hreflang]").forEach(function (link) {
      var current = document.documentElement.lang;
      var root = current === "en" ? here : here.replace(new RegExp("^/" + current + "(/|$)"), "/");
      var code = link.getAttribute("hreflang");
      link.setAttribute("href", code === "en" ? root : "/" + code + root);
    });
  }

  document.addEventListener("htmx:pushedIntoHistory", follow);
  document.addEventListener("htmx:replacedInHistory", follow);
  window.addEventListener("popstate", follow);
})();
