"""django.contrib.staticfiles, less what no page uses."""

from django.contrib.staticfiles import apps as staticfiles


class StaticFilesConfig(staticfiles.StaticFilesConfig):
    """collectstatic leaves out what no page uses: ReDoc (the API's documentation is Swagger UI)
    and the browsable API's files (the API answers JSON only). They were three quarters of the
    files to compress, and so of collectstatic's time."""

    ignore_patterns = [
        *staticfiles.StaticFilesConfig.ignore_patterns,
        "drf_spectacular_sidecar/redoc/*",
        "rest_framework",
    ]
