// On a phone the main menu folds behind a "Meny" button, so the page starts with its
// content and not with a screenful of links; without JavaScript the menu is always shown.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector(".nav-toggle");
  const menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  document.documentElement.classList.add("js-nav");
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("is-open", open);
  });
});
