// After a failed submit, put the cursor in the first field that needs correcting. On a phone the
// form sits below a long description; without this people see the page top and think nothing happened.
(function () {
  var first = document.querySelector(".has-error input, .has-error select, .has-error textarea");
  if (first) {
    first.focus();
    first.scrollIntoView({ block: "center" });
  }
})();

// On a phone the event's tabs scroll sideways: bring the current one into view.
(function () {
  var current = document.querySelector(".event-nav [aria-current=page]");
  if (current && current.parentNode.scrollWidth > current.parentNode.clientWidth) {
    current.parentNode.scrollLeft = current.offsetLeft - 16;
  }
})();

// A preview form (the organiser's view of their questions) is for trying answers, never for sending:
// the Content-Security-Policy allows no inline handler, so the page says so with data-never-submit.
document.querySelectorAll("form[data-never-submit]").forEach(function (form) {
  form.addEventListener("submit", function (event) { event.preventDefault(); });
});

// A button that asks before it acts (cancelling someone's registration emails them): its question is in
// data-confirm, as the Content-Security-Policy allows no inline onclick.
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("[data-confirm]") : null;
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
