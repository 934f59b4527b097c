// Small progressive enhancements shared by every page. Pages work without JavaScript.
(function () {
  "use strict";
  // Close the phone menu when the user taps outside it.
  document.addEventListener("click", function (event) {
    var menu = document.querySelector("details.menu[open]");
    if (menu && !menu.contains(event.target)) menu.removeAttribute("open");
  });
  // Filter panels open on a desk close on a phone, so that the figures come first (a panel with
  // a value to correct is rendered without the attribute).
  if (window.matchMedia("(max-width: 599.98px)").matches) {
    document.querySelectorAll("details[data-close-on-phone]").forEach(function (d) { d.open = false; });
  }
  // Ask before submitting forms that carry data-confirm (e.g. deactivation).
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();
