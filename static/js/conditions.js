// Shows a follow-up question only when the question it depends on has the given answer
// ("Only if 'Do you need travel support?' is Yes"). Progressive enhancement: without JavaScript
// every question shows, and the server ignores answers to questions that do not apply.
(function () {
  var dependents = document.querySelectorAll("[data-condition-field]");
  if (!dependents.length) return;

  function currentValue(form, name) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) return input.value;
      } else {
        return input.value;
      }
    }
    return "";
  }

  function isShown(block) {
    var form = block.closest("form");
    var name = block.getAttribute("data-condition-field");
    // A follow-up of a hidden question is hidden too.
    var parent = form.querySelector('[name="' + name + '"]');
    var parentBlock = parent && parent.closest("[data-condition-field]");
    if (parentBlock && !isShown(parentBlock)) return false;
    return currentValue(form, name) === block.getAttribute("data-condition-value");
  }

  function update() {
    dependents.forEach(function (block) {
      block.hidden = !isShown(block);
    });
  }

  dependents.forEach(function (block) {
    var hint = block.querySelector(".condition-hint");
    if (hint) hint.hidden = true; // the question appears at the right moment; no need to explain
  });
  document.addEventListener("change", update);
  update();
})();
