// The step timer of the "run" view: counts down the step's minutes, and keeps
// counting across a page reload (the start time is kept in sessionStorage).
(function () {
  "use strict";
  const box = document.getElementById("timer");
  if (!box) return;
  const total = Number(box.dataset.seconds) * 60;
  const key = box.dataset.key;
  const display = box.querySelector("[data-timer-display]");
  const alertBox = box.querySelector("[data-timer-alert]");
  const buttons = {};
  box.querySelectorAll("[data-timer]").forEach(function (button) {
    buttons[button.dataset.timer] = button;
    button.hidden = false;
  });
  let state = JSON.parse(sessionStorage.getItem(key) || "null") || { startedAt: null, spent: 0 };
  let ticking = null;

  function remaining() {
    const running = state.startedAt ? (Date.now() - state.startedAt) / 1000 : 0;
    return Math.round(total - state.spent - running);
  }
  function show() {
    const left = remaining();
    const abs = Math.abs(left);
    const text = String(Math.floor(abs / 60)).padStart(2, "0") + ":" + String(abs % 60).padStart(2, "0");
    display.textContent = (left < 0 ? "−" : "") + text;
    display.classList.toggle("text-danger", left <= 0);
    if (left === 0 && alertBox) alertBox.textContent = alertBox.dataset.text;
    buttons.start.disabled = Boolean(state.startedAt);
    buttons.pause.disabled = !state.startedAt;
  }
  function save() { sessionStorage.setItem(key, JSON.stringify(state)); }
  function run() {
    clearInterval(ticking);
    if (state.startedAt) ticking = setInterval(show, 500);
    show();
  }
  buttons.start.addEventListener("click", function () { state.startedAt = Date.now(); save(); run(); });
  buttons.pause.addEventListener("click", function () {
    state.spent += (Date.now() - state.startedAt) / 1000; state.startedAt = null; save(); run();
  });
  buttons.reset.addEventListener("click", function () { state = { startedAt: null, spent: 0 }; save(); run(); });
  run();
})();
