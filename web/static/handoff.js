// The lead page of a visitor waiting for a person: every few seconds, the stored transcript
// is read again (the same JSON API, with the session cookie) so the visitor's messages show
// up while the rep types. Text is set with textContent: nothing a visitor wrote is run.
(function () {
  "use strict";
  var list = document.querySelector("ol.transcript[data-poll]");
  if (!list) { return; }
  var WHO = { user: "Visitor", rep: "Rep" };
  function line(t) {
    var li = document.createElement("li");
    li.className = t.sender === "user" || t.sender === "rep" ? t.sender : "bot";
    var who = document.createElement("span"); who.className = "who"; who.textContent = WHO[t.sender] || "Bot";
    var text = document.createElement("span"); text.className = "text"; text.textContent = t.text;
    var at = document.createElement("time"); at.textContent = t.at;
    li.append(who, " ", text, " ", at);
    return li;
  }
  function poll() {
    fetch(list.dataset.poll, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data && data.transcript && data.transcript.length !== list.children.length) {
          list.replaceChildren.apply(list, data.transcript.map(line));
        }
      })
      .catch(function () { /* offline for a moment: try again on the next tick */ });
  }
  setInterval(poll, 3000);
})();
