// Renders /openapi.json with Swagger UI. A file of its own, not an inline script, so
// that the page's Content-Security-Policy can forbid inline scripts.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    // The default would load a badge from validator.swagger.io.
    validatorUrl: null,
  });
});
