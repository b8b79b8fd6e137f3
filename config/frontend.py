"""Serve the built single-page app's index.html for every frontend route."""

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

NOT_BUILT = """<!doctype html><html lang="zh-CN"><meta charset="utf-8">
<title>河南省计量综合服务管理平台</title>
<p>前端尚未构建。请在项目根目录运行 <code>./scripts/demo</code>，
或在 frontend 目录运行 <code>npm run build</code>。</p>
</html>"""


@require_GET
@ensure_csrf_cookie
def frontend_app(request, *args, **kwargs):
    index = settings.FRONTEND_DIST / "index.html"
    if not index.exists():
        return HttpResponse(NOT_BUILT, status=503)
    return HttpResponse(index.read_bytes(), content_type="text/html; charset=utf-8")
