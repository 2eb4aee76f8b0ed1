// Renders /openapi.json with swagger-ui, served by this server (no CDN).
window.addEventListener('DOMContentLoaded', () => {
  window.ui = window.SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, tryItOutEnabled: false });
});
