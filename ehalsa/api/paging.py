"""Page-number pagination with a page size chosen up to a limit; anything else is a 400 or a 404."""

import re

from django.conf import settings
from django.core.paginator import InvalidPage
from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination

from .errors import ApiError

NUMBER = re.compile(r"[1-9][0-9]{0,8}")


class PageNumbers(PageNumberPagination):
    page_size_query_param = "page_size"

    @property
    def max_page_size(self):
        return settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not NUMBER.fullmatch(raw) or int(raw) > self.max_page_size:
            raise ApiError(
                400,
                "invalid_page_size",
                _("The page size must be a whole number from 1 to %(maximum)s."),
                maximum=self.max_page_size,
            )
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not NUMBER.fullmatch(raw):
            raise ApiError(400, "invalid_page", _("The page must be a whole number from 1."))
        self.request = request
        page_size = self.get_page_size(request)
        paginator = self.django_paginator_class(queryset, page_size)
        try:
            self.page = paginator.page(int(raw or 1))
        except InvalidPage:
            raise ApiError(
                404,
                "page_not_found",
                _("There is no page %(page)s: there are %(pages)s."),
                page=raw,
                pages=paginator.num_pages,
            ) from None
        return list(self.page)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            parameter["schema"]["maximum"] = 999_999_999  # NUMBER: nine digits at most
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters
