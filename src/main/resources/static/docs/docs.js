// Swagger UI over the service's hand-written contract (no generated spec). A file of its own rather than an inline
// script: the Content-Security-Policy allows scripts from this origin only.
window.ui = SwaggerUIBundle({
  url: new URL('../openapi.yaml', document.baseURI).href,
  dom_id: '#swagger-ui',
  deepLinking: true,
  tryItOutEnabled: true,      // "try it out" is open on every operation: Execute calls this service
  displayRequestDuration: true,
  validatorUrl: null,         // no badge fetched from another origin
  defaultModelsExpandDepth: 0,
});
