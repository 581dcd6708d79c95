/* Starts the cockpit with the options its <script> tag carries (data-dark, data-base, data-refresh,
   data-data-url): no inline script, so the page runs under the strict Content-Security-Policy. */
(function () {
  "use strict";
  var c = document.currentScript.dataset, opts = {dark: c.dark === "true", base: c.base};
  if (c.refresh) { opts.refresh = Number(c.refresh); }
  if (c.dataUrl) { opts.dataUrl = c.dataUrl + window.location.search; }
  window.MofangCockpit.start(opts);
})();
