/* City first, then county: a <select data-narrows="ID"> (the city) narrows the select ID (counties
   in one <optgroup> per city, labelled with the city's name) to the chosen city's counties, and
   clears a county that is not in it. Without script the grouped list still works. */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-narrows]").forEach(function (city) {
    var county = document.getElementById(city.getAttribute("data-narrows"));
    if (!county) return;
    function narrow() {
      var name = city.value ? city.options[city.selectedIndex].text : "";
      county.querySelectorAll("optgroup").forEach(function (g) {
        var on = name !== "" && g.label === name;
        g.hidden = !on;
        g.disabled = !on;
      });
      var chosen = county.options[county.selectedIndex];
      if (chosen && chosen.parentNode.tagName === "OPTGROUP" && chosen.parentNode.disabled) county.value = "";
      county.disabled = name === "";
    }
    city.addEventListener("change", narrow);
    narrow();
  });
});
