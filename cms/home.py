"""The portal home as plain data, built from the home page's blocks and cached.

The home shows only public content, so one cached copy per requested division
serves every visitor. Publishing, unpublishing, moving or deleting any page, and
changing an image or a document, replace the cache version (``invalidate``), so
the next request rebuilds the data. Entries also expire after
``PORTAL_HOME_CACHE_SECONDS`` in case a change arrives by a path that sends no
signal (QuerySet.update(), raw SQL).

The cache is Django's default cache: in-process in development and tests, Redis
when ``REDIS_URL`` is set. With the in-process cache each server process keeps its
own copy, so in a multi-process deployment without Redis a change reaches the other
processes only when their entries expire.
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache

from . import readership
from .blocks import LINK_CATEGORIES, NEWS_SECTION_CHOICES, PICTURE_POSITIONS
from .models import SECTION_MODELS, ArticlePage, DivisionHomeLayout, HomePage, SectionIndexPage

logger = logging.getLogger(__name__)

VERSION_KEY = "portal:home:version"
DEFAULT_CACHE_SECONDS = 300

BANNER_RENDITION = "fill-1200x360"
PICTURE_RENDITION = "width-1200"

SECTION_LABELS = dict(NEWS_SECTION_CHOICES)


def invalidate() -> None:
    """Make every cached home stale; the next request rebuilds it."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    logger.debug("Portal home cache invalidated")


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        # add() keeps a version another process has just set.
        if not cache.add(VERSION_KEY, version, None):
            version = cache.get(VERSION_KEY) or version
    return version


def cache_seconds() -> int:
    return getattr(settings, "PORTAL_HOME_CACHE_SECONDS", DEFAULT_CACHE_SECONDS)


def home_data(division_code: str | None) -> dict | None:
    """Return the home data for ``division_code`` (None for the province), cached."""
    key = f"portal:home:{_version()}:{division_code or 'province'}"
    data = cache.get(key)
    if data is None:
        data = build_home(division_code)
        cache.set(key, data, cache_seconds())
    return data


# --- building --------------------------------------------------------------------------


def page_route(page) -> str | None:
    """Return the frontend route of a page, or None when the frontend has no screen for it."""
    page = page.specific
    if isinstance(page, ArticlePage):
        return f"/articles/{page.pk}"
    if isinstance(page, SectionIndexPage):
        section = section_of_index(page)
        return f"/sections/{section}" if section else None
    if isinstance(page, HomePage):
        return "/"
    return None


def section_of_index(index_page) -> str | None:
    """Return the section key of the first content type found under a section index page."""
    for key, model in SECTION_MODELS.items():
        if model.objects.child_of(index_page).exists():
            return key
    return None


def _link(value) -> dict:
    """Turn a LinkTargetBlock value into {href, external}; href is None without a visible target."""
    if not value:
        return {"href": None, "external": False}
    from .guard import page_visible

    page = value.get("page")
    if page is not None:
        if not page_visible(page, readership.ANONYMOUS, _restricted_paths()):
            return {"href": None, "external": False}
        return {"href": page_route(page), "external": False}
    url = value.get("url") or None
    return {"href": url, "external": bool(url)}


def _restricted_paths():
    from .guard import _restricted_paths

    return _restricted_paths(None)


def _image(image, spec: str) -> dict | None:
    if image is None:
        return None
    rendition = image.get_rendition(spec)
    return {"url": rendition.url, "width": rendition.width, "height": rendition.height}


def public_articles(section: str, count: int) -> list[dict]:
    model = SECTION_MODELS[section]
    rows = (
        model.objects.live()
        .public()
        .filter(audience=readership.Audience.PUBLIC)
        .order_by("-date", "-pk")
        .only("pk", "title", "date")[:count]
    )
    return [
        {"id": str(row.pk), "title": row.title, "date": row.date.isoformat(), "section": section}
        for row in rows
    ]


def _block_data(block) -> dict | None:
    value = block.value
    base = {"id": block.id, "kind": block.block_type}
    if block.block_type == "banner":
        slides = []
        for slide in value["slides"]:
            slides.append(
                {
                    "title": slide["title"],
                    "caption": slide.get("caption") or "",
                    "image": _image(slide["image"], BANNER_RENDITION),
                    **_link(slide.get("link")),
                }
            )
        return {**base, "slides": slides}
    if block.block_type == "picture":
        return {
            **base,
            "position": value["position"],
            "position_label": dict(PICTURE_POSITIONS).get(value["position"], ""),
            "title": value["title"],
            "image": _image(value["image"], PICTURE_RENDITION),
            **_link(value.get("link")),
        }
    if block.block_type == "news_tabs":
        tabs = [
            {
                "section": section,
                "title": SECTION_LABELS[section],
                "items": public_articles(section, value["count"]),
            }
            for section in value["sections"]
            if section in SECTION_MODELS
        ]
        return {**base, "tabs": tabs}
    if block.block_type == "topic_tiles":
        tiles = [
            {"title": tile["title"], "description": tile.get("description") or "", **_link(tile["link"])}
            for tile in value["tiles"]
        ]
        return {**base, "title": value["title"], "tiles": tiles}
    if block.block_type == "links":
        labels = dict(LINK_CATEGORIES)
        links = [
            {
                "title": link["title"],
                "href": link["url"],
                "external": True,
                "category": link["category"],
                "category_label": labels.get(link["category"], ""),
            }
            for link in value["links"]
        ]
        return {**base, "title": value["title"], "links": links}
    return None


def _layout_for(home: HomePage, division_code: str | None):
    """Return (layout, division) for the code: its own layout, else the nearest above it."""
    from business.reference.models import Division

    if not division_code:
        return home.layout, None
    layouts = {
        row.division_id: row
        for row in DivisionHomeLayout.objects.filter(page=home).select_related("division")
    }
    division = Division.objects.filter(code=division_code).select_related(
        "parent__parent__parent"
    ).first()
    current = division
    while current is not None:
        if current.code in layouts:
            return layouts[current.code].layout, layouts[current.code].division
        current = current.parent
    return home.layout, None


def build_home(division_code: str | None) -> dict | None:
    home = HomePage.objects.live().first()
    if home is None:
        return None
    layout, division = _layout_for(home, division_code)
    blocks = [data for data in (_block_data(block) for block in layout) if data is not None]
    if not blocks:
        # A home page without blocks still shows the three news tabs.
        blocks = [
            {
                "id": "default-news",
                "kind": "news_tabs",
                "tabs": [
                    {"section": key, "title": SECTION_LABELS[key], "items": public_articles(key, 8)}
                    for key in ("work_updates", "notices", "laws")
                ],
            }
        ]
    divisions = [
        {"code": row.division_id, "name": row.division.name}
        for row in DivisionHomeLayout.objects.filter(page=home)
        .select_related("division")
        .order_by("division_id")
    ]
    return {
        "title": home.title,
        "introduction": home.introduction,
        "division": {"code": division.code, "name": division.name} if division else None,
        "divisions": divisions,
        "blocks": blocks,
    }
