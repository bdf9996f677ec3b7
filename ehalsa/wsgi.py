"""WSGI entry point, served by gunicorn in production."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ehalsa.settings")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (settings are configured by now)
from django.urls import get_resolver  # noqa: E402

from ehalsa.freshness import code_version  # noqa: E402

if not settings.DEBUG and not settings.SECRET_KEY_FROM_ENVIRONMENT:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY before serving with DJANGO_DEBUG off.")

# Everything a request may need is imported here, once: under gunicorn (``preload_app``) in the
# master, so a worker, and every worker restarted after ``max_requests``, starts with it loaded
# instead of spending seconds on its first request (the URLconf imports the views, the PDF
# renderer WeasyPrint among them). The code's version, which keys kept pages, is read here too.
get_resolver().url_patterns  # noqa: B018
code_version()
