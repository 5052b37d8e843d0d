// Documents: a progress bar while a file uploads through htmx. The plain form works without it.
(function () {
  "use strict";
  function parts(target) {
    var form = target && target.closest ? target.closest("form[data-upload]") : null;
    if (!form) { return null; }
    return { box: form.querySelector(".upload-progress"), bar: form.querySelector("progress"),
             percent: form.querySelector(".upload-percent"), button: form.querySelector("button[type=submit]") };
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var p = parts(event.target);
    if (!p) { return; }
    p.bar.value = 0;
    p.percent.textContent = "";
    p.box.hidden = false;
    p.button.disabled = true;  // one upload at a time; a double click would send the file twice
  });
  document.addEventListener("htmx:xhr:progress", function (event) {
    var p = parts(event.target);
    if (!p || !event.detail.lengthComputable || !event.detail.total) { return; }
    // Upload and download both report progress; the bar only moves forward.
    var value = Math.max(p.bar.value, Math.round(100 * event.detail.loaded / event.detail.total));
    if (value !== p.bar.value) {
      p.bar.value = value;
      if (value % 25 === 0) { p.percent.textContent = value + "%"; }  // not every step for screen readers
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var p = parts(event.target);
    if (p) { p.button.disabled = false; }
  });
})();
