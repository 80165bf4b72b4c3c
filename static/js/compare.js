// The compare page's two conveniences: "Copy link" and "Print". Both buttons are hidden in the
// HTML and shown here, so without JavaScript nobody sees a button that does nothing; the link
// stays selectable in its text box and the browser's own Print command uses the print styles.
// What it says comes from the button's data-copied and data-copy-manually attributes, written
// by the template in the page's language.
(function () {
  "use strict";

  var status = document.querySelector(".compare__copied");

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    if (!field) {
      return;
    }
    var copied = button.getAttribute("data-copied") || "";
    var manually = button.getAttribute("data-copy-manually") || "";
    button.hidden = false;
    button.addEventListener("click", function () {
      field.select();
      // The Clipboard API needs HTTPS; where it is missing the text is left selected instead.
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(
          function () { say(copied); },
          function () { say(manually); }
        );
      } else {
        say(manually);
      }
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
