/* Reused passages on a report page (issue 17): underline each one in its source's colour,
   show where it came from on hover or tap, and mark the passage a #reuse-START-END link
   points at. The data is the box's data-reuse attribute (/api/reuse/report/<id> with the
   paragraphs' offsets and the sources' names). */
(function () {
  "use strict";
  var box = document.getElementById("reuse");
  if (!box || !box.hasAttribute("data-reuse")) { return; }
  var data = JSON.parse(box.getAttribute("data-reuse"));
  var paragraphs = data.paragraphs; /* [id, start, end] in text offsets */

  /* Text nodes of a paragraph that hold its text (not the section-kind label). */
  function textNodes(element) {
    var walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentNode.closest(".kind") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var out = [];
    while (walker.nextNode()) { out.push(walker.currentNode); }
    return out;
  }

  /* Wrap characters [a, b) of the element's text in new elements made by make(). */
  function wrap(element, a, b, make) {
    var made = [];
    var offset = 0;
    textNodes(element).forEach(function (node) {
      var length = node.data.length;
      var from = Math.max(a, offset), to = Math.min(b, offset + length);
      if (from < to) {
        var middle = node;
        if (from > offset) { middle = middle.splitText(from - offset); }
        if (to < offset + length) { middle.splitText(to - from); }
        var span = make();
        middle.parentNode.insertBefore(span, middle);
        span.appendChild(middle);
        made.push(span);
      }
      offset += length;
    });
    return made;
  }

  /* Apply make() to the text offsets [start, end) of the report, paragraph by paragraph. */
  function mark(start, end, make) {
    var made = [];
    paragraphs.forEach(function (p) {
      if (p[2] <= start || p[1] >= end) { return; }
      var element = document.getElementById(p[0]);
      if (!element) { return; }
      made = made.concat(wrap(element, Math.max(start, p[1]) - p[1], Math.min(end, p[2]) - p[1], make));
    });
    return made;
  }

  data.passages.forEach(function (passage, index) {
    var source = data.sources[passage.source_id] || {label: passage.source_id};
    var cls = passage.formula ? "reuse reuse-formula" : "reuse reuse-c" + (data.colour[passage.source_id] || 0);
    mark(passage.start, passage.end, function () {
      var span = document.createElement("span");
      span.className = cls;
      span.setAttribute("data-passage", String(index));
      span.setAttribute("tabindex", "0");
      span.setAttribute("aria-label", (passage.formula ? "套话，" : "复用自 ") + source.label);
      return span;
    });
  });

  var pop = document.createElement("div");
  pop.className = "reuse-pop";
  pop.setAttribute("role", "dialog");
  pop.hidden = true;
  document.body.appendChild(pop);
  var hideTimer = null;

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function show(span) {
    clearTimeout(hideTimer);
    var passage = data.passages[Number(span.getAttribute("data-passage"))];
    var source = data.sources[passage.source_id] || {label: passage.source_id, title: ""};
    pop.textContent = "";
    var head = document.createElement("p");
    head.className = "reuse-pop-head";
    head.textContent = (passage.formula ? "套话，最早见于 " : "此前见于 ") + source.label;
    var detail = document.createElement("p");
    detail.className = "reuse-pop-detail";
    detail.textContent = (source.title || "") + " · " + passage.chars + " 字 · 相似度 " +
      Math.round(passage.similarity * 100) + "%";
    var links = document.createElement("p");
    links.appendChild(link("/report/" + encodeURIComponent(passage.source_id) + "#reuse-" +
      passage.source_start + "-" + passage.source_end, "在来源中查看"));
    links.appendChild(document.createTextNode(" · "));
    links.appendChild(link("/reuse?a=" + encodeURIComponent(passage.source_id) + "&b=" +
      encodeURIComponent(data.report), "并排对比"));
    pop.appendChild(head);
    pop.appendChild(detail);
    pop.appendChild(links);
    pop.hidden = false;
    var box = span.getBoundingClientRect();
    pop.style.top = (window.scrollY + box.bottom + 6) + "px";
    pop.style.left = Math.max(8, Math.min(window.scrollX + box.left,
      window.scrollX + document.documentElement.clientWidth - pop.offsetWidth - 8)) + "px";
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(function () { pop.hidden = true; }, 300);
  }

  document.addEventListener("mouseover", function (event) {
    var span = event.target.closest && event.target.closest("span.reuse");
    if (span) { show(span); } else if (event.target.closest && event.target.closest(".reuse-pop")) {
      clearTimeout(hideTimer);
    }
  });
  document.addEventListener("mouseout", function (event) {
    if (event.target.closest && (event.target.closest("span.reuse") || event.target.closest(".reuse-pop"))) {
      hideSoon();
    }
  });
  document.addEventListener("click", function (event) {
    var span = event.target.closest && event.target.closest("span.reuse");
    if (span) { show(span); return; }
    if (!(event.target.closest && event.target.closest(".reuse-pop"))) { pop.hidden = true; }
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("span.reuse")) { show(event.target); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { pop.hidden = true; }
  });

  /* A link from another report's passage: #reuse-START-END marks and shows that stretch. */
  function target() {
    var found = /^#reuse-(\d+)-(\d+)$/.exec(location.hash);
    if (!found) { return; }
    document.querySelectorAll(".reuse-target").forEach(function (element) {
      element.classList.remove("reuse-target");
    });
    var made = mark(Number(found[1]), Number(found[2]), function () {
      var span = document.createElement("span");
      span.className = "reuse-target";
      return span;
    });
    if (made.length) { made[0].scrollIntoView({block: "center"}); }
  }
  window.addEventListener("hashchange", target);
  target();
}());
