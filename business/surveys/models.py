"""Online surveys and questionnaires (网上调查、问卷调查) published by regulators.

A survey has ordered questions of four types and one audience. Each respondent answers
once: a signed-in user by account, an anonymous visitor by a browser token whose
HMAC is stored. Answers are kept one row per chosen option, so counting them is one
GROUP BY.
"""

from django.db import models
from django.db.models import Q

from business.access.scope_paths import ScopePaths

TITLE_MAX_LENGTH = 100
TEXT_ANSWER_MAX_LENGTH = 1000
MAX_OPTIONS = 20
MAX_QUESTIONS = 50
RATING_MAX = 5


class Survey(models.Model):
    scope_paths = ScopePaths(organisation=("organisation",))

    class Audience(models.TextChoices):
        PUBLIC = "public", "社会公众（含企业和机构）"
        ENTERPRISES = "enterprises", "企业"
        INSTITUTIONS = "institutions", "技术机构"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"
        CLOSED = "closed", "已结束"

    title = models.CharField("标题", max_length=TITLE_MAX_LENGTH)
    description = models.TextField("说明", blank=True)
    audience = models.CharField("调查对象", max_length=20, choices=Audience.choices)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("截止时间")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="发起单位",
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    created_by = models.ForeignKey(
        "accounts.BusinessUser", verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "问卷"
        verbose_name_plural = "问卷"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "audience", "closes_at"])]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "单选"
        MULTIPLE = "multiple", "多选"
        TEXT = "text", "填空"
        RATING = "rating", "评分"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField("序号")
    kind = models.CharField("题型", max_length=20, choices=Kind.choices)
    text = models.CharField("题目", max_length=200)
    required = models.BooleanField("必答", default=True)
    options = models.JSONField("选项", default=list, blank=True)

    class Meta:
        verbose_name = "题目"
        verbose_name_plural = "题目"
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="unique_question_position")
        ]

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        "accounts.BusinessUser",
        verbose_name="答卷人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # HMAC-SM3 of the anonymous browser's token; empty for signed-in respondents.
    browser_token_digest = models.CharField("浏览器标识摘要", max_length=64, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "答卷"
        verbose_name_plural = "答卷"
        ordering = ["survey", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"],
                condition=Q(respondent__isnull=False),
                name="unique_survey_respondent",
            ),
            models.UniqueConstraint(
                fields=["survey", "browser_token_digest"],
                condition=~Q(browser_token_digest=""),
                name="unique_survey_browser_token",
            ),
        ]


class Answer(models.Model):
    """One chosen option, one rating or one text answer of a response."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    option_index = models.PositiveSmallIntegerField("选项序号", null=True, blank=True)
    rating = models.PositiveSmallIntegerField("评分", null=True, blank=True)
    text = models.TextField("填写内容", blank=True)

    class Meta:
        verbose_name = "答案"
        verbose_name_plural = "答案"
        indexes = [models.Index(fields=["question", "option_index"])]
