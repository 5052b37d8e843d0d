// Live character count under a textarea with data-counter="max". The form works without it.
(function () {
  "use strict";
  function attach(area) {
    var max = parseInt(area.getAttribute("data-counter"), 10);
    var output = document.getElementById(area.id + "-teller");
    if (!output || isNaN(max)) { return; }
    var timer = null;
    function update() {
      var left = max - area.value.length;
      output.textContent = left >= 0
        ? output.getAttribute("data-left").replace("{n}", left.toLocaleString("nl-NL"))
        : output.getAttribute("data-over").replace("{n}", (-left).toLocaleString("nl-NL"));
    }
    // Screen readers hear the count when typing pauses, not after every key.
    area.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 400); });
    update();
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-counter]"), attach);
  });
})();
