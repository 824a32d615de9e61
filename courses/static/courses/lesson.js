// Knowledge checks answer at once, and reflections save without leaving the
// page. Without JavaScript both forms still work by a normal post.
(function () {
  "use strict";
  async function post(form) {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    return { ok: response.ok, data: await response.json() };
  }

  document.querySelectorAll("form.js-check").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const box = form.querySelector(".js-feedback");
      try {
        const { data } = await post(form);
        const alert = document.createElement("div");
        alert.className = "alert mb-0 " + (data.correct ? "alert-success" : "alert-warning");
        if (data.error) {
          alert.textContent = data.error;
        } else {
          const verdict = document.createElement("strong");
          verdict.textContent = data.verdict + " ";
          alert.append(verdict, data.feedback || "");
        }
        box.replaceChildren(alert);
      } catch (error) {
        form.submit();
      }
    });
  });

  document.querySelectorAll("form.js-reflection").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const status = form.querySelector(".js-status");
      try {
        const { ok, data } = await post(form);
        status.textContent = ok ? data.message : data.error;
        status.classList.toggle("text-danger", !ok);
        status.classList.toggle("text-success", ok);
      } catch (error) {
        form.submit();
      }
    });
  });
})();
