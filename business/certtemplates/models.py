"""Certificate templates that each institution maintains (证书模板).

A template holds what the institution prints on every certificate of one kind
besides the signed content: the title, its contact block (address, post code,
phone, fax, e-mail, DOMAIN.md §2.2), a statement, and the end-of-content mark.
The PDF renderer picks the institution's active template through
business.certificates.pdf's template hook (``selection.layout_for``).
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from business.access.scope_paths import ScopePaths
from business.certificates.models import Certificate

DEFAULT_TITLES = {
    Certificate.Kind.VERIFICATION: "检定证书",
    Certificate.Kind.RESULT_NOTICE: "检定结果通知书",
    Certificate.Kind.CALIBRATION: "校准证书",
}

DEFAULT_STATEMENTS = {
    Certificate.Kind.VERIFICATION: (
        "本证书仅对所检计量器具在检定时的状态负责。未经本机构书面批准，不得部分复制本证书。"
    ),
    Certificate.Kind.RESULT_NOTICE: (
        "所检计量器具不合格，不得用于贸易结算、安全防护、医疗卫生、环境监测等强制检定用途。"
    ),
    Certificate.Kind.CALIBRATION: (
        "本证书给出的校准结果仅对所校准的计量器具有效。未经本机构书面批准，不得部分复制本证书。"
    ),
}


class CertificateTemplate(models.Model):
    scope_paths = ScopePaths(organisation=("institution",))

    institution = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="技术机构",
        on_delete=models.PROTECT,
        related_name="certificate_templates",
    )
    kind = models.CharField("证书类型", max_length=20, choices=Certificate.Kind.choices)
    name = models.CharField("模板名称", max_length=100)
    title = models.CharField("证书标题", max_length=30)
    address = models.CharField("地址", max_length=200, blank=True)
    post_code = models.CharField(
        "邮政编码",
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", "邮政编码应为 6 位数字。")],
    )
    phone = models.CharField("电话", max_length=40, blank=True)
    fax = models.CharField("传真", max_length=40, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    statement = models.TextField("声明", blank=True)
    end_mark = models.CharField("终结标志", max_length=20, default="以下空白")
    is_active = models.BooleanField("启用", default=True)
    updated_by = models.ForeignKey(
        "accounts.BusinessUser",
        verbose_name="最后修改人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "证书模板"
        verbose_name_plural = "证书模板"
        ordering = ["institution", "kind", "-is_active", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "kind"],
                condition=models.Q(is_active=True),
                name="one_active_certificate_template_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.name}"

    def clean(self):
        if not self.title.strip():
            raise ValidationError({"title": "请填写证书标题，如“检定证书”。"})
