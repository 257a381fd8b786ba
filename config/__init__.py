"""The project: settings read from the environment, the URLs, the WSGI/ASGI entry points."""
