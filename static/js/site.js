// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("change", function (e) {
    var t = e.target;
    // The language switcher submits itself.
    if (t.matches && t.matches("select[data-autosubmit]")) { t.form.submit(); }
    // Choosing a reward fills in its amount (the backer may raise it). The reward radios carry
    // data-amount (pledges.forms.TierRadio); any form with such radios and an amount field qualifies,
    // whatever its classes.
    if (t.matches && t.matches("input[type=radio][name=tier][data-amount]") && t.form) {
      var amount = t.form.querySelector("input[name=amount]");
      if (amount) {
        amount.value = t.dataset.amount;
        amount.dispatchEvent(new Event("input", { bubbles: true }));
      }
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
  // The phone's menu: a disclosure button that shows and hides the main links; Escape closes it.
  var toggle = document.querySelector(".menu-toggle");
  var nav = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (toggle && nav) {
    var setOpen = function (open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("open", open);
    };
    toggle.addEventListener("click", function () { setOpen(toggle.getAttribute("aria-expanded") !== "true"); });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") { setOpen(false); toggle.focus(); }
    });
  }
  // Back to a page the browser kept in memory (back/forward cache): its forms may be sent again.
  window.addEventListener("pageshow", function (e) {
    if (!e.persisted) { return; }
    document.querySelectorAll("form[data-once]").forEach(function (form) { delete form.dataset.sent; });
  });
})();
