/* Submitting a follow-up report waits for the draft saves still to come (issue 13,
   point 1). The pieces of a report save themselves as the person types, 1.5 s after the
   last keystroke, and at once when a field is left. Clicking "Lämna in rapporten" right
   after typing sent the submission before those saves: the report was submitted without
   the last words, and the late save was refused. Here the submission first sends what is
   typed but not yet sent, waits until every save is answered (each answer also updates
   the report's version in the submit form), and then submits. Without JavaScript the
   pieces have their own Spara buttons and nothing here is needed. */
(function () {
  "use strict";
  var unsent = new Set();
  var LIMIT_MS = 15000;

  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("hx-post")) unsent.add(form);
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    unsent.delete(event.detail.elt);
  });

  function busy() {
    return unsent.size > 0 || document.querySelector("form.htmx-request") !== null;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-waits-for-saves") || !busy()) return;
    event.preventDefault();
    unsent.forEach(function (piece) { window.htmx.trigger(piece, "submit"); });
    var started = Date.now();
    (function check() {
      if (busy() && Date.now() - started < LIMIT_MS) {
        window.setTimeout(check, 100);
      } else {
        form.submit();
      }
    })();
  });
})();
