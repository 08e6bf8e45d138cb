// Copy buttons: <button data-copy="input-id" data-copied="Copied"> copies that field's value.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("button[data-copy]").forEach((button) => {
    const label = button.textContent;
    button.addEventListener("click", async () => {
      const field = document.getElementById(button.dataset.copy);
      if (!field) return;
      try {
        await navigator.clipboard.writeText(field.value);
      } catch {
        // Clipboard API refused (plain http, old browser): select it for Ctrl+C instead.
        field.focus();
        field.select();
        document.execCommand("copy");
      }
      button.textContent = button.dataset.copied || label;
      setTimeout(() => { button.textContent = label; }, 2000);
    });
  });
});
