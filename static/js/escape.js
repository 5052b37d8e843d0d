// Escape folds an open menu and gives the focus back to its button (a <details> does not do this by
// itself); otherwise it leaves a confirmation without effect, like its "Terug" link (which works
// without this).
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || event.defaultPrevented) return;
  const menu = document.querySelector("details.site-menu[open]");
  if (menu && getComputedStyle(menu.querySelector("summary")).display !== "none") {
    menu.open = false;
    menu.querySelector("summary").focus();
    return;
  }
  const back = document.querySelector("a[data-escape]");
  if (back) back.click();
});
