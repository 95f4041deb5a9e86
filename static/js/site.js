// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("change", function (e) {
    var t = e.target;
    // The language switcher submits itself.
    if (t.matches && t.matches("select[data-autosubmit]")) { t.form.submit(); }
    // Choosing a reward fills in its amount (the backer may raise it).
    if (t.matches && t.matches(".pledge-form input[name=tier]") && t.dataset.amount) {
      var amount = t.form.querySelector("input[name=amount]");
      if (amount) { amount.value = t.dataset.amount; }
    }
  });
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) { e.preventDefault(); return; }
    // A second click does not send the payment twice (the server's request key makes it safe anyway).
    if (form.hasAttribute("data-once")) {
      if (form.dataset.sent) { e.preventDefault(); return; }
      form.dataset.sent = "1";
    }
  });
})();
