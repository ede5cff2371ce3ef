// Enhancements only: every page works without this script.
// In tablet mode the thank-you page goes on to the next person by itself after a while.
document.addEventListener("DOMContentLoaded", function () {
  var link = document.querySelector("a[data-follow-after]");
  if (link) setTimeout(function () { window.location.replace(link.href); }, 1000 * Number(link.dataset.followAfter));
});

// Speaker buttons read a text aloud with the browser's own speech until server audio exists;
// where the browser cannot speak, the buttons stay hidden. One text plays at a time.
(function () {
  "use strict";
  var synth = window.speechSynthesis;
  if (!synth || typeof window.SpeechSynthesisUtterance !== "function") return;
  var BCP47 = { sv: "sv-SE", nb: "nb-NO", en: "en-GB" };
  var playing = null;

  function stop() {
    synth.cancel();
    if (playing) playing.classList.remove("playing");
    playing = null;
  }

  function speak(button) {
    var again = playing === button;
    stop();
    if (again) return;
    var utterance = new SpeechSynthesisUtterance(button.dataset.speak);
    utterance.lang = BCP47[button.dataset.lang] || button.dataset.lang;
    utterance.onend = utterance.onerror = function () {
      if (playing === button) stop();
    };
    playing = button;
    button.classList.add("playing");
    synth.speak(utterance);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button.speak").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { speak(button); });
    });
  });
})();
