// bidvet workspace: ask before the two actions that cannot be undone.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form#approve, form#return")) {
    form.addEventListener("submit", (event) => {
      const what = form.id === "approve" ? "Sign off this decision?" : "Return this proposal?";
      if (!window.confirm(what)) event.preventDefault();
    });
  }
});
