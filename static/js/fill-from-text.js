/* "Điền từ mô tả": send the pasted text to the form's data-fill-url, put the proposals into the empty fields and
   list what was read. Without this script the same button posts the form and the server fills it. Nothing is
   saved until the person presses the form's own save button. */
(function () {
  "use strict";
  var S = {};

  function strings() {
    var node = document.getElementById("fill-i18n");
    if (node) { try { S = JSON.parse(node.textContent); } catch (e) { S = {}; } }
  }

  function vnd(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "."); }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }

  function mark(field) {
    var box = field.closest(".field");
    if (box) { box.classList.add("proposed"); }
  }

  function changed(field) {
    field.dispatchEvent(new Event("change", { bubbles: true }));
    mark(field);
  }

  function setIfEmpty(form, name, value) {
    var field = form.elements[name];
    if (!field || value === null || value === undefined || value === "") { return false; }
    if (String(field.value || "").trim() && !(name.indexOf("experience") === 0 && field.value === "0")) { return false; }
    field.value = value;
    changed(field);
    return true;
  }

  function selectOption(field, value) {
    for (var i = 0; i < field.options.length; i++) {
      if (field.options[i].value === String(value)) { field.options[i].selected = true; return true; }
    }
    return false;
  }

  function fill(form, data) {
    var map = JSON.parse(form.getAttribute("data-fill-map") || "{}");
    var filled = 0;
    if (map.title && setIfEmpty(form, map.title, data.title)) { filled++; }
    if (map.description && setIfEmpty(form, map.description, data.text)) { filled++; }
    if (map.occupation && data.occupation && setIfEmpty(form, map.occupation, data.occupation.code)) { filled++; }
    var skills = map.skills && form.elements[map.skills];
    var nice = map.nice && form.elements[map.nice];
    if (skills && data.skills.length) {
      var added = 0;
      data.skills.forEach(function (s) {
        var taken = nice && Array.prototype.some.call(nice.options, function (o) { return o.selected && o.value === String(s.id); });
        if (!taken && selectOption(skills, s.id)) { added++; }
      });
      if (added) { changed(skills); filled++; }
    }
    var ward = map.ward && form.elements[map.ward];
    if (ward && data.ward && !ward.value && selectOption(ward, data.ward.code)) { changed(ward); filled++; }
    if (map.address && data.ward && setIfEmpty(form, map.address, data.ward.name)) { filled++; }
    ["wage_min", "wage_max"].forEach(function (key) {
      if (map[key] && data[key] && setIfEmpty(form, map[key], vnd(data[key]))) { filled++; }
    });
    if (map.job_type && data.job_type && form.elements[map.job_type]) {
      form.elements[map.job_type].value = data.job_type; changed(form.elements[map.job_type]); filled++;
    }
    if (map.education && setIfEmpty(form, map.education, data.education_level)) { filled++; }
    if (map.experience && data.experience_years && setIfEmpty(form, map.experience, String(data.experience_years))) { filled++; }
    return filled;
  }

  function report(box, form, data, filled) {
    box.textContent = "";
    if (data.empty) { box.appendChild(el("p", S.nothing, "flash flash-info")); return; }
    var wrap = el("div", "", "proposal");
    wrap.appendChild(el("p", S.filled.replace("{n}", filled)));
    var list = el("ul");
    if (data.skills.length) {
      list.appendChild(el("li", S.skills + " " + data.skills.map(function (s) {
        return s.label + (s.evidence ? " ← “" + s.evidence + "”" : "");
      }).join(", ")));
    }
    if (data.occupation) {
      var others = data.occupation_top3.filter(function (o) { return o.code !== data.occupation.code; });
      list.appendChild(el("li", S.occupation + " " + data.occupation.label +
        (others.length ? " (" + S.or + " " + others.map(function (o) { return o.label; }).join("; ") + ")" : "")));
    }
    if (data.wage_min || data.wage_max) {
      list.appendChild(el("li", S.wage + " " + (data.wage_min ? vnd(data.wage_min) : "…") + " – " +
        (data.wage_max ? vnd(data.wage_max) : "…") + " ₫"));
    }
    if (data.ward) { list.appendChild(el("li", S.ward + " " + data.ward.label)); }
    wrap.appendChild(list);
    var map = JSON.parse(form.getAttribute("data-fill-map") || "{}");
    var ward = map.ward && form.elements[map.ward];
    var address = map.address && form.elements[map.address];
    if (data.ward_choices.length && (ward || address)) {
      var choices = el("div", "", "ward-choices");
      choices.appendChild(el("p", S.choose));
      data.ward_choices.forEach(function (c) {
        var b = el("button", c.label, "secondary");
        b.type = "button";
        b.setAttribute("data-ward", c.code);
        b.addEventListener("click", function () {
          if (ward && selectOption(ward, c.code)) { changed(ward); }
          if (address) { address.value = c.name; changed(address); }
          box.querySelector('[role="note"]').textContent = S.chosen.replace("{label}", c.label);
        });
        choices.appendChild(b);
      });
      choices.appendChild(el("p", "", "hint")).setAttribute("role", "note");
      wrap.appendChild(choices);
    }
    box.appendChild(wrap);
  }

  function init() {
    if (!window.fetch) { return; }
    strings();
    Array.prototype.forEach.call(document.querySelectorAll("form[data-fill-url]"), function (form) {
      var button = form.querySelector("[data-fill-button]");
      var box = form.querySelector("#fill-result");
      var map = JSON.parse(form.getAttribute("data-fill-map") || "{}");
      if (!button || !box || !map.source) { return; }
      button.addEventListener("click", function (e) {
        var source = form.elements[map.source];
        var file = map.file && form.elements[map.file] && form.elements[map.file].files.length
          ? form.elements[map.file].files[0] : null;
        var text = (source.value || "").trim() || (map.description && form.elements[map.description]
          ? form.elements[map.description].value.trim() : "");
        e.preventDefault();
        if (!text && !file) { box.textContent = S.empty; source.focus(); return; }
        var token = form.elements.csrf_token ? form.elements.csrf_token.value : "";
        var headers = { "X-CSRFToken": token, "Accept": "application/json" };
        var body;
        if (file) {
          body = new FormData();
          body.append(map.file, file);
        } else {
          headers["Content-Type"] = "application/json";
          body = JSON.stringify({ text: text, title: map.title && form.elements[map.title] ? form.elements[map.title].value : "" });
        }
        button.disabled = true;
        box.textContent = S.reading;
        fetch(form.getAttribute("data-fill-url"), {
          method: "POST", credentials: "same-origin", headers: headers, body: body
        }).then(function (r) {
          return r.json().then(function (body) { return { ok: r.ok, body: body }; });
        }).then(function (res) {
          if (!res.ok) { box.textContent = (res.body.error && res.body.error.message) || S.failed; return; }
          res.body.text = text;
          report(box, form, res.body, fill(form, res.body));
        }).catch(function () { box.textContent = S.failed; })
          .then(function () { button.disabled = false; });
      });
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
