"""Download of an enterprise attachment by a signed-in user whose scope covers it."""

import logging

from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_GET

from business.access import NotFoundError, PermissionDeniedError, get_in_scope

from .models import AttachmentVersion

logger = logging.getLogger(__name__)

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


def _plain_text(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


@require_GET
def attachment_download(request, version_id: int):
    """Stream one version of an attachment, always as a download and never inline."""
    user = getattr(request, "business_user", None)
    if user is None:
        return _plain_text("尚未登录或登录已过期，请重新登录后下载。", 401)
    if user.password_change_required:
        return _plain_text("请先修改密码再下载附件。", 403)
    try:
        version = get_in_scope(
            AttachmentVersion.objects.select_related("attachment").filter(
                attachment__is_deleted=False
            ),
            user,
            "organisation.view",
            version_id,
            noun="附件",
        )
    except PermissionDeniedError as error:
        return _plain_text(error.message, 403)
    except NotFoundError:
        raise Http404("附件不存在或不在您的数据范围内") from None

    logger.info("Business user %s downloaded attachment version %s", user.pk, version.pk)
    extension = EXTENSIONS.get(version.content_type, "bin")
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=f"{version.attachment.title}-v{version.number}.{extension}",
        content_type=version.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
