"""Home page by role, language switching and the health check."""
