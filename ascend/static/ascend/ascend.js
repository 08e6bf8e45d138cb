// Small behaviours for server-rendered pages. htmx does the rest.
document.addEventListener("DOMContentLoaded", () => {
  // Buttons and forms that ask once before a destructive action.
  document.body.addEventListener("submit", (event) => {
    const form = event.target;
    const question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // One menu open at a time; a click elsewhere or Escape closes it.
  const menus = () => document.querySelectorAll("details.menu[open]");
  document.addEventListener("click", (event) => {
    menus().forEach((menu) => {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    menus().forEach((menu) => {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });
  // The language picker submits as soon as a language is chosen.
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  // A habit grid wider than the screen opens scrolled so today is in view.
  document.querySelectorAll(".habit-grid thead .is-today").forEach((cell) => {
    const wrap = cell.closest(".table-wrap");
    if (wrap && wrap.scrollWidth > wrap.clientWidth) {
      wrap.scrollLeft = cell.offsetLeft + 2 * cell.offsetWidth - wrap.clientWidth;
    }
  });
});
