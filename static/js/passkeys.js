// Passkeys (WebAuthn): log in with one after the password, or make one on the profile.
// Only shown where the browser has passkeys; without this script the app's code always works.
(function () {
  "use strict";

  function toBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    var binary = atob(base64 + "===".slice((base64.length + 3) % 4));
    return Uint8Array.from(binary, function (c) { return c.charCodeAt(0); });
  }

  function toBase64url(buffer) {
    var binary = String.fromCharCode.apply(null, new Uint8Array(buffer));
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function csrfToken() {
    return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: body ? JSON.stringify(body) : "",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()}
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.error || ""); }
        return data;
      });
    });
  }

  function descriptors(list) {
    return (list || []).map(function (item) { return {type: item.type, id: toBytes(item.id), transports: item.transports}; });
  }

  function showError(box, message, fallback) {
    var output = box.querySelector("[data-passkey-error]");
    output.textContent = message || fallback;
  }

  function logIn(box) {
    var fallback = box.getAttribute("data-fallback") || "";
    post(box.getAttribute("data-options-url")).then(function (options) {
      options.challenge = toBytes(options.challenge);
      options.allowCredentials = descriptors(options.allowCredentials);
      return navigator.credentials.get({publicKey: options});
    }).then(function (credential) {
      return post(box.getAttribute("data-verify-url"), {
        id: credential.id, rawId: toBase64url(credential.rawId), type: credential.type,
        response: {
          clientDataJSON: toBase64url(credential.response.clientDataJSON),
          authenticatorData: toBase64url(credential.response.authenticatorData),
          signature: toBase64url(credential.response.signature),
          userHandle: credential.response.userHandle ? toBase64url(credential.response.userHandle) : null
        },
        clientExtensionResults: credential.getClientExtensionResults()
      });
    }).then(function (data) {
      window.location.assign(data.redirect);
    }).catch(function (error) { showError(box, error.name === "NotAllowedError" ? "" : error.message, fallback); });
  }

  function register(form) {
    var fallback = form.getAttribute("data-fallback") || "";
    var name = form.querySelector("input[name=name]").value.trim();
    if (!name) { showError(form, form.getAttribute("data-name-missing"), fallback); return; }
    post(form.getAttribute("data-options-url")).then(function (options) {
      options.challenge = toBytes(options.challenge);
      options.user.id = toBytes(options.user.id);
      options.excludeCredentials = descriptors(options.excludeCredentials);
      return navigator.credentials.create({publicKey: options});
    }).then(function (credential) {
      return post(form.getAttribute("action"), {name: name, credential: {
        id: credential.id, rawId: toBase64url(credential.rawId), type: credential.type,
        response: {
          clientDataJSON: toBase64url(credential.response.clientDataJSON),
          attestationObject: toBase64url(credential.response.attestationObject),
          transports: credential.response.getTransports ? credential.response.getTransports() : []
        },
        clientExtensionResults: credential.getClientExtensionResults()
      }});
    }).then(function (data) {
      window.location.assign(data.redirect);
    }).catch(function (error) { showError(form, error.name === "NotAllowedError" ? "" : error.message, fallback); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.PublicKeyCredential || !navigator.credentials) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("[data-passkey-login]"), function (box) {
      box.hidden = false;
      box.querySelector("button").addEventListener("click", function () { logIn(box); });
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-passkey-register]"), function (form) {
      form.hidden = false;
      Array.prototype.forEach.call(document.querySelectorAll("[data-passkey-unavailable]"), function (note) {
        note.hidden = true;
      });
      form.addEventListener("submit", function (event) { event.preventDefault(); register(form); });
    });
  });
})();
