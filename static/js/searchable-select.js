// Adds a filter box above <select data-searchable>: type "kor" to find Korea among 249 countries.
// Progressive enhancement: without JavaScript the plain select still works.
(function () {
  document.querySelectorAll("select[data-searchable]").forEach(function (select) {
    var options = Array.prototype.slice.call(select.options);
    var input = document.createElement("input");
    input.type = "search";
    input.className = "searchable-filter";
    // The words come from the page, in its language: data-searchable="Type to filter the list".
    var hint = select.getAttribute("data-searchable");
    input.placeholder = hint && hint !== "1" ? hint : "Type to filter the list";
    input.setAttribute("aria-label", (select.labels[0] ? select.labels[0].textContent.trim() + ": " : "") + input.placeholder);
    select.parentNode.insertBefore(input, select);
    input.addEventListener("input", function () {
      var term = input.value.trim().toLowerCase();
      var firstMatch = null;
      options.forEach(function (option) {
        var match = !option.value || !term || option.text.toLowerCase().indexOf(term) !== -1 || option.value.toLowerCase() === term;
        option.hidden = !match;
        if (match && option.value && !firstMatch) firstMatch = option;
      });
      if (firstMatch && term) select.value = firstMatch.value;
    });
  });
})();
