// Every dashboard page: the hand-off badge in the navigation stays current, and a visitor who
// starts waiting for a person raises a browser notification and a short sound, unless the
// signed-in rep is marked away (data-alerts="off"). On /handoffs the wait times tick and the
// table is reloaded when somebody joins or leaves the queue. One poll of the rep API
// (/api/handoff/conversations, the session cookie) every few seconds; text is set with
// textContent, never parsed as HTML.
(function () {
  "use strict";
  var link = document.querySelector("a.queue-link[data-queue]");
  if (!link) { return; }
  var badge = link.querySelector(".badge");
  var alertsOn = link.dataset.alerts !== "off";
  var POLL_MS = 4000;
  var SEEN_KEY = "leadbot-handoffs-seen";
  var queueTable = document.querySelector("table.queue");
  var audio = null;

  function seen() {
    try { return JSON.parse(window.localStorage.getItem(SEEN_KEY) || "[]"); } catch (e) { return []; }
  }
  function remember(ids) {
    try { window.localStorage.setItem(SEEN_KEY, JSON.stringify(ids.slice(-200))); } catch (e) { /* private mode */ }
  }

  // The same units as the server's age(): 5 min, 3 h, 12 d.
  function age(seconds) {
    if (seconds < 3600) { return Math.floor(seconds / 60) + " min"; }
    if (seconds < 86400 * 2) { return Math.floor(seconds / 3600) + " h"; }
    return Math.floor(seconds / 86400) + " d";
  }

  function chime() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) { return; }
    try {
      audio = audio || new Context();
      if (audio.state === "suspended") { audio.resume(); }
      [0, 0.18].forEach(function (offset, i) {
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.frequency.value = i ? 1175 : 880;
        gain.gain.setValueAtTime(0.15, audio.currentTime + offset);
        gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + offset + 0.16);
        osc.connect(gain).connect(audio.destination);
        osc.start(audio.currentTime + offset);
        osc.stop(audio.currentTime + offset + 0.17);
      });
    } catch (e) { /* no audio device: the notification and the badge remain */ }
  }

  function notify(c) {
    chime();
    if (!("Notification" in window) || Notification.permission !== "granted") { return; }
    var who = c.name || c.email || "A visitor";
    var n = new Notification(who + " is waiting for a person", {
      body: (c.company ? c.company + " · " : "") + "via " + (c.channel || "the chat") + ". Open the hand-off queue to answer.",
      tag: "leadbot-handoff-" + c.conversation_id
    });
    n.onclick = function () { window.focus(); window.location.href = "/handoffs"; };
  }

  function showCount(count) {
    badge.textContent = String(count);
    badge.setAttribute("aria-label", count + " waiting");
    badge.hidden = count === 0;
  }

  function refreshTable(conversations) {
    if (!queueTable) { return; }
    var rows = queueTable.querySelectorAll("tbody tr[data-conversation]");
    var shown = Array.prototype.map.call(rows, function (r) { return r.dataset.conversation + ":" + r.className; });
    var now = conversations.map(function (c) {
      return c.conversation_id + ":" + (c.handoff_state === "waiting" ? "waiting" : "with-rep");
    });
    if (shown.join("|") !== now.join("|")) { window.location.reload(); return; }
    conversations.forEach(function (c, i) {
      var cell = rows[i].querySelector("td.wait");
      cell.dataset.waited = String(c.waited_seconds);
      cell.textContent = age(c.waited_seconds);
    });
  }

  function poll() {
    fetch(link.dataset.queue, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        showCount(data.waiting);
        var known = seen();
        var waiting = data.conversations.filter(function (c) { return c.handoff_state === "waiting"; });
        var fresh = waiting.filter(function (c) { return known.indexOf(c.conversation_id) === -1; });
        if (fresh.length) {
          remember(known.concat(fresh.map(function (c) { return c.conversation_id; })));
          if (alertsOn) { fresh.forEach(notify); }
        }
        refreshTable(data.conversations);
      })
      .catch(function () { /* offline for a moment: try again on the next tick */ });
  }

  // The queue page's "Enable alerts": the browser asks for permission only on a click, and
  // allows sound only after one.
  var enable = document.querySelector("[data-enable-alerts]");
  var status = document.querySelector("[data-alert-status]");
  function describe(permission) {
    if (!status) { return; }
    status.textContent = permission === "granted" ? "Alerts are on: a notification and a sound when a visitor starts waiting."
      : permission === "denied" ? "Notifications are blocked for this site in your browser: you get the sound and the badge."
      : "Alerts: a browser notification and a sound when a visitor starts waiting, while a dashboard page is open.";
    if (enable) { enable.hidden = permission === "granted" || permission === "denied"; }
  }
  if (enable) {
    if (!("Notification" in window)) {
      enable.hidden = true;
    } else {
      describe(Notification.permission);
      enable.addEventListener("click", function () {
        chime();
        Notification.requestPermission().then(describe);
      });
    }
  }

  poll();
  setInterval(poll, POLL_MS);
})();
