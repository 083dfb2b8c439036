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
