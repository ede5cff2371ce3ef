// The questionnaire moves on in place: Start (a form marked data-in-place) and each answer fetch the next page
// and show it in this document, so that read-aloud, allowed to sound after one tap in a document, needs only
// that one tap (respond.js). Without this script every page is an ordinary page load.
// Answers survive a lost connection. Without this script every answer is a plain POST, saved at once.
// With it, an answer is first kept on the device (localStorage: it survives a reload), then sent; while the
// server cannot be reached the respondent goes on with question pages fetched in advance (sessionStorage),
// and the kept answers are sent, each once and in order, when the connection returns. A kept answer is
// keyed by its response and question, so answering again replaces it, and the server replaces a question's
// answer anyway: sending twice changes nothing. The status line says in plain words what is happening.
(function () {
  "use strict";
  if (!window.fetch || !window.localStorage || !window.sessionStorage || !window.DOMParser) return;
  var UNSENT = "survey.unsent";
  var PAGES = "survey.page.";
  var RETRY_MS = 5000;
  var TIMEOUT_MS = 15000;  // a server that does not answer within this is treated as out of reach
  var pristine = document.documentElement.outerHTML;  // this page before any script changed it
  var unreachable = false;  // the last try to reach the server failed
  var sending = Promise.resolve();
  var status;

  function unsent() {
    try { return JSON.parse(localStorage.getItem(UNSENT)) || []; } catch (e) { return []; }
  }
  function keep(items) { localStorage.setItem(UNSENT, JSON.stringify(items)); }
  function offline() { return !navigator.onLine || unreachable; }
  function say(key) { if (status) status.textContent = status.dataset[key] || ""; }

  function questionForm(root) { return (root || document).querySelector("form.question"); }
  function pageKey(token, position) { return PAGES + token + "." + position; }

  function fieldsOf(form, submitter) {
    var fields = [];
    new FormData(form).forEach(function (value, name) { fields.push([name, String(value)]); });
    if (submitter && submitter.name) fields.push([submitter.name, submitter.value]);
    return fields;
  }

  // Keep an answer until the server has it; it replaces a kept answer to the same question, except that
  // pressing Next or Skip without an answer keeps what was answered before.
  function remember(form, fields) {
    var item = { id: Date.now() + "-" + Math.random().toString(36).slice(2), token: form.elements.response.value,
                 position: Number(form.dataset.position), action: form.action, next: form.dataset.next,
                 last: form.dataset.position === form.dataset.total, fields: fields };
    var same = function (old) { return old.token === item.token && old.position === item.position; };
    var earlier = unsent().filter(same)[0];
    var answers = fields.some(function (f) { return f[0] === "answer" || f[0] === "text"; });
    if (earlier && !answers) return earlier;
    keep(unsent().filter(function (old) { return !same(old); }).concat([item]));
    return item;
  }

  function forget(item) {
    keep(unsent().filter(function (old) { return old.id !== item.id; }));
    sessionStorage.removeItem(pageKey(item.token, item.position));  // its page now shows the old answer
  }

  function post(item) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller && setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
    return fetch(item.action, { method: "POST", body: new URLSearchParams(item.fields), credentials: "same-origin",
                                redirect: "manual", headers: { Accept: "text/html" },
                                signal: controller ? controller.signal : undefined })
      .finally(function () { clearTimeout(timer); });
  }

  // Send every kept answer, oldest response first and question by question; stop at the first that
  // cannot reach the server. Resolves to {sent: {id: true}, refused: {id: Response}}.
  function sendAll() {
    sending = sending.then(function () {
      var result = { sent: {}, refused: {} };
      var items = unsent();
      var order = items.map(function (item) { return item.token; });
      items.sort(function (a, b) {
        return order.indexOf(a.token) - order.indexOf(b.token) || a.position - b.position;
      });
      if (items.length && unreachable) say("sending");
      return items.reduce(function (chain, item) {
        return chain.then(function (stop) {
          if (stop) return true;
          return post(item).then(function (response) {
            if (response.status >= 500) { unreachable = true; return true; }
            unreachable = false;
            forget(item);
            if (response.type === "opaqueredirect" || response.ok) result.sent[item.id] = item;
            else result.refused[item.id] = response;  // the server will never take it (an ended response)
            return false;
          }, function () { unreachable = true; return true; });
        });
      }, Promise.resolve(false)).then(function () { return result; });
    });
    return sending;
  }

  // Show a page in place of this one: its main part, footer, title and settings, with its address in the
  // history. The document stays, and with it the audio element that read-aloud may play in (respond.js sets
  // up each page again on the event "survey:page").
  function showPage(html, url) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var main = document.getElementById("main");
    Array.prototype.slice.call(main.children).forEach(function (child) { if (child !== status) child.remove(); });
    Array.prototype.slice.call(fresh.getElementById("main").children).forEach(function (child) {
      if (child.id !== status.id) main.appendChild(document.importNode(child, true));
    });
    var footer = document.querySelector("body > footer");
    var freshFooter = fresh.querySelector("body > footer");
    if (footer) footer.remove();
    if (freshFooter) main.insertAdjacentElement("afterend", document.importNode(freshFooter, true));
    document.title = fresh.title;
    document.body.className = fresh.body.className;
    Object.keys(fresh.body.dataset).forEach(function (key) { document.body.dataset[key] = fresh.body.dataset[key]; });
    document.documentElement.className = fresh.documentElement.className;
    document.documentElement.lang = fresh.documentElement.lang;
    if (url && url !== location.pathname) history.pushState({ inPlace: true }, "", url);
    window.scrollTo(0, 0);
    markKept(questionForm());
    var heading = main.querySelector("h1");
    if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
    document.dispatchEvent(new CustomEvent("survey:page"));
    if (!offline()) arrive(html);
  }

  // Go on to the next page online: fetched and shown in place, or loaded as usual where that fails.
  function goTo(url, options) {
    return fetch(url, Object.assign({ credentials: "same-origin", headers: { Accept: "text/html" } }, options || {}))
      .then(function (response) {
        var shown = new URL(response.url || url, location.href);
        var type = response.headers.get("Content-Type") || "";
        // an error page is shown too, as loading it would (each has a way on); anything else is loaded
        if (shown.origin !== location.origin || type.indexOf("text/html") !== 0) throw response;
        return response.text().then(function (text) { showPage(text, shown.pathname + shown.search); });
      });
  }

  // A page kept from before shows what was answered then; show the answers kept since.
  function markKept(form) {
    if (!form) return;
    var item = unsent().filter(function (old) {
      return old.token === form.elements.response.value && old.position === Number(form.dataset.position);
    })[0];
    if (!item) return;
    var values = item.fields.filter(function (f) { return f[0] === "answer"; }).map(function (f) { return f[1]; });
    form.querySelectorAll("button[name=answer]").forEach(function (b) {
      b.classList.toggle("chosen", values.indexOf(b.value) >= 0);
    });
    form.querySelectorAll("input[name=answer]").forEach(function (i) { i.checked = values.indexOf(i.value) >= 0; });
    var text = item.fields.filter(function (f) { return f[0] === "text"; })[0];
    if (text && form.elements.text) form.elements.text.value = text[1];
  }

  function showKeptEnd() {
    var main = document.getElementById("main");
    Array.prototype.slice.call(main.children).forEach(function (child) { if (child !== status) child.remove(); });
    var heading = document.createElement("h1");
    heading.textContent = status.dataset.keptHeading;
    heading.tabIndex = -1;
    main.appendChild(heading);
    say("kept");
    heading.focus();
  }

  function goOnOffline(item) {
    say("offline");
    if (item.last) { showKeptEnd(); return; }
    var html = sessionStorage.getItem(pageKey(item.token, item.position + 1));
    if (html) showPage(html, item.next);
    else say("waiting");
  }

  function onSubmit(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.question")) {
      if (!offline()) { goOnInPlace(event, form); return; }
      event.preventDefault();
      var target = new URL(form.action, location.href);  // Back is a button of its own GET form
      var kept = form.method === "get" && target.origin === location.origin && sessionStorage.getItem(pageKeyForPath(target.pathname));
      if (kept) showPage(kept, target.pathname);
      else say("later");
      return;
    }
    // Only real answers are kept for later: a user council's test page (no response token) posts as usual.
    if (!form.elements.response || !form.elements.response.value) return;
    event.preventDefault();
    var item = remember(form, fieldsOf(form, event.submitter));
    // One answer at a time: a second tap while this one is on its way would answer this question again.
    var buttons = Array.prototype.filter.call(form.elements, function (el) { return el.tagName === "BUTTON"; });
    buttons.forEach(function (b) { b.disabled = true; });
    sendAll().then(function (result) {
      if (result.sent[item.id]) {
        goTo(item.next).catch(function () { location.assign(item.next); });
        return;
      }
      var refused = result.refused[item.id];
      if (refused) { refused.text().then(function (html) { showPage(html, null); }); return; }
      buttons.forEach(function (b) { b.disabled = false; });
      goOnOffline(item);
    });
  }

  // A form marked data-in-place (Start) posts and shows its next page in place: a tap on it is the one that
  // lets read-aloud sound on every page after it (respond.js).
  function goOnInPlace(event, form) {
    if (!form.matches("form[data-in-place]") || form.method !== "post") return;
    event.preventDefault();
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    goTo(form.action, { method: "POST", body: new URLSearchParams(fieldsOf(form, event.submitter)) })
      .catch(function () {
        buttons.forEach(function (b) { b.disabled = false; });
        say("later");
      });
  }

  function onClick(event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.origin !== location.origin || !offline()) return;
    event.preventDefault();
    var html = sessionStorage.getItem(pageKeyForPath(link.pathname));
    if (html) showPage(html, link.pathname);
    else say("later");
  }

  function pageKeyForPath(path) {
    var form = questionForm();
    var match = /\/r\/(\d+)$/.exec(path);
    return form && match ? pageKey(form.elements.response.value, Number(match[1])) : "-";
  }

  function retry() {
    if (!unsent().length) return;
    sendAll().then(function (result) {
      var ids = Object.keys(result.sent);
      if (!ids.length) return;
      var ended = ids.map(function (id) { return result.sent[id]; }).filter(function (i) { return i.last; })[0];
      if (!unsent().length) say("sent");
      if (ended && !questionForm()) location.assign(ended.next);  // the kept end: now thank them
    });
  }

  // Keep this page, and fetch the one before (for Back) and every one after (once each, with their pictures),
  // so they can be shown offline. Pages of another response are dropped: one person's pages only.
  function prefetch(form) {
    var token = form.elements.response.value;
    var position = Number(form.dataset.position);
    for (var i = sessionStorage.length - 1; i >= 0; i--) {
      var key = sessionStorage.key(i);
      if (key.indexOf(PAGES) === 0 && key.indexOf(PAGES + token + ".") !== 0) sessionStorage.removeItem(key);
    }
    sessionStorage.setItem(pageKey(token, position), pristine);
    var wanted = [position - 1];
    for (var after = position + 1; after <= Number(form.dataset.total); after++) wanted.push(after);
    wanted.filter(function (p) { return p >= 1 && !sessionStorage.getItem(pageKey(token, p)); })
      .reduce(function (chain, p) {
        return chain.then(function () {
          return fetch(form.action.replace(/\/\d+$/, "/" + p), { credentials: "same-origin" });
        }).then(function (response) {
          return response.ok ? response.text() : null;
        }).then(function (html) {
          if (!html) return;
          sessionStorage.setItem(pageKey(token, p), html);
          new DOMParser().parseFromString(html, "text/html").querySelectorAll("img[src]").forEach(function (img) {
            fetch(img.getAttribute("src"), { credentials: "same-origin" }).catch(function () {});
          });
        }).catch(function () {});
      }, Promise.resolve());
  }

  function clearPages() {
    for (var i = sessionStorage.length - 1; i >= 0; i--) {
      var key = sessionStorage.key(i);
      if (key.indexOf(PAGES) === 0) sessionStorage.removeItem(key);
    }
  }

  // A page is shown (loaded, or in place online): keep it and the ones around it, or, when the questionnaire
  // is left, drop every kept page.
  function arrive(html) {
    pristine = html;
    var form = questionForm();
    if (form && form.elements.response && form.elements.response.value) prefetch(form);
    if (!form) clearPages();  // the questionnaire is left: nothing of it stays in this tab
  }

  document.addEventListener("DOMContentLoaded", function () {
    status = document.getElementById("connection");
    if (!status) return;
    var form = questionForm();
    if (form && navigator.onLine) window.addEventListener("load", function () { arrive(pristine); });
    if (!form) clearPages();
    document.addEventListener("submit", onSubmit);
    document.addEventListener("click", onClick);
    window.addEventListener("online", function () { unreachable = false; retry(); });
    window.addEventListener("offline", function () { say("offline"); });
    window.addEventListener("popstate", function () {
      var html = sessionStorage.getItem(pageKeyForPath(location.pathname));
      if (offline() && html) showPage(html, null);
      else location.reload();
    });
    setInterval(retry, RETRY_MS);
    retry();
  });
})();
