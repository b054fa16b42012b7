/* "复制引用" on every paragraph of a report page: copies a standard citation
 *   《标题》（城市，2024年），第12段：“…”。http://host/report/<id>#p-12
 * The permalink is built here from the page's own address (location), never from a Host
 * header on the server. The quoted text is the paragraph as shown, or the part of it the
 * reader selected. Without JS the paragraph numbers stay plain links to their anchors. */
(function () {
  "use strict";
  var article = document.querySelector("article.report[data-cite-id]");
  if (!article) { return; }
  var SKIP = ".pmark, [data-cite-skip]";  /* page furniture inside a paragraph, not its text */

  function shownText(node) {
    var copy = node.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(SKIP), function (el) { el.remove(); });
    return copy.textContent;
  }

  function selectedText(paragraph) {
    var selection = window.getSelection && window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) { return ""; }
    var range = selection.getRangeAt(0);
    if (!paragraph.contains(range.commonAncestorContainer)) { return ""; }
    var holder = document.createElement("div");
    holder.appendChild(range.cloneContents());
    return shownText(holder).trim();
  }

  function permalink(paragraph) {
    return location.origin + location.pathname + "#" + paragraph.id;
  }

  function citation(paragraph) {
    var data = article.dataset;
    var where = [data.citeCity, data.citeYear ? data.citeYear + "年" : ""].filter(Boolean);
    var number = paragraph.id.replace(/^p-/, "");
    var quoted = selectedText(paragraph) || shownText(paragraph).trim();
    return "《" + data.citeTitle + "》" + (where.length ? "（" + where.join("，") + "）" : "") +
      "，第" + number + "段：“" + quoted + "”。" + permalink(paragraph);
  }

  function copyByTextarea(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "0";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    document.body.removeChild(area);
    return done;
  }

  function copy(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text).then(function () { return true; },
        function () { return copyByTextarea(text); });
    }
    return Promise.resolve(copyByTextarea(text));
  }

  function report(button, paragraph, text, done) {
    button.textContent = done ? "已复制" : "复制失败";
    button.classList.toggle("copied", done);
    if (!done) {  /* leave the citation where the reader can select it by hand */
      var area = paragraph.querySelector("textarea.cite-text") || document.createElement("textarea");
      area.className = "cite-text";
      area.setAttribute("data-cite-skip", "");
      area.readOnly = true;
      area.value = text;
      paragraph.appendChild(area);
      area.select();
    }
    window.setTimeout(function () {
      button.textContent = "复制引用";
      button.classList.remove("copied");
    }, 2500);
  }

  Array.prototype.forEach.call(article.querySelectorAll(".text p[id^='p-'] > .pmark"), function (mark) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "cite";
    button.textContent = "复制引用";
    button.title = "复制第" + mark.parentNode.id.replace(/^p-/, "") + "段的引用（标题、城市、年份、段落号、原文和链接）";
    mark.appendChild(button);
  });

  /* mousedown would clear a selection on some browsers before click: remember it first */
  var pending = null;
  article.addEventListener("pointerdown", function (event) {
    var button = event.target.closest && event.target.closest("button.cite");
    pending = button ? citation(button.closest("p")) : null;
  });
  article.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.cite");
    if (!button) { return; }
    var paragraph = button.closest("p");
    var text = pending || citation(paragraph);
    pending = null;
    copy(text).then(function (done) { report(button, paragraph, text, done); });
  });
}());
