"""End-to-end tests: the real app under gunicorn, driven by Debian's Chromium through Playwright."""
