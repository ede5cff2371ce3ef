// Enhancements only: every page works without this script.
// In tablet mode the thank-you page goes on to the next person by itself after a while.
// Focus starts at the page's heading, so that the first Tab reaches the question's speaker and the next
// the first answer, and a keyboard or switch never starts from the top of the page again.
document.addEventListener("DOMContentLoaded", function () {
  var heading = document.querySelector("main h1[tabindex='-1']");
  if (heading && (!document.activeElement || document.activeElement === document.body)) {
    heading.focus({ preventScroll: true });
  }
  var link = document.querySelector("a[data-follow-after]");
  if (link) setTimeout(function () { window.location.replace(link.href); }, 1000 * Number(link.dataset.followAfter));
});

// Speaker buttons play their clip from the server (data-audio) through one shared audio element, so
// only one text sounds at a time, and the sounding button is marked (class "playing", aria-pressed).
// Where a button has no clip, or its clip cannot be played, the browser's own speech reads the text
// (data-speak); where neither can sound, the buttons stay hidden. With the sound switched off the
// server leaves the buttons out. "Read aloud" plays the page's main text (data-autoplay) on arrival,
// or at the first tap where the browser allows no sound before one. With read aloud on, a control that
// the keyboard or a switch reaches says itself through the speaker beside it (only the page's main
// speaker is a Tab stop, so that the first answer is two presses away).
(function () {
  "use strict";
  var BCP47 = { sv: "sv-SE", nb: "nb-NO", en: "en-GB" };
  var CONTROLS = "button, a, input, textarea, label, select";
  var synth = window.speechSynthesis && typeof window.SpeechSynthesisUtterance === "function"
    ? window.speechSynthesis : null;
  var audio = null;
  var playing = null;
  var fellBack = null;  // the button whose clip failed, now read by the browser

  function mark(button, on) {
    button.classList.toggle("playing", on);
    button.setAttribute("aria-pressed", on ? "true" : "false");
  }

  function stop() {
    if (audio) audio.pause();
    if (synth) synth.cancel();
    if (playing) mark(playing, false);
    playing = null;
  }

  function speakWithBrowser(button) {
    if (!synth) {
      stop();
      return;
    }
    var utterance = new SpeechSynthesisUtterance(button.dataset.speak);
    utterance.lang = BCP47[button.dataset.lang] || button.dataset.lang;
    utterance.onend = utterance.onerror = function () {
      if (playing === button) stop();
    };
    synth.speak(utterance);
  }

  function fallBack(button) {
    if (fellBack === button) return;  // both the play() promise and the error event report one failure
    fellBack = button;
    speakWithBrowser(button);
  }

  // Play a button's text; tapping the sounding button again stops it. Rejects only when the
  // browser wants a tap first.
  function play(button) {
    var again = playing === button;
    stop();
    if (again) return Promise.resolve();
    playing = button;
    fellBack = null;
    mark(button, true);
    if (!button.dataset.audio) {
      speakWithBrowser(button);
      return Promise.resolve();
    }
    audio.src = button.dataset.audio;
    return audio.play().catch(function (err) {
      if (playing !== button) return;  // another text was chosen meanwhile
      if (err && err.name === "NotAllowedError") {
        stop();
        throw err;
      }
      fallBack(button);  // the clip could not be loaded or decoded
    });
  }

  function readAloud() {
    var main = document.querySelector("button.speak[data-autoplay]:not([hidden])");
    if (document.body.dataset.readAloud !== "on" || !main) return;
    play(main).catch(function () {
      // The browser wants a tap first (WebKit, on every new page): say so with a big button beside the text.
      var hear = document.createElement("button");
      hear.type = "button";
      hear.className = "primary hear";
      hear.textContent = main.dataset.blocked;
      (main.closest(".question-head") || main.closest(".spoken-row") || main).insertAdjacentElement("afterend", hear);
      hear.addEventListener("click", function () { play(main).catch(function () {}); });
      var events = ["click", "touchend", "keydown"];
      function firstGesture(event) {
        events.forEach(function (name) { document.removeEventListener(name, firstGesture, true); });
        hear.remove();
        var target = event.target;
        if (target && target.closest && target.closest(CONTROLS)) return;  // that control acts itself
        play(main).catch(function () {});
      }
      events.forEach(function (name) { document.addEventListener(name, firstGesture, true); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    audio = document.createElement("audio");
    audio.preload = "none";
    audio.className = "player";
    audio.addEventListener("ended", function () { stop(); });
    audio.addEventListener("error", function () {
      if (playing && playing.dataset.audio) fallBack(playing);
    });
    document.body.appendChild(audio);
    document.querySelectorAll("button.speak").forEach(function (button) {
      if (!button.dataset.audio && !synth) return;
      button.hidden = false;
      button.addEventListener("click", function () { play(button).catch(function () {}); });
    });
    document.addEventListener("focusin", function (event) {
      var control = event.target;
      if (document.body.dataset.readAloud !== "on" || !control.matches || !control.matches(":focus-visible")) return;
      var row = control.closest(".option-row, .pair");
      var own = row && row.querySelector("button.speak:not([hidden])");
      if (own && own !== control && playing !== own) play(own).catch(function () {});
    });
    window.addEventListener("pagehide", stop);
    readAloud();
  });
})();
