"""Page-numbered lists for the business screens' tables.

The screens show a table with a page number, a page size and the total, the pattern
users know from the Chinese admin frameworks, so business lists use offset pages rather
than Relay cursors. ``page_type`` builds the GraphQL type of one page of a node type;
``paginate`` slices a queryset and caps the page size.
"""

import graphene

from .errors import PublicError

DEFAULT_PAGE_SIZE = 20
# Largest page any business list returns; larger requests are refused, not cut, so that
# a table never silently shows fewer rows than it asked for.
MAX_PAGE_SIZE = 100


def page_arguments() -> dict:
    """The ``page`` and ``pageSize`` arguments every list field takes."""
    return {
        "page": graphene.Int(default_value=1, description="页码，从 1 开始"),
        "page_size": graphene.Int(
            default_value=DEFAULT_PAGE_SIZE, description=f"每页条数，1 至 {MAX_PAGE_SIZE}"
        ),
    }


def page_type(node_type, name: str, description: str):
    """Return a GraphQL object type ``name`` with items, totalCount, page and pageSize."""
    return type(
        name,
        (graphene.ObjectType,),
        {
            "items": graphene.List(graphene.NonNull(node_type), required=True),
            "total_count": graphene.Int(required=True, description="符合条件的总条数"),
            "page": graphene.Int(required=True, description="当前页码"),
            "page_size": graphene.Int(required=True, description="每页条数"),
            "Meta": type("Meta", (), {"description": description}),
        },
    )


def paginate(queryset, page: int, page_size: int) -> dict:
    """Return the keyword arguments of a page type for ``queryset``.

    The queryset must be ordered; the total is counted with one COUNT query.
    """
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise PublicError(
            f"每页条数（pageSize）应在 1 至 {MAX_PAGE_SIZE} 之间，请调整后重试。",
            code="INVALID_PAGE_SIZE",
        )
    if page < 1:
        raise PublicError("页码（page）应从 1 开始，请调整后重试。", code="INVALID_PAGE")
    total = queryset.count()
    start = (page - 1) * page_size
    items = list(queryset[start : start + page_size]) if start < total else []
    return {"items": items, "total_count": total, "page": page, "page_size": page_size}
