// A button next to a read-only address copies it. Without this script the button stays hidden
// and the address can still be selected and copied by hand.
(function () {
  "use strict";
  function say(status, key) {
    status.textContent = "";
    // Emptied first, so a second copy is announced again.
    window.setTimeout(function () { status.textContent = status.getAttribute(key); }, 50);
  }
  function copyBySelecting(input) {
    input.focus();
    input.select();
    return document.execCommand("copy");
  }
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.closest(".copy-actions").hidden = false;
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-copy]") : null;
    if (!button) { return; }
    var input = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".copy-status");
    function fallback() { say(status, copyBySelecting(input) ? "data-copied" : "data-failed"); }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(function () { say(status, "data-copied"); }, fallback);
    } else {
      fallback();
    }
  });
  // A tap in the field selects the whole address, ready to copy.
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches(".copy-field input[readonly]")) { event.target.select(); }
  });
}());
