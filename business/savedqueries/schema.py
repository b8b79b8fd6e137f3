"""GraphQL API of saved query conditions, always of the signed-in user only."""

import graphene

from business.accounts.permissions import require_business_user
from business.audit import services as audit
from business.core.api.errors import FieldError, field_errors

from . import services
from .models import SavedQuery


def _channel(request) -> str:
    return "mobile" if getattr(request, "access_token", None) is not None else "pc"


class SavedQueryType(graphene.ObjectType):
    id = graphene.ID(required=True, description="编号")
    screen = graphene.String(required=True, description="页面标识，如 organisations.list")
    name = graphene.String(required=True, description="名称")
    conditions = graphene.JSONString(required=True, description="查询表单的取值：JSON 对象的文本")
    is_default = graphene.Boolean(required=True, description="打开页面时是否自动使用")
    updated_at = graphene.DateTime(required=True, description="修改时间")

    class Meta:
        name = "SavedQuery"
        description = "当前用户保存的一组查询条件"

    @staticmethod
    def build(saved: SavedQuery):
        return SavedQueryType(
            id=str(saved.pk),
            screen=saved.screen,
            name=saved.name,
            conditions=saved.conditions,
            is_default=saved.is_default,
            updated_at=saved.updated_at,
        )


class SaveQuery(graphene.Mutation):
    class Meta:
        name = "SaveQueryPayload"
        description = "保存查询条件的结果；同名的会被覆盖"

    class Arguments:
        screen = graphene.String(required=True, description="页面标识")
        name = graphene.String(required=True, description="名称")
        conditions = graphene.JSONString(
            required=True, description="查询表单的取值：JSON 对象的文本"
        )
        is_default = graphene.Boolean(default_value=False, description="设为默认条件")

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    saved_query = graphene.Field(SavedQueryType)

    @staticmethod
    def mutate(root, info, screen, name, conditions, is_default=False):
        user = require_business_user(info)
        try:
            saved = services.save_query(
                user,
                screen=screen,
                name=name,
                conditions=conditions,
                is_default=is_default,
                request_info=audit.request_info_from(info.context, _channel(info.context)),
            )
        except services.SavedQueryError as error:
            return SaveQuery(errors=field_errors(error.errors))
        return SaveQuery(errors=[], saved_query=SavedQueryType.build(saved))


class DeleteSavedQuery(graphene.Mutation):
    class Meta:
        name = "DeleteSavedQueryPayload"
        description = "删除查询条件的结果"

    class Arguments:
        id = graphene.ID(required=True, description="编号")

    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @staticmethod
    def mutate(root, info, id):
        user = require_business_user(info)
        text = str(id)
        deleted = (
            text.isascii()
            and text.isdigit()
            and len(text) <= 18
            and services.delete_query(
                user, int(text), audit.request_info_from(info.context, _channel(info.context))
            )
        )
        if not deleted:
            return DeleteSavedQuery(
                errors=field_errors(
                    [("id", "该查询条件不存在或已删除，请刷新后重试。", "not_found")]
                )
            )
        return DeleteSavedQuery(errors=[])


class SavedQueryQuery(graphene.ObjectType):
    saved_queries = graphene.List(
        graphene.NonNull(SavedQueryType),
        required=True,
        screen=graphene.String(required=True, description="页面标识"),
        description="当前用户在某页面保存的查询条件，默认条件在前",
    )

    @staticmethod
    def resolve_saved_queries(root, info, screen):
        user = require_business_user(info)
        return [SavedQueryType.build(saved) for saved in services.saved_queries(user, screen)]


class SavedQueryMutation(graphene.ObjectType):
    save_query = SaveQuery.Field(description="保存当前用户的查询条件")
    delete_saved_query = DeleteSavedQuery.Field(description="删除当前用户的一个查询条件")
