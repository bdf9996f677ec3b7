"""gunicorn in production: `gunicorn ehalsa.wsgi` reads this file.

Threads per worker (gthread): a PDF export keeps one thread busy for seconds, while the worker's
other threads and the other workers keep answering pages.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
# A worker is replaced after this many requests, a guard against slow growth of memory. Seldom:
# each new worker starts with nothing kept (pages, plan bodies: a process's own cache unless
# DJANGO_CACHE_URL names a Redis), so its first request to each plan page renders it (0.2-0.3 s).
# PDFs, which grew a worker's memory, render in the task workers (manage.py db_worker), not here.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 100_000))
max_requests_jitter = max_requests // 10
# The application is loaded once, in the master (ehalsa/wsgi.py imports every view): workers, and
# those restarted after max_requests, are forked ready rather than importing for seconds on their
# first request. A new release needs a restart of the service (a HUP reloads no code).
preload_app = True
accesslog = "-"
# Long addresses (a search with many filters) reach the app, which answers those over 4 096
# characters with a Swedish page (ehalsa.middleware.LongAddressMiddleware); 8190 is gunicorn's
# ceiling short of "unlimited".
limit_request_line = 8190
