/*
 * leadbot chat widget: one script tag on any page (docs/widget.md).
 *
 *   <script src="https://chat.example.com/widget/widget.js"
 *           data-server="https://bot.example.com" defer></script>
 *
 * Talks to Rasa's socket.io channel (websocket transport; Rasa takes it only from pages of
 * the origins in LEADBOT_ALLOWED_ORIGINS, docs/widget.md), keeps the conversation id in
 * localStorage so a reload continues the same conversation, sends the page URL, referrer,
 * UTM parameters, the browser's language and time zone with every message (stored on the
 * lead as its source), shows quick replies, a typing indicator and the consent notice, and
 * reconnects with backoff when the server goes away. Under the title: when a person typically
 * replies (`reply-time` beside this file, from business hours and the reps' working hours),
 * or, once a rep has written, who is answering; a rep's messages show as theirs, with their
 * name and initials. Proactive chat: the site's triggers (`proactive` beside this file, from
 * settings/proactive.yml) may show a teaser bubble with an unread badge, at most as often as
 * the settings' caps allow, never after the visitor closed the chat or dismissed a teaser;
 * opening the chat from it starts the conversation on that trigger's opening line.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__leadbotWidget) { return; }
  window.__leadbotWidget = true;

  var base = script.src.replace(/[^\/]*(\?.*)?$/, "");
  var data = script.dataset;

  // The widget's own words in the page's language (its <html lang>, else the browser's) when it
  // is one the bot speaks (docs/languages.md), else English. The site's own title and consent
  // notice (data-title, data-consent) are shown as the site wrote them.
  var UI = {
    en: { title: "Chat with us", consent: "This chat is recorded so that our sales team can follow up. " +
            "You can ask us to export or delete your data at any time.",
          open: "Open chat", close: "Close chat", dismiss: "Dismiss", log: "Conversation",
          typing: "The assistant is typing", replies: "Suggested answers", input: "Your message",
          placeholder: "Type your message\u2026", send: "Send", you: "You: ", assistant: "Assistant: ",
          answering: "{name} is answering", soon: "Typically replies in a few minutes", within: "Typically replies {when}",
          at: "Typically replies {day} at {time}", lost: "Connection lost. Reconnecting\u2026",
          unreachable: "Can't reach the chat server. Retrying\u2026", failed: "The chat could not be loaded.",
          unread: "{count} unread" },
    ru: { title: "Напишите нам", consent: "Этот чат записывается, чтобы наш отдел продаж мог с вами связаться. " +
            "Вы в любой момент можете попросить выгрузить или удалить ваши данные.",
          open: "Открыть чат", close: "Закрыть чат", dismiss: "Скрыть", log: "Переписка",
          typing: "Ассистент печатает", replies: "Варианты ответа", input: "Ваше сообщение",
          placeholder: "Напишите сообщение\u2026", send: "Отправить", you: "Вы: ", assistant: "Ассистент: ",
          answering: "Отвечает {name}", soon: "Обычно отвечаем в течение нескольких минут", within: "Обычно отвечаем {when}",
          at: "Обычно отвечаем {day} в {time}", lost: "Соединение потеряно. Переподключаемся\u2026",
          unreachable: "Не удаётся связаться с сервером чата. Пробуем снова\u2026", failed: "Не удалось загрузить чат.",
          unread: "непрочитанных: {count}" },
    nb: { title: "Chat med oss", consent: "Denne chatten lagres slik at salgsteamet vårt kan følge deg opp. " +
            "Du kan når som helst be oss om å eksportere eller slette opplysningene dine.",
          open: "Åpne chat", close: "Lukk chat", dismiss: "Lukk", log: "Samtale",
          typing: "Assistenten skriver", replies: "Foreslåtte svar", input: "Din melding",
          placeholder: "Skriv en melding\u2026", send: "Send", you: "Du: ", assistant: "Assistent: ",
          answering: "{name} svarer", soon: "Svarer vanligvis innen noen minutter", within: "Svarer vanligvis {when}",
          at: "Svarer vanligvis {day} kl. {time}", lost: "Mistet forbindelsen. Kobler til igjen\u2026",
          unreachable: "Får ikke kontakt med chatserveren. Prøver igjen\u2026", failed: "Chatten kunne ikke lastes.",
          unread: "{count} uleste" },
    fa: { title: "گفت‌وگو با ما", consent: "این گفت‌وگو ذخیره می‌شود تا تیم فروش ما بتواند پیگیری کند. " +
            "هر زمان بخواهید می‌توانید درخواست کنید اطلاعاتتان را برایتان بفرستیم یا پاک کنیم.",
          open: "باز کردن گفت‌وگو", close: "بستن گفت‌وگو", dismiss: "بستن", log: "گفت‌وگو",
          typing: "دستیار در حال نوشتن است", replies: "پاسخ‌های پیشنهادی", input: "پیام شما",
          placeholder: "پیامتان را بنویسید\u2026", send: "ارسال", you: "شما: ", assistant: "دستیار: ",
          answering: "{name} پاسخ می‌دهد", soon: "معمولاً ظرف چند دقیقه پاسخ می‌دهیم", within: "معمولاً {when} پاسخ می‌دهیم",
          at: "معمولاً {day} ساعت {time} پاسخ می‌دهیم", lost: "ارتباط قطع شد. در حال اتصال دوباره\u2026",
          unreachable: "به سرور گفت‌وگو دسترسی نداریم. دوباره تلاش می‌کنیم\u2026", failed: "گفت‌وگو بارگیری نشد.",
          unread: "{count} پیام خوانده‌نشده" },
    ms: { title: "Sembang dengan kami", consent: "Sembang ini direkodkan supaya pasukan jualan kami boleh membuat susulan. " +
            "Anda boleh meminta kami mengeksport atau memadam data anda pada bila-bila masa.",
          open: "Buka sembang", close: "Tutup sembang", dismiss: "Tutup", log: "Perbualan",
          typing: "Pembantu sedang menaip", replies: "Jawapan dicadangkan", input: "Mesej anda",
          placeholder: "Taip mesej anda\u2026", send: "Hantar", you: "Anda: ", assistant: "Pembantu: ",
          answering: "{name} sedang menjawab", soon: "Biasanya membalas dalam beberapa minit", within: "Biasanya membalas {when}",
          at: "Biasanya membalas {day} pukul {time}", lost: "Sambungan terputus. Menyambung semula\u2026",
          unreachable: "Tidak dapat menghubungi pelayan sembang. Mencuba lagi\u2026", failed: "Sembang tidak dapat dimuatkan.",
          unread: "{count} belum dibaca" },
    zh: { title: "在线咨询", consent: "本次对话会被记录，以便我们的销售团队跟进。您随时可以要求我们导出或删除您的数据。",
          open: "打开聊天", close: "关闭聊天", dismiss: "关闭", log: "对话",
          typing: "助手正在输入", replies: "建议回复", input: "您的消息",
          placeholder: "输入消息\u2026", send: "发送", you: "您：", assistant: "助手：",
          answering: "{name} 正在为您服务", soon: "通常几分钟内回复", within: "通常{when}回复",
          at: "通常{day} {time} 回复", lost: "连接已断开，正在重新连接\u2026",
          unreachable: "无法连接聊天服务器，正在重试\u2026", failed: "聊天加载失败。",
          unread: "{count} 条未读" }
  };
  var ALIASES = { no: "nb", nn: "nb", da: "nb", id: "ms" };  // as bot/language/codes.py reads them
  function uiLanguage() {
    var tags = [document.documentElement && document.documentElement.lang, navigator.language];
    for (var i = 0; i < tags.length; i++) {
      var primary = (tags[i] || "").toLowerCase().split(/[-_]/)[0];
      primary = ALIASES[primary] || primary;
      if (UI[primary]) { return primary; }
    }
    return "en";
  }
  var lang = uiLanguage();
  function t(key, values) {
    var text = (UI[lang] && UI[lang][key]) || UI.en[key];
    Object.keys(values || {}).forEach(function (k) { text = text.replace("{" + k + "}", values[k]); });
    return text;
  }
  var config = {
    server: data.server || window.location.origin,
    socketPath: data.socketPath || "/socket.io",
    title: data.title || t("title"),
    consent: data.consent || t("consent"),
    storageKey: data.storageKey || "leadbot-chat",
    open: data.open === "true",
    site: data.site || window.location.hostname
  };
  var UTM_KEYS = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"];
  var MAX_HISTORY = 100;
  var TYPING_TIMEOUT_MS = 20000;

  // --- storage (a browser without localStorage still chats, it just forgets on reload) ----
  // `area` "sessionStorage": this tab's session only (until the tab is closed; the proactive caps).
  function load(key, fallback, area) {
    try {
      var raw = window[area || "localStorage"].getItem(config.storageKey + ":" + key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (e) { return fallback; }
  }
  function save(key, value, area) {
    try { window[area || "localStorage"].setItem(config.storageKey + ":" + key, JSON.stringify(value)); } catch (e) { /* full or blocked */ }
  }
  function loadSession(key, fallback) { return load(key, fallback, "sessionStorage"); }
  function saveSession(key, value) { save(key, value, "sessionStorage"); }
  // The server issues the session id (signed) in session_confirm: it takes back only its own.
  var sessionId = load("session", null);
  var history = load("history", []);
  var started = load("started", false);
  // A signed link from a nurture e-mail (docs/nurture.md) names the visitor's conversation:
  // continue it here, even in a browser that never saw it (the server still checks the id).
  if (data.resume && data.resume !== sessionId) {
    sessionId = data.resume;
    save("session", sessionId);
    history = [];
    started = true;
    save("history", history);
    save("started", started);
  }

  // First-touch campaign: UTM parameters seen on any page are kept for the whole visit.
  function campaign() {
    var stored = load("utm", {});
    var params = new URLSearchParams(window.location.search);
    var seen = false;
    UTM_KEYS.forEach(function (k) { if (params.get(k)) { seen = true; } });
    if (seen && Object.keys(stored).length === 0) {
      UTM_KEYS.forEach(function (k) { if (params.get(k)) { stored[k] = params.get(k); } });
      save("utm", stored);
    }
    return stored;
  }
  // The page's language (its <html lang>): the bot answers in it, else in the browser's, until
  // the visitor's own words tell (docs/languages.md). The browser's language and time zone are
  // for the rep too, who may answer in it or call at a good hour.
  function timeZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return ""; }
  }
  function metadata() {
    var meta = { page_url: window.location.href, referrer: document.referrer || "",
                 page_language: (document.documentElement && document.documentElement.lang) || "",
                 language: navigator.language || "", time_zone: timeZone() };
    var utm = campaign();
    Object.keys(utm).forEach(function (k) { meta[k] = utm[k]; });
    return meta;
  }

  // --- DOM ------------------------------------------------------------------------------
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }

  var css = el("link", { rel: "stylesheet", href: base + "widget.css" });
  document.head.appendChild(css);

  var root = el("div", { "class": "lb-root", id: "leadbot-widget" });
  var launcher = el("button", {
    type: "button", "class": "lb-launcher", "aria-label": t("open") + ": " + config.title,
    "aria-expanded": "false", "aria-controls": "lb-panel"
  });
  launcher.innerHTML = '<svg aria-hidden="true" viewBox="0 0 24 24" width="26" height="26"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';
  var badge = el("span", { "class": "lb-badge", "aria-hidden": "true", hidden: "" });
  launcher.appendChild(badge);
  // The proactive teaser: its text opens the chat, the cross dismisses it (and all later ones).
  var teaser = el("div", { "class": "lb-teaser", role: "status", "aria-live": "polite", hidden: "" });
  var teaserOpen = el("button", { type: "button", "class": "lb-teaser-text" });
  var teaserDismiss = el("button", { type: "button", "class": "lb-teaser-dismiss", "aria-label": t("dismiss") }, "\u00d7");
  teaser.appendChild(teaserOpen);
  teaser.appendChild(teaserDismiss);
  var panel = el("section", { id: "lb-panel", "class": "lb-panel", role: "dialog", "aria-label": config.title, hidden: "" });
  var header = el("div", { "class": "lb-header" });
  // The site's own lines (title, consent, status) keep their own direction in a right-to-left panel.
  var heading = el("h2", { "class": "lb-title", dir: "auto" }, config.title);
  var closeButton = el("button", { type: "button", "class": "lb-close", "aria-label": t("close") }, "\u00d7");
  // Who answers: the team's reply time, or the rep who has joined (initials in a circle).
  var agent = el("div", { "class": "lb-agent" });
  var avatar = el("span", { "class": "lb-avatar", "aria-hidden": "true", hidden: "" });
  var agentText = el("p", { "class": "lb-agent-text", dir: "auto" });
  agent.appendChild(avatar);
  agent.appendChild(agentText);
  var titles = el("div", { "class": "lb-titles" });
  titles.appendChild(heading);
  titles.appendChild(agent);
  header.appendChild(titles);
  header.appendChild(closeButton);
  var consent = el("p", { "class": "lb-consent", id: "lb-consent", dir: "auto" }, config.consent);
  var status = el("p", { "class": "lb-status", role: "status", "aria-live": "polite", dir: "auto" });
  var log = el("div", { "class": "lb-log", role: "log", "aria-live": "polite", "aria-label": t("log"), tabindex: "0" });
  var typing = el("div", { "class": "lb-typing", "aria-label": t("typing"), role: "status", hidden: "" });
  typing.innerHTML = "<span></span><span></span><span></span>";
  var replies = el("div", { "class": "lb-replies", role: "group", "aria-label": t("replies") });
  var form = el("form", { "class": "lb-form", "aria-describedby": "lb-consent" });
  var label = el("label", { "for": "lb-input", "class": "lb-visually-hidden" }, t("input"));
  var input = el("input", { id: "lb-input", "class": "lb-input", type: "text", autocomplete: "off",
    maxlength: "4000", placeholder: t("placeholder"), dir: "auto" });
  var send = el("button", { type: "submit", "class": "lb-send" }, t("send"));
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(send);
  [header, consent, status, log, typing, replies, form].forEach(function (n) { panel.appendChild(n); });
  root.appendChild(panel);
  root.appendChild(teaser);
  root.appendChild(launcher);

  function mount() { document.body.appendChild(root); }
  if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }

  // --- rendering -------------------------------------------------------------------------
  // Web addresses in a message become links (a booking page, resources); everything else
  // stays text: nothing a message contains is ever parsed as HTML.
  var URL_PATTERN = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g;
  function appendWithLinks(parent, text) {
    var last = 0;
    text.replace(URL_PATTERN, function (url, at) {
      parent.appendChild(document.createTextNode(text.slice(last, at)));
      var link = el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, url);
      parent.appendChild(link);
      last = at + url.length;
      return url;
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function initials(name) {
    var words = name.trim().split(/\s+/).filter(Boolean);
    var letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
    return letters.map(function (w) { return w.charAt(0).toUpperCase(); }).join("");
  }
  // Right to left for Persian (the Arabic script): a message is laid out in the direction most
  // of its letters are written in (a Persian sentence that starts with "leadbot" is still
  // right to left, which the browser's dir="auto" would get wrong), and the panel follows the
  // assistant's latest message: a conversation in Persian reads right to left throughout.
  var RTL_LETTER = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/g;
  var ANY_LETTER;  // every script's letters; built at run time so older parsers still load the widget
  try { ANY_LETTER = new RegExp("\\p{L}", "gu"); } catch (e) { ANY_LETTER = /[A-Za-z\u00C0-\u024F\u0370-\u052F\u0590-\u08FF\u3040-\u9FFF\uAC00-\uD7AF\uFB1D-\uFDFF\uFE70-\uFEFF]/g; }
  function directionOf(text) {
    var rtl = (text.match(RTL_LETTER) || []).length;
    return rtl > 0 && rtl * 2 >= (text.match(ANY_LETTER) || []).length ? "rtl" : "ltr";
  }
  function addBubble(who, text, rep) {
    var direction = directionOf(text);
    var bubble = el("div", { "class": "lb-msg lb-" + who, dir: direction });
    if (who !== "user") { panel.setAttribute("dir", direction); }
    if (who === "rep" && rep) {
      var by = el("span", { "class": "lb-by" });
      by.appendChild(el("span", { "class": "lb-avatar", "aria-hidden": "true" }, initials(rep.name)));
      by.appendChild(el("span", { "class": "lb-by-name" }, rep.name));
      bubble.appendChild(by);
      bubble.appendChild(el("span", { "class": "lb-visually-hidden" }, ": "));
    } else {
      bubble.appendChild(el("span", { "class": "lb-visually-hidden" }, who === "user" ? t("you") : t("assistant")));
    }
    appendWithLinks(bubble, text);
    log.appendChild(bubble);
    log.scrollTop = log.scrollHeight;
  }

  // --- who answers -------------------------------------------------------------------------
  var replyLine = "";
  var answering = load("agent", null);  // the rep who wrote last, until the bot speaks again
  function showAgent() {
    if (answering) {
      avatar.textContent = initials(answering.name);
      avatar.hidden = false;
      agentText.textContent = t("answering", { name: answering.name });
    } else {
      avatar.hidden = true;
      agentText.textContent = replyLine;
    }
  }
  function setAnswering(rep) {
    answering = rep ? { name: rep.name } : null;
    save("agent", answering);
    showAgent();
  }
  // "in a few minutes", "in 3 hours", "tomorrow at 09:00", "Monday at 09:00": the server's
  // clock decides how far away, the visitor's time zone and language how it reads.
  function describeReplyTime(info) {
    if (info.open_now) { return t("soon"); }
    if (lang !== "en") { return describeReplyTimeIn(lang, info); }
    var now = Date.parse(info.now), at = Date.parse(info.next_reply_at);
    var minutes = Math.max(1, Math.round((at - now) / 60000));
    if (minutes < 60) { return "Typically replies in " + minutes + (minutes === 1 ? " minute" : " minutes"); }
    var hours = Math.round(minutes / 60);
    if (hours <= 12) { return "Typically replies in " + hours + (hours === 1 ? " hour" : " hours"); }
    var when = new Date(at);
    var time = when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    var tomorrow = new Date(now + 86400000).toDateString() === when.toDateString();
    return "Typically replies " + (tomorrow ? "tomorrow" : when.toLocaleDateString("en", { weekday: "long" })) + " at " + time;
  }
  // The same in another language: "через 3 часа", "завтра в 09:00" (Intl's relative times).
  function describeReplyTimeIn(language, info) {
    var now = Date.parse(info.now), at = Date.parse(info.next_reply_at);
    var minutes = Math.max(1, Math.round((at - now) / 60000)), hours = Math.round(minutes / 60);
    var relative = new Intl.RelativeTimeFormat(language, { numeric: "auto" });
    if (minutes < 60) { return t("within", { when: relative.format(minutes, "minute") }); }
    if (hours <= 12) { return t("within", { when: relative.format(hours, "hour") }); }
    var when = new Date(at);
    var time = when.toLocaleTimeString(language, { hour: "2-digit", minute: "2-digit" });
    var tomorrow = new Date(now + 86400000).toDateString() === when.toDateString();
    var day = tomorrow ? relative.format(1, "day") : when.toLocaleDateString(language, { weekday: "long" });
    return t("at", { day: day, time: time });
  }
  function loadReplyTime() {
    if (!window.fetch) { return; }
    fetch(base + "reply-time", { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (info) { if (info) { replyLine = describeReplyTime(info); showAgent(); } })
      .catch(function () { /* the line stays empty: the chat works without it */ });
  }
  showAgent();
  function showReplies(buttons) {
    replies.textContent = "";
    (buttons || []).forEach(function (b) {
      var button = el("button", { type: "button", "class": "lb-reply" }, b.title);
      button.addEventListener("click", function () {
        sendText(b.payload, b.title);
        input.focus();  // the buttons are gone: keep keyboard users in the conversation
      });
      replies.appendChild(button);
    });
    log.scrollTop = log.scrollHeight;  // the log just got shorter: keep the question in view
  }
  function remember(entry) {
    history.push(entry);
    if (history.length > MAX_HISTORY) { history = history.slice(-MAX_HISTORY); }
    save("history", history);
  }
  history.forEach(function (h) { addBubble(h.who, h.text, h.rep); });
  if (history.length && history[history.length - 1].buttons) { showReplies(history[history.length - 1].buttons); }

  var typingTimer = null;
  function setTyping(on) {
    if (typingTimer) { clearTimeout(typingTimer); typingTimer = null; }
    if (on) {
      typing.hidden = false;
      typingTimer = setTimeout(function () { typing.hidden = true; }, TYPING_TIMEOUT_MS);
    } else {
      typing.hidden = true;
    }
  }

  // --- the socket ------------------------------------------------------------------------
  var socket = null;
  var ready = false;       // session confirmed on the current connection
  var outbox = [];         // messages typed while disconnected, sent once confirmed

  // A queued message is {text, extra}: extra metadata for this message only (the trigger a chat
  // was opened from goes with its first message).
  function emit(item) {
    var meta = metadata();
    Object.keys(item.extra || {}).forEach(function (k) { meta[k] = item.extra[k]; });
    socket.emit("user_uttered", { message: item.text, session_id: sessionId, metadata: meta });
  }
  function sendText(text, shown) {
    text = (text || "").trim();
    if (!text) { return; }
    addBubble("user", shown || text);
    remember({ who: "user", text: shown || text });
    showReplies([]);
    setTyping(true);
    if (ready) { emit({ text: text }); } else { outbox.push({ text: text }); }
  }
  function start(extra) {
    if (started) { return; }
    started = true;
    save("started", true);
    setTyping(true);
    var greet = { text: "/greet", extra: extra };
    if (ready) { emit(greet); } else { outbox.push(greet); }
  }

  function connect() {
    socket = window.io(config.server, {
      path: config.socketPath,
      transports: ["websocket"],
      reconnection: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 10000,
      randomizationFactor: 0.5
    });
    socket.on("connect", function () {
      // Every (re)connection gets a new socket id: ask again to join our conversation.
      socket.emit("session_request", { session_id: sessionId });
    });
    socket.on("session_confirm", function (confirmed) {
      // The server issues the id on the first visit, and a new one for any id it did not sign
      // (docs/channels.md): keep it for the next page and reconnection.
      if (typeof confirmed === "string" && confirmed && confirmed !== sessionId) {
        sessionId = confirmed;
        save("session", sessionId);
      }
      ready = true;
      status.textContent = "";
      root.classList.remove("lb-offline");
      var queued = outbox;
      outbox = [];
      queued.forEach(emit);
    });
    socket.on("bot_uttered", function (message) {
      var text = message && message.text;
      var buttons = (message && (message.quick_replies || message.buttons)) || null;
      if (!text) { return; }
      setTyping(false);
      var rep = message.rep && typeof message.rep.name === "string" && message.rep.name ? message.rep : null;
      if (rep) {
        if (panel.hidden) { setUnread(unread + 1); }
        addBubble("rep", text, rep);
        remember({ who: "rep", text: text, rep: { name: rep.name } });
        setAnswering(rep);
        showReplies([]);
        return;
      }
      if (answering) { setAnswering(null); }  // the bot answers again: the rep handed back
      if (panel.hidden) { setUnread(unread + 1); }
      addBubble("bot", text);
      remember({ who: "bot", text: text, buttons: buttons && buttons.length ? buttons : null });
      showReplies(buttons);
    });
    socket.on("disconnect", function () {
      ready = false;
      root.classList.add("lb-offline");
      status.textContent = t("lost");
    });
    socket.on("connect_error", function () {
      ready = false;
      root.classList.add("lb-offline");
      status.textContent = t("unreachable");
    });
  }

  // --- unread badge ------------------------------------------------------------------------
  // Messages the visitor has not seen (kept across pages), and a teaser while it is up: a count
  // on the launcher while the chat is closed.
  var unread = load("unread", 0);
  var teaserTrigger = null;  // the proactive trigger whose teaser is up
  function showUnread() {
    var count = unread + (teaserTrigger === null ? 0 : 1);
    badge.textContent = count > 9 ? "9+" : String(count);
    badge.hidden = count === 0;
    var unreadText = lang === "en" ? count + (count === 1 ? " unread message" : " unread messages")
      : t("unread", { count: count });
    launcher.setAttribute("aria-label", t("open") + ": " + config.title + (count ? " (" + unreadText + ")" : ""));
  }
  function setUnread(count) {
    unread = count;
    save("unread", count);
    showUnread();
  }
  showUnread();

  // --- proactive chat ------------------------------------------------------------------------
  // settings/proactive.yml, decided here in the browser: the first of the page's triggers whose
  // conditions all hold shows its teaser, within the caps (this tab's session, any 24 hours, one
  // trigger per `same_trigger_days`), counted in this browser across page loads. The state shows
  // on the root as data-proactive: loading, off, quiet (a quiet page), capped, none (no trigger
  // for this page), armed (waiting for a trigger), shown (a teaser is up), opened, dismissed.
  var DAY_MS = 86400000;
  var loadedAt = Date.now();
  var proactiveSite = null;
  // A returning visitor: seen on an earlier visit. A page more than VISIT_GAP_MS after the
  // browser's last page of this site starts a new visit (web analytics' 30 minutes).
  var VISIT_GAP_MS = 30 * 60000;
  var visits = load("visits", 0);
  var lastSeen = load("last_seen", null);
  if (lastSeen === null || loadedAt - lastSeen > VISIT_GAP_MS) {
    visits += 1;
    save("visits", visits);
  }
  save("last_seen", loadedAt);
  function proactiveState(state) { root.setAttribute("data-proactive", state); }
  function matchesAny(patterns, path) {
    return (patterns || []).some(function (p) { return new RegExp(p).test(path); });
  }
  // The triggers this page may show: those naming it, else those naming no page.
  function pageTriggers(triggers, path) {
    var own = triggers.filter(function (t) { return t.pages.length && matchesAny(t.pages, path); });
    return own.length ? own : triggers.filter(function (t) { return !t.pages.length; });
  }
  function shownSince(since) {
    return load("teasers", []).filter(function (s) { return s.at > since; });
  }
  function withinCaps(frequency, trigger) {
    var now = Date.now();
    if (loadSession("teasers", 0) >= frequency.per_session) { return false; }
    if (shownSince(now - DAY_MS).length >= frequency.per_day) { return false; }
    if (!trigger) { return true; }
    var again = now - frequency.same_trigger_days * DAY_MS;
    return !shownSince(again).some(function (s) { return s.trigger === trigger.name; });
  }
  function showTeaser(trigger, frequency) {
    var now = Date.now();
    var keep = Math.max(DAY_MS, frequency.same_trigger_days * DAY_MS);
    var shown = shownSince(now - keep);
    shown.push({ trigger: trigger.name, at: now });
    save("teasers", shown);
    saveSession("teasers", loadSession("teasers", 0) + 1);
    teaserTrigger = trigger.name;
    teaserOpen.textContent = trigger.teaser;
    teaser.setAttribute("data-trigger", trigger.name);
    teaser.hidden = false;
    showUnread();
    proactiveState("shown");
  }
  function hideTeaser(state) {
    if (teaserTrigger === null) { return; }
    teaserTrigger = null;
    teaser.hidden = true;
    showUnread();
    proactiveState(state);
  }
  function arm(settings) {
    var path = window.location.pathname;
    if (!settings.enabled) { return proactiveState("off"); }
    if (matchesAny(settings.quiet_pages, path)) { return proactiveState("quiet"); }
    var frequency = settings.frequency;
    var candidates = pageTriggers(settings.triggers, path).filter(function (t) { return !t.returning || visits > 1; });
    if (!withinCaps(frequency, null)) { return proactiveState("capped"); }
    candidates = candidates.filter(function (t) { return withinCaps(frequency, t); });
    if (!candidates.length) { return proactiveState("none"); }
    proactiveSite = settings.site;
    var deepest = 0, exiting = false, timers = [], done = false;
    function stop() {
      done = true;
      timers.forEach(clearTimeout);
      window.removeEventListener("scroll", onScroll);
      document.removeEventListener("mouseout", onMouseOut);
    }
    function holds(t) {
      return (t.after_seconds === null || Date.now() - loadedAt >= t.after_seconds * 1000) &&
        (t.scroll_percent === null || deepest >= t.scroll_percent) && (!t.exit_intent || exiting);
    }
    function check() {
      if (done) { return; }
      if (started || !panel.hidden || load("proactive-off", null)) { stop(); return proactiveState("off"); }
      var trigger = candidates.filter(holds)[0];
      if (!trigger) { return; }
      stop();
      if (!withinCaps(frequency, trigger)) { return proactiveState("capped"); }  // another tab showed one meanwhile
      showTeaser(trigger, frequency);
    }
    function onScroll() {
      var page = document.documentElement;
      var seen = (window.scrollY + window.innerHeight) / Math.max(page.scrollHeight, 1) * 100;
      deepest = Math.max(deepest, Math.min(100, seen));
      check();
    }
    function onMouseOut(event) {
      if (!event.relatedTarget && event.clientY <= 0) { exiting = true; check(); }
    }
    window.addEventListener("scroll", onScroll, { passive: true });
    document.addEventListener("mouseout", onMouseOut);
    candidates.forEach(function (t) {
      if (t.after_seconds !== null) {
        timers.push(setTimeout(check, Math.max(0, t.after_seconds * 1000 - (Date.now() - loadedAt))));
      }
    });
    proactiveState("armed");
    check();
  }
  function loadProactive() {
    if (started || load("proactive-off", null) || !window.fetch) { return proactiveState("off"); }
    proactiveState("loading");
    fetch(base + "proactive?site=" + encodeURIComponent(config.site), { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (settings) { if (settings) { arm(settings); } else { proactiveState("off"); } })
      .catch(function () { proactiveState("off"); /* the chat works without it */ });
  }
  teaserOpen.addEventListener("click", function () { open(); });
  teaserDismiss.addEventListener("click", function () {
    save("proactive-off", "dismissed");
    hideTeaser("dismissed");
    launcher.focus();
  });

  // --- opening and closing ---------------------------------------------------------------
  function open() {
    var trigger = teaserTrigger;
    hideTeaser("opened");
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    root.classList.add("lb-open");
    save("open", true);
    setUnread(0);
    // Opened from a teaser: the bot opens on that trigger's line, and the lead records it.
    start(trigger ? { proactive_trigger: trigger, proactive_site: proactiveSite } : undefined);
    input.focus();
  }
  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    root.classList.remove("lb-open");
    save("open", false);
    save("proactive-off", "closed");  // closed once: the chat never offers itself again
    launcher.focus();
  }
  launcher.addEventListener("click", function () { if (panel.hidden) { open(); } else { close(); } });
  closeButton.addEventListener("click", close);
  panel.addEventListener("keydown", function (event) { if (event.key === "Escape") { close(); } });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    sendText(input.value);
    input.value = "";
    input.focus();
  });

  function boot() {
    loadReplyTime();
    connect();
    if (config.open || load("open", false)) { open(); }
    loadProactive();
  }
  if (window.io) {
    boot();
  } else {
    var client = el("script", { src: base + "vendor/socket.io.min.js" });
    client.addEventListener("load", boot);
    client.addEventListener("error", function () { status.textContent = t("failed"); });
    document.head.appendChild(client);
  }
})();
