"""GraphQL API of surveys: filling in (public or signed in) and managing (regulators)."""

import base64

import django_filters
import graphene
from django.db.models import Count

from business.access import require_permission
from business.accounts.permissions import require_business_user
from business.audit import services as audit
from business.core.api.errors import FieldError, PublicError, field_errors
from business.core.api.pagination import page_arguments, page_type, paginate

from . import services
from .models import Question, Survey

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _request_info(info):
    channel = "mobile" if getattr(info.context, "access_token", None) is not None else "pc"
    return audit.request_info_from(info.context, channel)


def _survey_id(value) -> int:
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        number = int(value)
        if number > 0:
            return number
    raise PublicError("问卷编号无效，请刷新列表后重试。", code="INVALID_ID")


def _signed_in_user(info):
    """Return the signed-in business user, or None for an anonymous visitor."""
    if getattr(info.context, "business_user", None) is None:
        return None
    return require_business_user(info)


def _enum_value(member) -> str:
    return getattr(member, "value", member) or ""


SurveyAudience = graphene.Enum(
    "SurveyAudience", [(a.name, a.value) for a in Survey.Audience], description="调查对象"
)
SurveyStatus = graphene.Enum(
    "SurveyStatus", [(s.name, s.value) for s in Survey.Status], description="问卷状态"
)
QuestionKind = graphene.Enum(
    "SurveyQuestionKind", [(k.name, k.value) for k in Question.Kind], description="题型"
)


class QuestionType(graphene.ObjectType):
    id = graphene.ID(required=True)
    position = graphene.Int(required=True)
    kind = graphene.Field(QuestionKind, required=True)
    text = graphene.String(required=True)
    required = graphene.Boolean(required=True)
    options = graphene.List(graphene.NonNull(graphene.String), required=True)

    class Meta:
        name = "SurveyQuestion"
        description = "问卷题目；评分题为 1 至 5 分"

    @staticmethod
    def build(question: Question) -> "QuestionType":
        return QuestionType(
            id=str(question.pk),
            position=question.position,
            kind=str(question.kind),
            text=question.text,
            required=question.required,
            options=question.options,
        )


class SurveyType(graphene.ObjectType):
    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    description = graphene.String(required=True)
    audience = graphene.Field(SurveyAudience, required=True)
    audience_label = graphene.String(required=True)
    status = graphene.Field(SurveyStatus, required=True)
    status_label = graphene.String(required=True)
    opens_at = graphene.DateTime(required=True)
    closes_at = graphene.DateTime(required=True)
    organisation_name = graphene.String(required=True, description="发起单位")
    response_count = graphene.Int(description="答卷数，仅管理列表返回")
    answered = graphene.Boolean(description="当前答卷人是否已填写，仅填写页返回")
    questions = graphene.List(graphene.NonNull(QuestionType), required=True)

    class Meta:
        name = "Survey"
        description = "问卷"

    @staticmethod
    def build(survey: Survey, *, with_questions=False, response_count=None, answered=None):
        return SurveyType(
            id=str(survey.pk),
            title=survey.title,
            description=survey.description,
            audience=str(survey.audience),
            audience_label=survey.get_audience_display(),
            status=str(survey.status),
            status_label=survey.get_status_display(),
            opens_at=survey.opens_at,
            closes_at=survey.closes_at,
            organisation_name=survey.organisation.name,
            response_count=response_count,
            answered=answered,
            questions=[QuestionType.build(q) for q in survey.questions.all()]
            if with_questions
            else [],
        )


class OptionCountType(graphene.ObjectType):
    label = graphene.String(required=True)
    count = graphene.Int(required=True)

    class Meta:
        name = "SurveyOptionCount"
        description = "一个选项或分值的人数"


class QuestionResultType(graphene.ObjectType):
    question = graphene.Field(QuestionType, required=True)
    answered = graphene.Int(required=True, description="作答人数")
    counts = graphene.List(graphene.NonNull(OptionCountType), required=True)
    texts = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="最近 20 条填空内容"
    )

    class Meta:
        name = "SurveyQuestionResult"
        description = "一道题的统计"


class SurveyResultsType(graphene.ObjectType):
    survey = graphene.Field(SurveyType, required=True)
    response_count = graphene.Int(required=True)
    questions = graphene.List(graphene.NonNull(QuestionResultType), required=True)

    class Meta:
        name = "SurveyResults"
        description = "问卷统计结果"


class SurveyExportType(graphene.ObjectType):
    file_name = graphene.String(required=True)
    content_type = graphene.String(required=True)
    content_base64 = graphene.String(required=True)

    class Meta:
        name = "SurveyExport"
        description = "答卷导出的 Excel 文件"


SurveyListPage = page_type(SurveyType, "SurveyListPage", "一页问卷")


class SurveyFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Survey.Status.choices)
    title = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Survey
        fields = ["status", "title"]


class SurveyQuery(graphene.ObjectType):
    open_surveys = graphene.Field(
        SurveyListPage,
        required=True,
        **page_arguments(),
        description="当前可填写的问卷：未登录时为面向社会公众的问卷，企业和机构用户另含面向本类单位的问卷",
    )
    survey_to_fill = graphene.Field(
        SurveyType,
        required=True,
        id=graphene.ID(required=True),
        browser_token=graphene.String(
            description="未登录时浏览器保存的随机标识，用来判断是否已填写"
        ),
        description="一份可填写的问卷及其题目",
    )
    managed_surveys = graphene.Field(
        SurveyListPage,
        required=True,
        **page_arguments(),
        status=graphene.Argument(SurveyStatus),
        title=graphene.String(description="标题关键字"),
        description="本部门及辖区内下级部门发起的问卷",
    )
    managed_survey = graphene.Field(SurveyType, required=True, id=graphene.ID(required=True))
    survey_results = graphene.Field(
        SurveyResultsType, required=True, id=graphene.ID(required=True), description="问卷统计"
    )

    @staticmethod
    def resolve_open_surveys(root, info, page, page_size):
        user = _signed_in_user(info)
        queryset = services.open_surveys(user).select_related("organisation")
        result = paginate(queryset, page, page_size)
        result["items"] = [SurveyType.build(item) for item in result["items"]]
        return SurveyListPage(**result)

    @staticmethod
    def resolve_survey_to_fill(root, info, id, browser_token=None):
        user = _signed_in_user(info)
        survey = services.get_open(user, _survey_id(id))
        answered = services.has_answered(survey, user, browser_token or "")
        return SurveyType.build(survey, with_questions=True, answered=answered)

    @staticmethod
    def resolve_managed_surveys(root, info, page, page_size, status=None, title=None):
        user = require_business_user(info)
        queryset = services.managed_surveys(user).select_related("organisation")
        filterset = SurveyFilter(
            data={"status": _enum_value(status), "title": (title or "")[:50]}, queryset=queryset
        )
        if not filterset.is_valid():
            raise PublicError("筛选条件无效，请重新选择。", code="INVALID_FILTER")
        queryset = filterset.qs.annotate(response_total=Count("responses")).order_by(
            "-created_at", "-pk"
        )
        result = paginate(queryset, page, page_size)
        result["items"] = [
            SurveyType.build(item, response_count=item.response_total) for item in result["items"]
        ]
        return SurveyListPage(**result)

    @staticmethod
    def resolve_managed_survey(root, info, id):
        user = require_business_user(info)
        survey = services.get_managed(user, _survey_id(id))
        return SurveyType.build(survey, with_questions=True)

    @staticmethod
    def resolve_survey_results(root, info, id):
        user = require_business_user(info)
        survey = services.get_managed(user, _survey_id(id))
        total, per_question = services.results(survey)
        return SurveyResultsType(
            survey=SurveyType.build(survey, response_count=total),
            response_count=total,
            questions=[
                QuestionResultType(
                    question=QuestionType.build(item.question),
                    answered=item.answered,
                    counts=[
                        OptionCountType(label=label, count=count) for label, count in item.counts
                    ],
                    texts=item.texts,
                )
                for item in per_question
            ],
        )


class QuestionInput(graphene.InputObjectType):
    kind = QuestionKind(required=True)
    text = graphene.String(required=True)
    required = graphene.Boolean(default_value=True)
    options = graphene.List(graphene.NonNull(graphene.String), description="单选、多选题的选项")

    class Meta:
        name = "SurveyQuestionInput"


class SurveyInput(graphene.InputObjectType):
    title = graphene.String(required=True)
    description = graphene.String()
    audience = SurveyAudience(required=True)
    opens_at = graphene.DateTime(required=True)
    closes_at = graphene.DateTime(required=True)
    questions = graphene.List(graphene.NonNull(QuestionInput), required=True)

    class Meta:
        name = "SurveyInput"
        description = "问卷内容（发布前可反复修改）"


class AnswerInput(graphene.InputObjectType):
    question_id = graphene.ID(required=True)
    option_indexes = graphene.List(
        graphene.NonNull(graphene.Int), description="所选选项的序号，从 0 开始"
    )
    rating = graphene.Int(description="评分，1 至 5")
    text = graphene.String(description="填空内容")

    class Meta:
        name = "SurveyAnswerInput"


class SaveSurvey(graphene.Mutation):
    class Meta:
        name = "SaveSurveyPayload"
        description = "保存问卷草稿的结果"

    class Arguments:
        id = graphene.ID(description="修改草稿时传入；新建时不传")
        input = SurveyInput(required=True)

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    survey = graphene.Field(SurveyType)

    @staticmethod
    def mutate(root, info, input, id=None):
        user = require_business_user(info)
        require_permission(user, "surveys.manage")
        survey = services.get_managed(user, _survey_id(id)) if id else None
        questions = [
            services.QuestionSpec(
                kind=_enum_value(item.kind),
                text=item.text,
                required=item.required is not False,
                options=list(item.options or []),
            )
            for item in input.questions
        ]
        try:
            survey = services.save_survey(
                user,
                survey=survey,
                title=input.title,
                description=input.description or "",
                audience=_enum_value(input.audience),
                opens_at=input.opens_at,
                closes_at=input.closes_at,
                questions=questions,
                request_info=_request_info(info),
            )
        except services.SurveyError as error:
            return SaveSurvey(errors=field_errors(error.errors))
        return SaveSurvey(errors=[], survey=SurveyType.build(survey, with_questions=True))


class _StatusMutation(graphene.Mutation):
    class Meta:
        abstract = True

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    survey = graphene.Field(SurveyType)

    @classmethod
    def change(cls, info, id, status):
        user = require_business_user(info)
        survey = services.get_managed(user, _survey_id(id))
        try:
            survey = services.set_status(survey, user, status, request_info=_request_info(info))
        except services.SurveyError as error:
            return cls(errors=field_errors(error.errors))
        return cls(errors=[], survey=SurveyType.build(survey))


class PublishSurvey(_StatusMutation):
    class Meta:
        name = "PublishSurveyPayload"

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def mutate(cls, root, info, id):
        return cls.change(info, id, Survey.Status.PUBLISHED)


class CloseSurvey(_StatusMutation):
    class Meta:
        name = "CloseSurveyPayload"

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def mutate(cls, root, info, id):
        return cls.change(info, id, Survey.Status.CLOSED)


class ExportSurveyResponses(graphene.Mutation):
    class Meta:
        name = "ExportSurveyResponsesPayload"
        description = "导出答卷（Excel），写入审计日志"

    class Arguments:
        id = graphene.ID(required=True)

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    file = graphene.Field(SurveyExportType)

    @staticmethod
    def mutate(root, info, id):
        user = require_business_user(info)
        survey = services.get_managed(user, _survey_id(id))
        content = services.export_responses(survey, user, request_info=_request_info(info))
        return ExportSurveyResponses(
            errors=[],
            file=SurveyExportType(
                file_name=f"问卷答卷-{survey.pk}.xlsx",
                content_type=XLSX_CONTENT_TYPE,
                content_base64=base64.b64encode(content).decode("ascii"),
            ),
        )


class SubmitSurveyResponse(graphene.Mutation):
    class Meta:
        name = "SubmitSurveyResponsePayload"
        description = "提交答卷的结果；已填写过时返回错误 already_answered"

    class Arguments:
        survey_id = graphene.ID(required=True)
        answers = graphene.List(graphene.NonNull(AnswerInput), required=True)
        browser_token = graphene.String(
            description="未登录时必填：浏览器保存的随机标识（16 至 128 个字符）"
        )

    errors = graphene.List(graphene.NonNull(FieldError), required=True)
    ok = graphene.Boolean(required=True)

    @staticmethod
    def mutate(root, info, survey_id, answers, browser_token=None):
        user = _signed_in_user(info)
        survey = services.get_open(user, _survey_id(survey_id))
        specs = []
        for item in answers:
            try:
                question_id = int(item.question_id)
            except (TypeError, ValueError):
                return SubmitSurveyResponse(
                    ok=False,
                    errors=field_errors(
                        [("answers", "题目编号无效，请刷新后重新填写。", "invalid_id")]
                    ),
                )
            specs.append(
                services.AnswerSpec(
                    question_id=question_id,
                    option_indexes=list(item.option_indexes or []),
                    rating=item.rating,
                    text=item.text or "",
                )
            )
        try:
            services.submit_response(
                survey, specs, user=user, browser_token=browser_token or "", request=info.context
            )
        except services.SurveyRateLimited:
            raise PublicError("提交过于频繁，请稍后再试。", code="RATE_LIMITED") from None
        except services.SurveyError as error:
            return SubmitSurveyResponse(ok=False, errors=field_errors(error.errors))
        return SubmitSurveyResponse(ok=True, errors=[])


class SurveyMutation(graphene.ObjectType):
    save_survey = SaveSurvey.Field(description="新建或修改问卷草稿")
    publish_survey = PublishSurvey.Field(description="发布问卷草稿")
    close_survey = CloseSurvey.Field(description="提前结束已发布的问卷")
    export_survey_responses = ExportSurveyResponses.Field()
    submit_survey_response = SubmitSurveyResponse.Field(
        description="提交答卷。每人（未登录时每个浏览器）只能提交一次"
    )
