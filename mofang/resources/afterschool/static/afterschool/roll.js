// Roll call on a phone: keep 实到/应到/缺勤 current as the teacher taps, and narrow the list to the
// names she types. Delegated on document, so it keeps working after htmx swaps the sheet.
(function () {
  "use strict";

  function recount(sheet) {
    var boxes = sheet.querySelectorAll(".as-roll input[name=absent]");
    var absent = 0;
    boxes.forEach(function (b) { if (b.checked) absent += 1; });
    var set = function (id, n) { var el = sheet.querySelector("#" + id); if (el) el.textContent = String(n); };
    set("roll-expected", boxes.length);
    set("roll-absent", absent);
    set("roll-present", boxes.length - absent);
  }

  function filter(sheet, query) {
    var q = query.trim();
    var shown = 0;
    sheet.querySelectorAll(".as-roll li[data-name]").forEach(function (li) {
      var match = !q || li.getAttribute("data-name").indexOf(q) !== -1;
      li.hidden = !match;
      if (match) shown += 1;
    });
    var none = sheet.querySelector("#roll-no-match");
    if (none) none.hidden = shown > 0;
  }

  document.addEventListener("change", function (e) {
    var sheet = e.target.closest && e.target.closest("#roll-sheet");
    if (sheet && e.target.name === "absent") recount(sheet);
  });
  document.addEventListener("input", function (e) {
    if (e.target.id === "roll-search") filter(e.target.closest("#roll-sheet"), e.target.value);
  });
  // Enter in the search box narrows the list; it must not submit the roll call
  document.addEventListener("keydown", function (e) {
    if (e.target.id === "roll-search" && e.key === "Enter") e.preventDefault();
  });
})();
