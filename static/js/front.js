// The campaign page's live countdown and the poster's print button: progressive enhancements (the
// server renders the time left and refuses pledges after the deadline whatever this script does).
(function () {
  "use strict";
  var FA = "۰۱۲۳۴۵۶۷۸۹";
  var persian = document.documentElement.lang === "fa";
  function digits(text) {
    return persian ? String(text).replace(/[0-9]/g, function (d) { return FA[+d]; }) : String(text);
  }
  function two(n) { return (n < 10 ? "0" : "") + n; }

  function tick(el, deadline) {
    // Whole seconds rounded up: "00:00:01" until the very instant of the deadline, "ended" only after it.
    var left = Math.ceil((deadline - Date.now()) / 1000);
    if (left <= 0) {
      el.textContent = el.dataset.ended;
      el.classList.add("ended");
      // The deadline passed while the page was open: take away what would lead to a refused pledge.
      document.querySelectorAll(".pledge-action").forEach(function (a) { a.remove(); });
      document.querySelectorAll(".closed-note[hidden]").forEach(function (p) { p.hidden = false; });
      return false;
    }
    var days = Math.floor(left / 86400);
    var hms = two(Math.floor((left % 86400) / 3600)) + ":" + two(Math.floor((left % 3600) / 60)) + ":" + two(left % 60);
    var format = days === 0 ? el.dataset.hms : (days === 1 ? el.dataset.day : el.dataset.days);
    el.textContent = digits(format.replace("{d}", days).replace("{hms}", hms));
    return true;
  }

  document.querySelectorAll(".countdown[data-deadline]").forEach(function (el) {
    var deadline = Date.parse(el.dataset.deadline);
    if (isNaN(deadline)) { return; }
    if (tick(el, deadline)) {
      var timer = window.setInterval(function () { if (!tick(el, deadline)) { window.clearInterval(timer); } }, 1000);
    }
  });

  // The poster's print button does something only with this script: shown by it.
  document.querySelectorAll("[data-print][hidden]").forEach(function (b) { b.hidden = false; });
  document.addEventListener("click", function (e) {
    if (e.target.matches && e.target.matches("[data-print]")) { window.print(); }
  });
})();
