"""Anonymous clients are throttled per address (a Swedish 429 with Retry-After: api.handler)."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    """Requests per client address, counted in the project's cache; the rate is read from the
    settings at each request (``API_ANON_RATE``), so that it can be set per deployment."""

    def get_rate(self):
        return settings.API_ANON_RATE

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)
