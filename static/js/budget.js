// Counts the budget total and the largest possible grant as the applicant types. The server counts
// and enforces the same figures on every save; this only saves a round trip.
(function () {
  "use strict";
  var form = document.getElementById("application-form");
  if (!form) { return; }
  var figures = form.querySelector(".figures");
  var share = parseFloat(figures.getAttribute("data-max-share")) / 100;
  var lang = document.documentElement.lang || "fi";
  var money = new Intl.NumberFormat(lang === "en" ? "en-GB" : lang + "-FI", { style: "currency", currency: "EUR", maximumFractionDigits: 2 });
  function parse(text) {
    var cleaned = (text || "").replace(/[\s\u00a0\u202f€]/g, "").replace(",", ".");
    var value = parseFloat(cleaned);
    return isNaN(value) || value < 0 ? 0 : value;
  }
  function update() {
    var total = 0;
    form.querySelectorAll("input[name^='budget-'][name$='-amount']").forEach(function (input) {
      var row = input.closest("tr");
      var removed = row && row.querySelector("input[name$='-DELETE']");
      if (!removed || !removed.checked) { total += parse(input.value); }
    });
    document.getElementById("budget-total").textContent = money.format(total);
    document.getElementById("max-grant").textContent = money.format(Math.floor(total * share * 100) / 100);
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
})();
