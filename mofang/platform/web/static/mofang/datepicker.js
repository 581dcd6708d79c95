/* Every date input gets the Chinese date picker (flatpickr with its zh locale, served from
   node_modules): the browser's own picker follows the browser's language, not the platform's.
   One pass at load and one per htmx swap, so no template has to ask for it. */
(function () {
  function attach(root) {
    if (!window.flatpickr || !root.querySelectorAll) return;
    var zh = (window.flatpickr.l10ns && window.flatpickr.l10ns.zh) || undefined;
    root.querySelectorAll("input[type=date]").forEach(function (el) {
      var min = el.getAttribute("min"), max = el.getAttribute("max");
      el.type = "text";  // the value stays 年-月-日 (Y-m-d), what the forms parse
      el.setAttribute("autocomplete", "off");
      if (!el.placeholder) el.placeholder = "年-月-日";
      el.classList.add("date-input");
      window.flatpickr(el, {
        locale: zh, dateFormat: "Y-m-d", allowInput: true, disableMobile: true,
        minDate: min || null, maxDate: max || null,
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { attach(document); });
  document.addEventListener("htmx:load", function (e) { attach(e.target); });
})();
