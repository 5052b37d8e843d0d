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
  // A file over the limit is refused here, before minutes of uploading on a slow line.
  function tooLarge(input) {
    var max = parseInt(input.getAttribute("data-max-bytes"), 10);
    return input.files && input.files.length > 0 && input.files[0].size > max;
  }
  function showSize(input) {
    var id = input.id + "-size-error";
    var message = document.getElementById(id);
    if (tooLarge(input)) {
      if (!message) {
        message = document.createElement("p");
        message.id = id;
        message.className = "error-message";
        message.setAttribute("role", "alert");
        input.parentNode.insertBefore(message, input);
      }
      message.textContent = input.getAttribute("data-too-large");
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + id).trim());
    } else if (message) {
      message.parentNode.removeChild(message);
      input.removeAttribute("aria-invalid");
    }
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input[type=file][data-max-bytes]")) { showSize(event.target); }
  });
  document.addEventListener("submit", function (event) {
    var input = event.target.querySelector ? event.target.querySelector("input[type=file][data-max-bytes]") : null;
    if (input && tooLarge(input)) {
      event.preventDefault();
      event.stopPropagation();  // captured before htmx sees it: nothing is sent
      showSize(input);
      input.focus();
    }
  }, true);
  document.addEventListener("htmx:afterRequest", function (event) {
    var p = parts(event.target);
    if (p) { p.button.disabled = false; }
  });
})();
