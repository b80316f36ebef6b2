// The prep sheet's Print button: CSP forbids inline handlers, so it is wired here.
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("[data-print]")) {
    window.print();
  }
});
