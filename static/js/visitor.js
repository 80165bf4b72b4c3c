// The listing, center and term pages are the same for every visitor, so that a CDN can keep
// them. What belongs to this visitor (messages, the compare tray, which centers they picked, a
// CSRF token for the page's forms) comes from one small private request, made here and put
// into the page. Without JavaScript the forms still post: the site answers a post without a
// token with a page that asks to send it again (directory.views.csrf_failure).
(function () {
  "use strict";

  var script = document.currentScript;
  var url = script && script.getAttribute("data-visitor-url");
  var visitor = null;

  if (!url || !document.querySelector("[data-needs-token], [data-compare-slug], [data-visitor-slot=tray]")) {
    return;
  }

  function imported(parent) {
    return Array.prototype.map.call(parent.childNodes, function (node) {
      return document.importNode(node, true);
    });
  }

  function fillSlots() {
    document.querySelectorAll("[data-visitor-slot]").forEach(function (slot) {
      var source = visitor.getElementById("visitor-" + slot.getAttribute("data-visitor-slot"));
      if (source) {
        slot.replaceChildren.apply(slot, imported(source));
      }
    });
  }

  function apply() {
    var token = visitor.getElementById("visitor-token").value;
    document.querySelectorAll("form[data-needs-token]").forEach(function (form) {
      if (!form.querySelector("input[name=csrfmiddlewaretoken]")) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = "csrfmiddlewaretoken";
        input.value = token;
        form.appendChild(input);
      }
    });
    document.querySelectorAll(".compare-button[data-compare-slug]").forEach(function (box) {
      var slug = box.getAttribute("data-compare-slug");
      var state = visitor.querySelector('template[data-compare-slug="' + CSS.escape(slug) + '"]') ||
        visitor.querySelector("template[data-compare-full]");
      box.removeAttribute("data-compare-slug");
      if (!state) {
        return;
      }
      // The shared form knows where to come back to (the card's anchor); keep that.
      var next = box.querySelector("input[name=next]");
      var back = next ? next.value : "";
      box.replaceChildren.apply(box, imported(state.content));
      box.querySelectorAll("input[name=next]").forEach(function (input) {
        input.value = back;
      });
    });
  }

  fetch(url + "?next=" + encodeURIComponent(location.pathname + location.search), {
    credentials: "same-origin",
    headers: { Accept: "text/html" },
  })
    .then(function (response) {
      return response.ok ? response.text() : Promise.reject(response.status);
    })
    .then(function (html) {
      visitor = new DOMParser().parseFromString(html, "text/html");
      fillSlots();
      apply();
      // The listing's htmx swaps bring new cards: give them their state too.
      document.body.addEventListener("htmx:afterSettle", apply);
    })
    .catch(function () {
      // Nothing to show: the forms still post without a token (see above).
    });
})();
