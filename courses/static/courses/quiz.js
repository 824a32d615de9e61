// Saves each quiz answer as it is given. Every save carries a number that
// grows per question, so a retried or late save never overwrites a newer one.
// Saves that fail for want of a connection wait and are sent again.
(function () {
  "use strict";
  const form = document.querySelector("form.quiz");
  if (!form) return;
  const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  const saveUrl = (position) => form.dataset.saveUrl.replace(/0\/$/, position + "/");
  const pending = new Map();

  function answerOf(fieldset) {
    const kind = fieldset.dataset.kind;
    const name = "q" + fieldset.dataset.position;
    if (kind === "multiple") {
      return { options: [...fieldset.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value) };
    }
    if (kind === "matching") {
      const matches = {};
      fieldset.querySelectorAll("select[data-item]").forEach((s) => { matches[s.dataset.item] = s.value; });
      return { matches };
    }
    if (kind === "short") {
      return { text: fieldset.querySelector("textarea").value };
    }
    const chosen = fieldset.querySelector(`input[name="${name}"]:checked`);
    return chosen ? { option: chosen.value } : null;
  }

  function status(fieldset, text, isError) {
    const element = fieldset.querySelector(".js-save-status");
    element.textContent = text;
    element.classList.toggle("text-danger", !!isError);
    element.classList.toggle("text-success", !isError && text === form.dataset.savedText);
  }

  async function send(fieldset) {
    const position = fieldset.dataset.position;
    const body = pending.get(position);
    if (!body) return;
    status(fieldset, form.dataset.savingText);
    try {
      const response = await fetch(saveUrl(position), {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
        body: JSON.stringify(body),
        credentials: "same-origin",
      });
      const data = await response.json();
      if (pending.get(position) === body) pending.delete(position);
      if (data.saved) {
        status(fieldset, form.dataset.savedText);
      } else if (data.closed) {
        window.location.assign(data.review);
      } else {
        status(fieldset, data.error, true);
      }
    } catch (error) {
      status(fieldset, form.dataset.offlineText, true);
      setTimeout(() => send(fieldset), 3000);
    }
  }

  function save(fieldset) {
    const answer = answerOf(fieldset);
    if (answer === null) return;
    const seq = Number(fieldset.dataset.seq) + 1;
    fieldset.dataset.seq = seq;
    pending.set(fieldset.dataset.position, { seq, answer });
    send(fieldset);
  }

  const timers = new Map();
  form.querySelectorAll("fieldset.quiz-question").forEach((fieldset) => {
    fieldset.addEventListener("change", () => save(fieldset));
    fieldset.addEventListener("input", (event) => {
      if (event.target.tagName !== "TEXTAREA") return;
      clearTimeout(timers.get(fieldset));
      timers.set(fieldset, setTimeout(() => save(fieldset), 800));
    });
  });
  window.addEventListener("online", () => {
    form.querySelectorAll("fieldset.quiz-question").forEach((fieldset) => send(fieldset));
  });

  const timer = document.querySelector(".quiz-timer");
  if (timer) {
    const deadline = new Date(timer.dataset.deadline);
    const remaining = timer.querySelector(".js-remaining");
    const tick = () => {
      const seconds = Math.max(0, Math.round((deadline - new Date()) / 1000));
      const text = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
      remaining.textContent = form.dataset.remainingText.replace("%(time)s", text);
      if (seconds === 0) {
        form.querySelector("button[name=submit]").click();
      } else {
        setTimeout(tick, seconds > 60 ? 15000 : 1000);
      }
    };
    tick();
  }
})();
