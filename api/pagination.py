"""The API's pagination (its own module: DRF imports it while `rest_framework.generics` loads)."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100
