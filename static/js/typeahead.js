/* Type-ahead, as progressive enhancement: a plain <select> (multiple or not) or text input that works without
   JavaScript becomes an ARIA 1.2 combobox with a listbox of suggestions from the server (diacritics ignored).
   Keys: arrows move, Enter picks, Escape closes (or clears), Backspace on an empty field removes the last chip.
   Markup: <select data-typeahead="/goi-y/ky-nang" data-typeahead-key="id">; <input data-typeahead="/goi-y/phuong"
   data-typeahead-fill="name">. No third-party code. */
(function () {
  "use strict";

  var uid = 0;
  var S = {
    remove: "Bỏ chọn {label}", added: "Đã chọn {label}", removed: "Đã bỏ {label}", count: "{n} gợi ý.", none: "Không có gợi ý.",
    selected: "Đã chọn", placeholder: "Gõ để tìm…"
  };

  function loadStrings() {
    var node = document.getElementById("typeahead-i18n");
    if (!node) { return; }
    try {
      var given = JSON.parse(node.textContent);
      Object.keys(given).forEach(function (k) { S[k] = given[k]; });
    } catch (e) { /* keep the defaults */ }
  }

  function fold(text) {
    return (text || "").replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments, self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  function Combobox(field) {
    this.field = field;
    this.isSelect = field.tagName === "SELECT";
    this.multiple = this.isSelect && field.multiple;
    this.url = field.getAttribute("data-typeahead") || "";
    this.key = field.getAttribute("data-typeahead-key") || "id";
    this.fill = field.getAttribute("data-typeahead-fill") || "label";
    this.items = [];
    this.active = -1;
    this.request = null;
    this.build();
  }

  Combobox.prototype.build = function () {
    var self = this, field = this.field;
    var base = field.id || ("typeahead-" + (++uid));
    this.list = document.createElement("ul");
    this.list.id = base + "-listbox";
    this.list.className = "ta-list";
    this.list.setAttribute("role", "listbox");
    this.list.hidden = true;
    this.status = document.createElement("div");
    this.status.className = "sr-only";
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
    this.wrapper = document.createElement("div");
    this.wrapper.className = "ta";

    if (this.isSelect) {
      this.input = document.createElement("input");
      this.input.type = "text";
      this.input.id = base + "-combobox";
      this.input.className = "ta-input";
      this.input.placeholder = S.placeholder;
      ["aria-describedby", "aria-invalid", "aria-required"].forEach(function (name) {
        if (field.hasAttribute(name)) { self.input.setAttribute(name, field.getAttribute(name)); }
      });
      var label = field.id && document.querySelector('label[for="' + field.id + '"]');
      if (label) { label.htmlFor = this.input.id; }
      field.hidden = true;
      field.setAttribute("aria-hidden", "true");
      field.tabIndex = -1;
      field.parentNode.insertBefore(this.wrapper, field.nextSibling);
      if (this.multiple) {
        this.chips = document.createElement("ul");
        this.chips.className = "ta-chips";
        this.chips.setAttribute("aria-label", S.selected);
        this.wrapper.appendChild(this.chips);
      }
      this.wrapper.appendChild(this.input);
    } else {
      this.input = field;
      field.parentNode.insertBefore(this.wrapper, field);
      this.wrapper.appendChild(field);
    }
    this.wrapper.appendChild(this.list);
    this.wrapper.appendChild(this.status);

    var input = this.input;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.list.id);
    input.setAttribute("autocomplete", "off");

    input.addEventListener("input", debounce(function () { self.search(); }, 150));
    input.addEventListener("keydown", function (e) { self.onKey(e); });
    input.addEventListener("blur", function () { self.close(); self.settle(); });
    this.list.addEventListener("mousedown", function (e) { e.preventDefault(); });  // keep focus in the input
    field.addEventListener("change", function () { self.render(); });  // values set by other scripts (fill-from-text)
    this.list.addEventListener("click", function (e) {
      var li = e.target.closest('[role="option"]');
      if (li) { self.choose(Number(li.getAttribute("data-index"))); }
    });
    this.render();
  };

  Combobox.prototype.option = function (value) {
    var options = this.field.options;
    for (var i = 0; i < options.length; i++) {
      if (options[i].value === value) { return options[i]; }
    }
    return null;
  };

  Combobox.prototype.render = function () {
    var self = this;
    if (this.multiple) {
      this.chips.textContent = "";
      Array.prototype.forEach.call(this.field.options, function (opt) {
        if (!opt.selected || !opt.value) { return; }
        var li = document.createElement("li");
        var text = document.createElement("span");
        text.textContent = opt.text;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "ta-remove";
        remove.setAttribute("aria-label", S.remove.replace("{label}", opt.text));
        remove.textContent = "×";
        remove.addEventListener("click", function () { self.unselect(opt); self.input.focus(); });
        li.appendChild(text);
        li.appendChild(remove);
        self.chips.appendChild(li);
      });
    } else if (this.isSelect) {
      var chosen = this.field.options[this.field.selectedIndex];
      this.input.value = chosen && chosen.value ? chosen.text : "";
    }
  };

  Combobox.prototype.unselect = function (opt) {
    opt.selected = false;
    this.field.dispatchEvent(new Event("change", { bubbles: true }));
    this.render();
    this.announce(S.removed.replace("{label}", opt.text));
  };

  Combobox.prototype.announce = function (text) {
    this.status.textContent = text;
  };

  Combobox.prototype.localMatches = function (query) {
    var q = fold(query), self = this, out = [];
    Array.prototype.forEach.call(this.field.options || [], function (opt) {
      if (out.length < 8 && opt.value && !(self.multiple && opt.selected) && fold(opt.text).indexOf(q) !== -1) {
        out.push({ value: opt.value, label: opt.text, fill: opt.text });
      }
    });
    return out;
  };

  Combobox.prototype.search = function () {
    var self = this, query = this.input.value.trim();
    if (!query) {
      this.close();
      return;
    }
    if (!this.url) {
      this.open(this.localMatches(query));
      return;
    }
    if (this.request) { this.request.abort(); }
    this.request = new AbortController();
    var url = this.url + (this.url.indexOf("?") < 0 ? "?" : "&") + "limit=8&q=" + encodeURIComponent(query);
    fetch(url, { signal: this.request.signal, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) {
        var results = [];
        (data.items || []).forEach(function (item) {
          var value = String(item[self.key]);
          if (self.isSelect) {
            var opt = self.option(value);
            if (!opt || (self.multiple && opt.selected)) { return; }
          }
          results.push({ value: value, label: item.label, fill: String(item[self.fill] || item.label) });
        });
        self.open(results);
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") { return; }
        self.open(self.localMatches(query));  // offline or throttled: fall back to the options in the page
      });
  };

  Combobox.prototype.open = function (results) {
    var self = this;
    this.items = results;
    this.active = -1;
    this.list.textContent = "";
    results.forEach(function (item, i) {
      var li = document.createElement("li");
      li.id = self.list.id + "-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.setAttribute("data-index", String(i));
      li.textContent = item.label;
      self.list.appendChild(li);
    });
    this.list.hidden = results.length === 0;
    this.input.setAttribute("aria-expanded", results.length ? "true" : "false");
    this.input.removeAttribute("aria-activedescendant");
    this.announce(results.length ? S.count.replace("{n}", results.length) : S.none);
  };

  Combobox.prototype.close = function () {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
  };

  Combobox.prototype.settle = function () {
    // A single select shows its chosen option again; emptied, it means "none".
    if (this.isSelect && !this.multiple) {
      if (!this.input.value.trim()) {
        this.field.value = "";
        this.field.dispatchEvent(new Event("change", { bubbles: true }));
      }
      this.render();
    }
  };

  Combobox.prototype.setActive = function (index) {
    var options = this.list.children;
    if (!options.length) { return; }
    this.active = (index + options.length) % options.length;
    for (var i = 0; i < options.length; i++) {
      options[i].setAttribute("aria-selected", i === this.active ? "true" : "false");
    }
    var current = options[this.active];
    this.input.setAttribute("aria-activedescendant", current.id);
    if (current.scrollIntoView) { current.scrollIntoView({ block: "nearest" }); }
  };

  Combobox.prototype.choose = function (index) {
    var item = this.items[index];
    if (!item) { return; }
    if (this.isSelect) {
      var opt = this.option(item.value);
      if (!opt) { return; }
      if (this.multiple) {
        opt.selected = true;
        this.input.value = "";
      } else {
        this.field.value = item.value;
      }
      this.field.dispatchEvent(new Event("change", { bubbles: true }));
      this.render();
      this.announce(S.added.replace("{label}", opt.text));
    } else {
      this.input.value = item.fill;
      this.announce(S.added.replace("{label}", item.fill));
    }
    this.close();
  };

  Combobox.prototype.onKey = function (e) {
    var open = !this.list.hidden;
    switch (e.key) {
      case "ArrowDown":
        e.preventDefault();
        if (!open) { this.search(); } else { this.setActive(this.active + 1); }
        break;
      case "ArrowUp":
        if (open) { e.preventDefault(); this.setActive(this.active - 1); }
        break;
      case "Enter":
        if (open && this.items.length) {
          e.preventDefault();  // pick, do not submit the form
          this.choose(this.active >= 0 ? this.active : 0);
        }
        break;
      case "Escape":
        if (open) { e.preventDefault(); this.close(); } else if (this.input.value) { e.preventDefault(); this.input.value = ""; }
        break;
      case "Backspace":
        if (this.multiple && this.input.value === "") {
          var selected = Array.prototype.filter.call(this.field.options, function (o) { return o.selected && o.value; });
          if (selected.length) { e.preventDefault(); this.unselect(selected[selected.length - 1]); }
        }
        break;
      case "Tab":
        this.close();
        break;
    }
  };

  function init() {
    if (!window.fetch || !String.prototype.normalize) { return; }  // old browsers keep the plain fields
    loadStrings();
    Array.prototype.forEach.call(document.querySelectorAll("select[data-typeahead], input[data-typeahead]"),
      function (field) { if (!field.hasAttribute("data-typeahead-ready")) {
        field.setAttribute("data-typeahead-ready", "");
        new Combobox(field);
      } });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
