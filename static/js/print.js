// A button that opens the browser's print dialog; without this script the page says how to print.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.closest("[data-print-row]").hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
}());
