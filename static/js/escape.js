// Escape leaves a confirmation without effect, like its "Terug" link (which works without this).
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || event.defaultPrevented) return;
  const back = document.querySelector("a[data-escape]");
  if (back) back.click();
});
