/* Next/previous-hit navigation on a report page. Without JS the same links jump by anchor. */
(function () {
  "use strict";
  var nav = document.getElementById("hitnav");
  var marks = Array.prototype.slice.call(document.querySelectorAll("mark[id^='hit-']"));
  if (!nav || !marks.length) { return; }
  var prev = nav.querySelector(".prev");
  var next = nav.querySelector(".next");
  var pos = nav.querySelector(".pos");
  var current = -1;

  function fromHash() {
    var id = location.hash.slice(1);
    try { id = decodeURIComponent(id); } catch (e) { return -1; }
    var target = id && document.getElementById(id);
    if (!target) { return -1; }
    if (target.tagName === "MARK") { return marks.indexOf(target); }
    /* a paragraph or a section: its first hit, or else the first hit after it */
    for (var i = 0; i < marks.length; i++) {
      if (target.compareDocumentPosition(marks[i]) & Node.DOCUMENT_POSITION_FOLLOWING) { return i; }
    }
    return -1;
  }

  function show(index, scroll) {
    if (current >= 0) { marks[current].classList.remove("current"); }
    current = (index + marks.length) % marks.length;
    var mark = marks[current];
    mark.classList.add("current");
    pos.textContent = (current + 1) + " / " + marks.length;
    prev.setAttribute("href", "#" + marks[(current - 1 + marks.length) % marks.length].id);
    next.setAttribute("href", "#" + marks[(current + 1) % marks.length].id);
    if (scroll) {
      mark.scrollIntoView({block: "center"});
      if (history.replaceState) { history.replaceState(null, "", "#" + mark.id); }
    }
  }

  prev.addEventListener("click", function (event) {
    event.preventDefault();
    show(current < 0 ? marks.length - 1 : current - 1, true);
  });
  next.addEventListener("click", function (event) {
    event.preventDefault();
    show(current + 1, true);
  });
  document.addEventListener("keydown", function (event) {
    var tag = (event.target && event.target.tagName) || "";
    if (event.altKey || event.ctrlKey || event.metaKey || tag === "INPUT" || tag === "TEXTAREA") { return; }
    if (event.key === "n" || event.key === "j") { event.preventDefault(); show(current + 1, true); }
    if (event.key === "N" || event.key === "p" || event.key === "k") {
      event.preventDefault();
      show(current < 0 ? marks.length - 1 : current - 1, true);
    }
  });
  window.addEventListener("hashchange", function () {
    var index = fromHash();
    if (index >= 0 && index !== current) { show(index, false); }
  });

  /* Landing on a paragraph (#p-12) puts the paragraph's top below the bars; in a long paragraph
     on a phone its hit can still be off screen, so bring that hit into view then. */
  function hidden(mark) {
    var box = mark.getBoundingClientRect();
    return box.top < nav.getBoundingClientRect().bottom || box.bottom > window.innerHeight;
  }

  var start = fromHash();
  if (start >= 0) {
    show(start, false);
    if (marks[start].id !== location.hash.slice(1)) {
      /* after the browser's own jump to the anchor, which happens by the load event */
      var reveal = function () {
        if (hidden(marks[start])) { marks[start].scrollIntoView({block: "center"}); }
      };
      if (document.readyState === "complete") { reveal(); } else { window.addEventListener("load", reveal); }
    }
  } else {
    pos.textContent = "– / " + marks.length;
  }
}());
