// Enhancements only: every page works without this script.
// Each page is set up when it loads and again when offline.js shows the next page in place (the event
// "survey:page"): the document, and its one audio element, stay the same from question to question.
// In tablet mode the thank-you page goes on to the next person by itself after a while.
// Focus starts at the page's heading, so that the first Tab reaches the question's speaker and the next
// the first answer, and a keyboard or switch never starts from the top of the page again.
function arriveAtPage() {
  "use strict";
  var heading = document.querySelector("main h1[tabindex='-1']");
  if (heading && (!document.activeElement || document.activeElement === document.body
                  || !document.body.contains(document.activeElement))) {
    heading.focus({ preventScroll: true });
  }
  var link = document.querySelector("a[data-follow-after]");
  if (link) setTimeout(function () { window.location.replace(link.href); }, 1000 * Number(link.dataset.followAfter));
}
document.addEventListener("DOMContentLoaded", arriveAtPage);
document.addEventListener("survey:page", arriveAtPage);

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

  var waiting = null;  // the page's main speaker while the browser wants a tap before it may sound
  var hint = null;     // the big button that says so

  function forgetWaiting() {
    waiting = null;
    if (hint) hint.remove();
    hint = null;
  }

  function readAloud() {
    forgetWaiting();
    var main = document.querySelector("button.speak[data-autoplay]:not([hidden])");
    if (document.body.dataset.readAloud !== "on" || !main) return;
    play(main).catch(function () {
      if (!document.body.contains(main)) return;  // another page is shown meanwhile
      // The browser wants a tap first (WebKit, on a document nobody has tapped yet): say so with a big
      // button beside the text.
      waiting = main;
      hint = document.createElement("button");
      hint.type = "button";
      hint.className = "primary hear";
      hint.textContent = main.dataset.blocked;
      (main.closest(".question-head") || main.closest(".spoken-row") || main).insertAdjacentElement("afterend", hint);
      hint.addEventListener("click", function () {
        forgetWaiting();
        play(main).catch(function () {});
      });
    });
  }

  // The first tap, touch or key after sound was refused plays the waiting text, whatever it lands on. WebKit
  // lets a document sound by itself once it has had a tap, so with the next pages shown in place in the same
  // document (offline.js) that one tap is the only one the questionnaire needs. A control tapped acts as well
  // (an answer goes on to the next question, which then sounds); a speaker plays its own text.
  function onGesture(event) {
    if (!waiting) return;
    var main = waiting;
    var target = event.target;
    if (target && target.closest && target.closest("button.speak, button.hear")) return;
    forgetWaiting();
    if (document.body.contains(main)) play(main).catch(function () {});
  }

  function setUpPage() {
    stop();
    document.querySelectorAll("button.speak").forEach(function (button) {
      if (button.dataset.audio || synth) button.hidden = false;
    });
    readAloud();
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
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("button.speak");
      if (button && !button.hidden) play(button).catch(function () {});
    });
    ["click", "touchend", "keydown"].forEach(function (name) { document.addEventListener(name, onGesture, true); });
    document.addEventListener("focusin", function (event) {
      var control = event.target;
      if (document.body.dataset.readAloud !== "on" || !control.matches || !control.matches(":focus-visible")) return;
      var row = control.closest(".option-row, .pair");
      var own = row && row.querySelector("button.speak:not([hidden])");
      if (own && own !== control && playing !== own) play(own).catch(function () {});
    });
    window.addEventListener("pagehide", stop);
    document.addEventListener("survey:page", setUpPage);
    setUpPage();
  });
})();
