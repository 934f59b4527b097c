"""The installable, offline-capable incident form: manifest, service worker, outbox page."""
