/* A button or link with data-confirm="…" asks before it acts (instead of onclick="return confirm(…)",
   which the Content-Security-Policy forbids). One listener for the page, so content swapped in by
   htmx is covered too. */
document.addEventListener("click", function (e) {
  var el = e.target.closest && e.target.closest("[data-confirm]");
  if (el && !window.confirm(el.getAttribute("data-confirm"))) {
    e.preventDefault();
    e.stopImmediatePropagation();
  }
}, true);
