// The live preview under the name fields: "We will write your name as: 김민준".
// The same rules as app/models/names.py (written_name, default_name_order): keep the two in step.
// Progressive enhancement: without JavaScript the server chooses the order and shows the preview on a form
// shown again.
(function () {
  var preview = document.querySelector("[data-name-preview]");
  if (!preview) return;
  var form = preview.closest("form");
  var value = preview.querySelector("[data-name-preview-value]");
  var given = form.querySelector("input[name=given_name]");
  var family = form.querySelector("input[name=family_name]");
  var single = form.querySelector("input[name=single_name]");
  if (!given || !family || !value) return;

  // Hangul, Han (CJK ideographs) and Kana: family name first, and no space between the two parts.
  var EAST_ASIAN = /[\u1100-\u11FF\u2E80-\u2FDF\u3040-\u30FF\u3130-\u318F\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uA960-\uA97F\uAC00-\uD7FF\uF900-\uFAFF\uFF66-\uFFDC]|[\uD840-\uD88C][\uDC00-\uDFFF]/;
  var LETTER = /\p{L}/u;

  function eastAsianOnly(text) {
    var letters = Array.from(text).filter(function (c) { return LETTER.test(c); });
    return letters.length > 0 && letters.every(function (c) { return EAST_ASIAN.test(c); });
  }

  function chosenOrder(g, f) {
    var ticked = form.querySelector("input[name=name_order]:checked");
    if (ticked && ticked.value) return ticked.value;
    return EAST_ASIAN.test(g + f) ? "family_first" : "given_first";
  }

  function written(g, f, order, oneName) {
    if (oneName || !f) return g || f;
    if (!g) return f;
    if (order !== "family_first") return g + " " + f;
    if (eastAsianOnly(f) && eastAsianOnly(g)) return f + g;
    return f + " " + g;
  }

  function update() {
    var g = given.value.trim().split(/\s+/).join(" ");
    var f = family.value.trim().split(/\s+/).join(" ");
    var oneName = single ? single.checked : false;
    var name = written(g, f, chosenOrder(g, f), oneName);
    value.textContent = name;
    preview.hidden = !name;
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
