// The check-in page on a phone: posts each scan with fetch and stays put, ready for the next badge;
// reads the badge QR with the camera (the browser's BarcodeDetector, else the vendored jsQR).
// Without this script the form still works as a plain POST.
(function () {
  var form = document.getElementById("checkin-form");
  var code = document.getElementById("code");
  if (!form || !code || !window.fetch) return;
  var busy = false;

  // What the script says, in the page's language: checkin.html puts each text on the form (data-msg-*);
  // the English is the fallback.
  function say(name, english) { return form.getAttribute("data-msg-" + name) || english; }

  function resultBox() { return document.getElementById("checkin-result"); }

  function send(data, action) {
    if (busy) return;
    busy = true;
    fetch(action, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (r) {
        // 400: the form's CSRF token has expired; a login page instead of JSON: signed out.
        if (r.status === 400) throw new Error(say("expired", "This page has expired. Reload it, then scan again."));
        if (!r.ok || (r.headers.get("Content-Type") || "").indexOf("json") === -1) {
          throw new Error(say("signed-out", "You may have been signed out. Reload the page, then scan again."));
        }
        return r.json();
      })
      .then(function (answer) {
        resultBox().outerHTML = answer.html;
        if (window.checkinCounts && answer.counts) window.checkinCounts.show(answer.counts);
        if (answer.outcome === "checked_in" || answer.outcome === "already") code.value = "";
        if (!scanning) { code.focus(); code.select(); }
        if (navigator.vibrate && answer.outcome !== "checked_in") navigator.vibrate([80, 60, 80]);
      })
      .catch(function (error) {
        var box = document.createElement("div");
        box.id = "checkin-result";
        box.className = "checkin-result result-error";
        box.setAttribute("role", "status");
        var p = document.createElement("p");
        p.className = "result-message";
        p.textContent = error instanceof TypeError  // fetch itself failed: no network
          ? say("no-answer", "No answer from the server (is the connection down?). Nothing was recorded; please try again.")
          : say("nothing-recorded", "Nothing was recorded.") + " " + error.message;
        box.appendChild(p);
        resultBox().replaceWith(box);
      })
      .finally(function () { busy = false; });
  }

  // The main form and the "Check in" buttons next to names found by a search.
  document.addEventListener("submit", function (event) {
    var target = event.target;
    if (!target.classList || !target.classList.contains("checkin-form")) return;
    event.preventDefault();
    var data = new FormData(target);
    if (target !== form) data.set("session_id", form.elements.session_id ? form.elements.session_id.value : "");
    send(data, target.getAttribute("action"));
  });

  // --- camera -----------------------------------------------------------------------------
  var toggle = document.getElementById("camera-toggle");
  var box = document.getElementById("camera");
  var video = document.getElementById("camera-video");
  var status = document.getElementById("camera-status");
  var scanning = false, stream = null, detector = null, canvas = null, lastCode = "", lastAt = 0;
  var jsqrUrl = document.currentScript && document.currentScript.getAttribute("data-jsqr");

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !toggle) return;
  toggle.hidden = false;

  function loadJsQR() {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) return resolve();
      var s = document.createElement("script");
      s.src = jsqrUrl; s.onload = resolve; s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  function reader() {
    if ("BarcodeDetector" in window) {
      return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        if (formats.indexOf("qr_code") === -1) throw new Error("no qr");
        detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      }).catch(loadJsQR);
    }
    return loadJsQR();
  }

  function readFrame() {
    if (detector) {
      return detector.detect(video).then(function (found) { return found.length ? found[0].rawValue : null; });
    }
    canvas = canvas || document.createElement("canvas");
    var w = video.videoWidth, h = video.videoHeight;
    if (!w || !h) return Promise.resolve(null);
    canvas.width = w; canvas.height = h;
    var ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(video, 0, 0, w, h);
    var found = window.jsQR(ctx.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: "dontInvert" });
    return Promise.resolve(found ? found.data : null);
  }

  function tick() {
    if (!scanning) return;
    readFrame().then(function (value) {
      var now = Date.now();
      // The same badge stays in view for a while: send it once, not five times a second (and not again
      // a few seconds later, which would turn "Checked in" into "Already checked in" under their eyes).
      if (value && !busy && (value !== lastCode || now - lastAt > 20000)) {
        lastCode = value; lastAt = now;
        code.value = value;
        send(new FormData(form), form.getAttribute("action"));
      }
    }).catch(function () {}).finally(function () {
      if (scanning) setTimeout(tick, 200);
    });
  }

  function start() {
    status.textContent = say("starting", "Starting the camera…");
    box.hidden = false;
    reader().then(function () {
      return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    }).then(function (s) {
      stream = s; video.srcObject = s; scanning = true;
      toggle.textContent = say("stop", "Stop camera");
      status.textContent = say("point", "Point the camera at the QR code on the badge.");
      return video.play();
    }).then(tick).catch(function () {
      stop();
      box.hidden = false;
      status.textContent = say("camera-failed", "The camera could not be started (permission refused, or the page is not on https). Type the code instead.");
    });
  }

  function stop() {
    scanning = false;
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    box.hidden = true;
    toggle.textContent = say("scan", "Scan with camera");
  }

  toggle.addEventListener("click", function () { if (scanning) stop(); else start(); });
})();
