/* Meeting pages. The strict CSP allows no inline script; every page also works without this file. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();
