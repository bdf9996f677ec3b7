from django.http import HttpResponse


class HealthCheckMiddleware:
    """Answer ``/healthz`` first, before sessions, hosts or the database are touched.

    Load balancers call it to see that the process is alive; the benchmarks use it as the floor.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return HttpResponse("ok", content_type="text/plain; charset=utf-8")
        return self.get_response(request)
