// Renders the API documentation into #redoc from its data-spec-url (no inline script: the CSP forbids it),
// instead of Redoc's <redoc> custom element, which is not valid HTML.
(function () {
  "use strict";
  var element = document.getElementById("redoc");
  if (element && window.Redoc) {
    window.Redoc.init(element.getAttribute("data-spec-url"), {}, element);
  }
})();
