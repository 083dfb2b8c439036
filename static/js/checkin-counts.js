// Keeps "Checked in today: 12 of 49" current while the page is open: several phones check people
// in at once, and the organiser watching the dashboard should see it without reloading.
(function () {
  var box = document.querySelector(".live-counts[data-counts-url]");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-counts-url");

  function show(counts) {
    box.querySelectorAll("[data-count]").forEach(function (el) {
      var value = counts[el.getAttribute("data-count")];
      if (value !== undefined) el.textContent = value;
    });
    (counts.sessions || []).forEach(function (s) {
      var el = box.querySelector('[data-session-count="' + s.id + '"]');
      if (el) el.textContent = s.checked_in;
    });
  }

  function poll() {
    if (document.hidden) return; // a phone in a pocket need not use its data
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (counts) { if (counts) show(counts); })
      .catch(function () { /* venue wifi drops: try again at the next tick */ });
  }

  window.checkinCounts = { show: show }; // the check-in page updates at once after each scan
  setInterval(poll, 10000);
})();
