// Live response rates: while the box is ticked, fetch this page every minute and swap in its table.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var table = document.getElementById("rates");
    var toggle = document.getElementById("live-updates");
    if (!table || !toggle || !window.fetch) return;
    toggle.closest("label").hidden = false;
    setInterval(function () {
      if (!toggle.checked) return;
      fetch(window.location.href, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("rates");
          if (fresh) table.replaceChildren.apply(table, Array.from(fresh.childNodes));
        })
        .catch(function () { /* keep the last figures; the next minute tries again */ });
    }, 60000);
  });
})();
