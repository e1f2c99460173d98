// Warns two minutes before the session's idle limit and offers to stay signed in. Without JavaScript
// nothing is lost either: a form posted after the limit is kept and given back after signing in again.
(function () {
  "use strict";
  var warning = document.getElementById("session-warning");
  if (!warning) { return; }
  var seconds = parseInt(warning.getAttribute("data-seconds"), 10);
  var ahead = Math.min(120, Math.floor(seconds / 2));
  var timer;
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      warning.hidden = false;
      warning.querySelector("button").focus();
    }, (seconds - ahead) * 1000);
  }
  warning.querySelector("button").addEventListener("click", function () {
    fetch(warning.getAttribute("data-keepalive"), { credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        if (response.status === 204) {
          warning.hidden = true;
          schedule();
        } else {
          window.location.reload();
        }
      });
  });
  schedule();
})();
