// Starts the vendored Swagger UI on /api/docs (a file, not an inline script: the CSP allows none).
// "Try it out" uses the page's session; writes then carry the CSRF token, as the API requires of
// cookie requests. With a token (Authorize), the token is sent instead.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  var csrf = document.querySelector('meta[name="csrf-token"]');
  window.SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    deepLinking: true,
    validatorUrl: null,
    tryItOutEnabled: false,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    requestInterceptor: function (request) {
      var method = (request.method || "GET").toUpperCase();
      if (csrf && ["GET", "HEAD", "OPTIONS"].indexOf(method) === -1) {
        request.headers["X-CSRFToken"] = csrf.content;
      }
      return request;
    }
  });
})();
