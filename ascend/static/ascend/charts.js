// Charts on report pages: a <canvas data-chart-src="…"> is drawn from the JSON at that
// address, which already has Chart.js's shape ({type, data, options}). No inline script.
document.addEventListener("DOMContentLoaded", () => {
  if (typeof window.Chart === "undefined") return;
  document.querySelectorAll("canvas[data-chart-src]").forEach((canvas) => {
    fetch(canvas.getAttribute("data-chart-src"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((config) => {
        const options = Object.assign({ responsive: true, maintainAspectRatio: false }, config.options || {});
        if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) options.animation = false;
        new window.Chart(canvas, { type: config.type || "bar", data: config.data, options });
        canvas.setAttribute("data-chart-ready", "true");
      })
      .catch(() => {
        canvas.setAttribute("data-chart-ready", "error");
      });
  });
});
