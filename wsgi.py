"""The WSGI entry point for gunicorn: `gunicorn wsgi:app`."""
from jobmarket import create_app

app = create_app()
