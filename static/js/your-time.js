// Next to a time at the venue, the same moment on the visitor's own clock ("Your time: Mon 16 Oct,
// 20:30 EDT"), for someone joining from another zone or planning their trip.
//
// The page gives each such time as <time datetime="2028-10-17T09:30+09:00" data-your-time="Your time">
// (the venue's offset at that moment, the label in the page's language), and data-ends="..." for a
// session's end. Nothing is added when the visitor's offset at that moment is the venue's: the time
// shown is then already theirs. Without JavaScript the page shows the venue time alone.
(function () {
  var times = document.querySelectorAll("time[data-your-time]");
  if (!times.length || typeof Intl === "undefined" || !Intl.DateTimeFormat) return;

  var language = document.documentElement.lang || undefined;
  var options = {
    weekday: "short", day: "numeric", month: "short", hour: "numeric", minute: "2-digit", timeZoneName: "short"
  };
  var format;
  try {
    format = new Intl.DateTimeFormat(language, options);
  } catch (e) {  // a language the browser does not know: its own
    format = new Intl.DateTimeFormat(undefined, options);
  }

  // "+09:00" -> 540, "Z" -> 0: the venue's offset written in the attribute, in minutes east of UTC.
  function writtenOffset(text) {
    var match = /(Z|([+-])(\d\d):?(\d\d))$/.exec(text);
    if (!match) return null;
    if (match[1] === "Z") return 0;
    var minutes = parseInt(match[3], 10) * 60 + parseInt(match[4], 10);
    return match[2] === "-" ? -minutes : minutes;
  }

  function shown(start, end) {
    if (end && format.formatRange) {
      try { return format.formatRange(start, end); } catch (e) { /* an old browser: the start alone */ }
    }
    return format.format(start);
  }

  Array.prototype.forEach.call(times, function (time) {
    var written = time.getAttribute("datetime");
    var start = new Date(written);
    var venueOffset = writtenOffset(written);
    if (isNaN(start.getTime()) || venueOffset === null) return;
    if (-start.getTimezoneOffset() === venueOffset) return;  // the visitor's clock reads the same
    var endText = time.getAttribute("data-ends");
    var end = endText ? new Date(endText) : null;
    if (end && isNaN(end.getTime())) end = null;

    var yours = document.createElement("small");
    yours.className = "meta your-time";
    yours.textContent = time.getAttribute("data-your-time") + ": " + shown(start, end);
    time.insertAdjacentElement("afterend", yours);
    time.insertAdjacentText("afterend", " ");
  });
})();
