// Lesson progress (decision 1313): report the player's position, or the seconds this page was
// visible for a reading lesson, every 10 seconds. The server credits no more than real time.
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box) return;
  var url = box.getAttribute("data-progress-url");
  var mode = box.getAttribute("data-mode");
  var video = document.querySelector("video[data-testid='lesson-video']");
  var csrf = box.getAttribute("data-csrf");
  var reading = parseFloat(box.getAttribute("data-credited")) || 0;
  var watched = reading; // highest position reached by playing, not by seeking
  var last = null;
  var finished = false;

  if (video) {
    video.addEventListener("timeupdate", function () {
      var t = video.currentTime;
      if (last !== null && t > last && t - last < 2 && t > watched) watched = t;
      last = t;
    });
    video.addEventListener("seeking", function () { last = null; });
  }

  function send() {
    if (finished) return;
    var position = mode === "video" ? watched : reading;
    var body = new URLSearchParams({ position: position.toFixed(1) });
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf },
      body: body,
    })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        var shown = box.querySelector("[data-credited-text]");
        if (shown) shown.textContent = Math.floor(data.credited);
        var watch = box.querySelector("[data-requirement='watch']");
        if (watch && data.watched) {
          var todo = watch.querySelector("[data-todo]");
          if (todo) todo.hidden = true;
          watch.querySelector("[data-done]").hidden = false;
        }
        if (data.done) {
          finished = true;
          var done = box.querySelector("[data-done-text]");
          if (done) done.hidden = false;
        }
      })
      .catch(function () {});
  }

  setInterval(function () {
    if (mode === "reading" && document.visibilityState === "visible") reading += 10;
    if (mode === "reading" || (video && !video.paused)) send();
  }, 10000);
  if (video) {
    video.addEventListener("pause", send);
    video.addEventListener("ended", send);
  }
})();
