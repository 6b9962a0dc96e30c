// Small enhancements only: every page works without this file.
"use strict";

// Follows: the board. Moving a card posts the same form the page has, asks for JSON, and moves
// the card in place; anything unexpected falls back to an ordinary form post.
(function () {
  function board() {
    return document.querySelector("[data-board]");
  }

  function refreshColumns(root) {
    root.querySelectorAll(".column").forEach(function (column) {
      var n = column.querySelectorAll(".board-card").length;
      var count = column.querySelector("h2 .count");
      if (count) count.textContent = String(n);
      var tab = document.querySelector('.board-tab[href="#' + column.id + '"] .count');
      if (tab) tab.textContent = String(n);
      var empty = column.querySelector(".empty-column");
      if (empty) empty.hidden = n > 0;
      column.querySelectorAll(".phase-group").forEach(function (group) {
        var k = group.querySelectorAll(".board-card").length;
        var c = group.querySelector("summary .count");
        if (c) c.textContent = String(k);
        group.hidden = k === 0;
      });
    });
  }

  function say(message, warning) {
    var region = document.getElementById("board-status");
    if (!region) return;
    region.textContent = "";
    var p = document.createElement("p");
    p.className = warning ? "warning" : "notice";
    if (warning) p.id = "warning";
    p.textContent = message;
    region.appendChild(p);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var root = board();
    if (!root || !(form instanceof HTMLFormElement) || !form.matches("form.move") || !root.contains(form)) return;
    event.preventDefault();
    var card = form.closest(".board-card");
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) throw new Error("status " + response.status);
      return response.json();
    }).then(function (moved) {
      var column = root.querySelector('.column[data-status="' + moved.status + '"]');
      var phase = card && card.getAttribute("data-phase");
      var list = column && (column.querySelector('.column-cards[data-phase="' + phase + '"]') ||
        column.querySelector(".column-cards"));
      if (!list || !card) throw new Error("no column " + moved.status);
      list.appendChild(card);
      var group = list.closest(".phase-group");
      if (group) { group.hidden = false; group.open = true; }
      card.querySelectorAll("form.move").forEach(function (f) {
        f.hidden = f.getAttribute("data-move") === moved.status;
      });
      document.querySelectorAll('[data-prereq="' + moved.item + '"] .status-tag').forEach(function (tag) {
        tag.textContent = moved.status;
        tag.className = "status-tag status-" + moved.status;
      });
      refreshColumns(root);
      var title = card.querySelector("h3 a");
      var heading = column.querySelector("h2");
      var where = heading ? heading.firstChild.textContent.trim() : moved.status;
      say(moved.warning || ("Moved “" + (title ? title.textContent : moved.item) + "” to " + where + "."), !!moved.warning);
      if (title) title.focus();
    }).catch(function () {
      form.submit();
    });
  });

  // Drag and drop: dropping a card on a column submits that card's own button for the column,
  // so it goes through the same form (and the same fallback) as a click or a key press.
  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    var card = event.target instanceof Element && event.target.closest(".board-card");
    if (!card || !board()) return;
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-item") || "");
  });
  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    document.querySelectorAll(".column.drop-target").forEach(function (c) { c.classList.remove("drop-target"); });
  });
  document.addEventListener("dragover", function (event) {
    var column = dragged && event.target instanceof Element && event.target.closest(".column");
    if (!column) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    document.querySelectorAll(".column.drop-target").forEach(function (c) {
      if (c !== column) c.classList.remove("drop-target");
    });
    column.classList.add("drop-target");
  });
  document.addEventListener("drop", function (event) {
    var column = dragged && event.target instanceof Element && event.target.closest(".column");
    if (!column) return;
    event.preventDefault();
    column.classList.remove("drop-target");
    var form = dragged.querySelector('form.move[data-move="' + column.getAttribute("data-status") + '"]');
    if (form && !form.hidden) form.requestSubmit();
  });
})();

// The timer: a ticking clock next to "running since", from the server's start time. The
// timer itself lives on the server; this only shows how long it has run.
(function () {
  var since = document.querySelector(".timer-since[data-started]");
  var clock = document.querySelector(".timer-running .timer-clock");
  if (!since || !clock) return;
  var started = Date.parse(since.getAttribute("data-started"));
  if (isNaN(started)) return;
  function tick() {
    var s = Math.max(0, Math.floor((Date.now() - started) / 1000));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    clock.textContent = " (" + (h > 0 ? h + ":" + String(m).padStart(2, "0") : String(m)) + ":" + String(r).padStart(2, "0") + ")";
  }
  tick();
  setInterval(tick, 1000);
})();

// The item form: the id follows the title until the learner types one of their own.
(function () {
  var title = document.querySelector("form #title");
  var id = document.querySelector("form #id[name='id']");
  if (!title || !id) return;
  var touched = id.value !== "";
  id.addEventListener("input", function () { touched = id.value !== ""; });
  title.addEventListener("input", function () {
    if (touched) return;
    id.value = title.value.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 64).replace(/-+$/, "");
  });
})();
