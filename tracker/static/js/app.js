// Small progressive enhancements shared by every page. Pages work without JavaScript.
(function () {
  "use strict";
  // Close the phone menu when the user taps outside it.
  document.addEventListener("click", function (event) {
    var menu = document.querySelector("details.menu[open]");
    if (menu && !menu.contains(event.target)) menu.removeAttribute("open");
  });
  // Ask before submitting forms that carry data-confirm (e.g. deactivation).
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();
