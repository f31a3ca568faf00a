/* Start Swagger UI (the framework's OpenAPI page) from bundled files: no inline script. */
window.addEventListener("load", function () {
  "use strict";
  var el = document.getElementById("swagger-ui");
  if (!el || !window.SwaggerUIBundle) return;
  window.SwaggerUIBundle({ url: el.dataset.openapiUrl, dom_id: "#swagger-ui", deepLinking: false });
});
