"""Cursor pagination for every list: a page costs the same on page 1 and page 1 000, and rows
added meanwhile neither repeat nor vanish. Each view orders by a unique key (``cursor_ordering``,
the id unless said otherwise)."""

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = ("pk",)

    def get_ordering(self, request, queryset, view):
        return tuple(getattr(view, "cursor_ordering", self.ordering))
