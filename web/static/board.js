// Drag and drop on the pipeline board: progressive enhancement of each card's own form.
// Without JavaScript the card's "Move" form does the same thing.
(function () {
  "use strict";
  var board = document.querySelector(".board");
  if (!board) { return; }
  var dragged = null;
  board.classList.add("dnd");
  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest ? event.target.closest(".deal") : null;
    if (!card) { return; }
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-lead"));
  });
  board.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dragging"); }
    dragged = null;
    board.querySelectorAll(".column.over").forEach(function (c) { c.classList.remove("over"); });
  });
  board.addEventListener("dragover", function (event) {
    var column = event.target.closest ? event.target.closest(".column") : null;
    if (!column || !dragged) { return; }
    event.preventDefault();
    board.querySelectorAll(".column.over").forEach(function (c) { if (c !== column) { c.classList.remove("over"); } });
    column.classList.add("over");
  });
  board.addEventListener("drop", function (event) {
    var column = event.target.closest ? event.target.closest(".column") : null;
    if (!column || !dragged) { return; }
    event.preventDefault();
    var form = dragged.querySelector("form.move");
    var stage = column.getAttribute("data-stage");
    if (!form || form.querySelector("select").value === stage) { return; }
    form.querySelector("select").value = stage;
    form.submit();
  });
})();
