// Charts on report pages, with no inline script: a <canvas data-chart-src="…"> is drawn from
// the JSON at that address, a <canvas data-chart-json="id"> from the JSON of the
// <script type="application/json" id="id"> on the page (Django's json_script). Either JSON
// already has Chart.js's shape ({type, data, options}).
document.addEventListener("DOMContentLoaded", () => {
  if (typeof window.Chart === "undefined") return;
  const draw = (canvas, config) => {
    const options = Object.assign({ responsive: true, maintainAspectRatio: false }, config.options || {});
    if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) options.animation = false;
    new window.Chart(canvas, { type: config.type || "bar", data: config.data, options });
    canvas.setAttribute("data-chart-ready", "true");
  };
  document.querySelectorAll("canvas[data-chart-src]").forEach((canvas) => {
    fetch(canvas.getAttribute("data-chart-src"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((config) => draw(canvas, config))
      .catch(() => {
        canvas.setAttribute("data-chart-ready", "error");
      });
  });
  document.querySelectorAll("canvas[data-chart-json]").forEach((canvas) => {
    const source = document.getElementById(canvas.getAttribute("data-chart-json"));
    try {
      draw(canvas, JSON.parse(source.textContent));
    } catch (error) {
      canvas.setAttribute("data-chart-ready", "error");
    }
  });
});
