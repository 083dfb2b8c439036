// Shows the passport fields only while "I need a visa invitation letter" is ticked.
// Progressive enhancement: without JavaScript they stay visible and are ignored unless the box is ticked.
(function () {
  var box = document.querySelector("input[name=needs_visa_letter]");
  var details = document.querySelector("[data-visa-details]");
  if (!box || !details) return;
  function update() {
    details.hidden = !box.checked;
  }
  box.setAttribute("aria-controls", details.id);
  box.addEventListener("change", function () {
    update();
    if (box.checked) {
      var first = details.querySelector("input, select");
      if (first) first.focus();
    }
  });
  update();
})();
