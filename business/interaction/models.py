"""Complaints and reports (投诉举报), consultations (咨询) and suggestions (建议).

One model serves all three kinds. A matter is routed to the organisation that handles
it: the regulator of its division (or the nearest regulator above), or the technical
institution a consultation is about. Every step is kept in InteractionStep.
The submitter's name, phone and ID-card number are stored SM4-encrypted.
"""

from django.db import models

from business.access.scope_paths import ScopePaths
from business.core.crypto.fields import EncryptedTextField

TITLE_MAX_LENGTH = 100
BODY_MAX_LENGTH = 2000
REPLY_MAX_LENGTH = 2000


class Interaction(models.Model):
    # Handlers reach a matter through the organisation now handling it: regulators by
    # that organisation's division (their division and below), institutions by the
    # organisation itself.
    scope_paths = ScopePaths(
        organisation=("handling_organisation",),
        division=("handling_organisation__division",),
    )
    # Submitters reach their own matters, organisation admins those of their organisation.
    submitter_paths = ScopePaths(organisation=("submitter_organisation",), owner="submitter")

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", "投诉举报"
        CONSULTATION = "consultation", "业务咨询"
        SUGGESTION = "suggestion", "工作建议"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待处理"
        TRANSFERRED = "transferred", "已转办"
        REPLIED = "replied", "已答复"
        CLOSED = "closed", "已办结"

    number = models.CharField("受理编号", max_length=20, unique=True)
    # HMAC-SM3 of the query code given to the submitter once; the code itself is not kept.
    query_code_digest = models.CharField("查询码摘要", max_length=64)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    title = models.CharField("标题", max_length=TITLE_MAX_LENGTH)
    # Stored as typed; every screen shows it as plain text, never as HTML.
    body = models.TextField("内容")
    division = models.ForeignKey(
        "reference.Division",
        verbose_name="事项所在地",
        on_delete=models.PROTECT,
        related_name="+",
    )
    about_institution = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="所咨询的技术机构",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handling_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="承办单位",
        on_delete=models.PROTECT,
        related_name="handled_interactions",
    )
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    submitter = models.ForeignKey(
        "accounts.BusinessUser",
        verbose_name="提交用户",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interactions",
    )
    submitter_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="提交单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submitted_interactions",
    )
    contact_name = EncryptedTextField("联系人姓名")
    contact_phone = EncryptedTextField("联系电话")
    id_number = EncryptedTextField("身份证号码", blank=True)
    publish_consent = models.BooleanField("同意公开", default=False)
    reply = models.TextField("答复内容", blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    replied_by_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="答复单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "咨询投诉"
        verbose_name_plural = "咨询投诉"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["handling_organisation", "status", "-created_at"]),
            models.Index(fields=["publish_consent", "status", "-replied_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class InteractionStep(models.Model):
    """One step in the history of a matter: submitted, transferred, replied, closed."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "提交"
        TRANSFER = "transfer", "转办"
        REPLY = "reply", "答复"
        CLOSE = "close", "办结"

    interaction = models.ForeignKey(
        Interaction, verbose_name="事项", on_delete=models.CASCADE, related_name="steps"
    )
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="办理单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor = models.ForeignKey(
        "accounts.BusinessUser",
        verbose_name="办理人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    target_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="转至单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.interaction.number} {self.get_action_display()}"
