"""GraphQL mutation through which the frontend reports a page view."""

import graphene

from business.core.api.errors import FieldError, field_errors

from . import services

SECTION_MAX_LENGTH = 20


class RecordPageViewPayload(graphene.ObjectType):
    recorded = graphene.Boolean(required=True, description="是否已记录；超过频率限制时为假")
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class RecordPageView(graphene.Mutation):
    """Record that the visitor opened a portal screen; keeps no IP address."""

    class Arguments:
        path = graphene.String(required=True, description="前端页面路径，例如 /articles/12")
        page_id = graphene.ID(description="门户页面编号，文章详情页填写")
        section = graphene.String(description="栏目代码，栏目和文章页填写")

    Output = RecordPageViewPayload

    @staticmethod
    def mutate(root, info, path, page_id=None, section=None):
        problems = []
        if not path.startswith("/") or len(path) > services.MAX_PATH_LENGTH:
            problems.append(
                ("path", f"页面路径应以 / 开头，且不超过 {services.MAX_PATH_LENGTH} 个字符。", "invalid")
            )
        page_number = None
        if page_id is not None:
            if not str(page_id).isdigit():
                problems.append(("pageId", "页面编号应为数字。", "invalid"))
            else:
                page_number = int(page_id)
        if section and len(section) > SECTION_MAX_LENGTH:
            problems.append(("section", f"栏目代码不超过 {SECTION_MAX_LENGTH} 个字符。", "invalid"))
        if problems:
            return RecordPageViewPayload(recorded=False, errors=field_errors(problems))

        recorded = services.record_page_view(info.context, path, page_number, section or "")
        return RecordPageViewPayload(recorded=recorded, errors=[])


class AnalyticsMutation(graphene.ObjectType):
    record_page_view = RecordPageView.Field(description="记录一次门户页面浏览（只保存加盐摘要，不保存 IP）")
