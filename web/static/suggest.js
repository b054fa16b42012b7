/* Word suggestions under every search box (/api/suggest), keyboard-navigable (WAI-ARIA
   combobox with a listbox popup): ArrowDown/ArrowUp move, Enter takes the highlighted word,
   Escape closes. The word being typed (after the last space) is completed; without JS the
   box is a plain search field. */
(function () {
  "use strict";
  var counter = 0;

  function setup(input) {
    var form = input.form;
    var id = "suggest-" + (++counter);
    var list = document.createElement("ul");
    list.id = id;
    list.className = "suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "搜索建议");
    list.hidden = true;
    form.classList.add("has-suggest");
    form.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", id);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");
    var items = [], active = -1, timer = null, asked = "";

    function lastWord() {
      var value = input.value;
      var start = value.search(/\S*$/);
      var word = value.slice(start).replace(/^[-(（"“]+/, "");
      return { start: value.length - word.length, word: word };
    }

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      if (active >= 0 && items[active]) { items[active].setAttribute("aria-selected", "false"); }
      active = index;
      if (active >= 0) {
        items[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", items[active].id);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var text = items[index].getAttribute("data-text");
      var at = lastWord().start;
      input.value = input.value.slice(0, at) + text;
      close();
      input.focus();
    }

    function show(data) {
      close();
      data.suggestions.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-text", s.text);
        var word = document.createElement("span");
        word.className = "word";
        word.textContent = s.text;
        var n = document.createElement("span");
        n.className = "n";
        n.textContent = s.reports + " 份报告";
        li.appendChild(word);
        li.appendChild(n);
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();  /* keep the focus in the box */
          choose(i);
        });
        list.appendChild(li);
        items.push(li);
      });
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function ask() {
      var word = lastWord().word;
      asked = word;
      if (!word) { close(); return; }
      fetch("/api/suggest?prefix=" + encodeURIComponent(word))
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (data && asked === word && lastWord().word === word) { show(data); }
        })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden || !items.length) { return; }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  var boxes = document.querySelectorAll("form.searchbox input[name=q]");
  Array.prototype.forEach.call(boxes, setup);
})();
