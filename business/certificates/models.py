"""Electronic certificates and the keys that sign them.

A certificate stores the printed content as its own snapshot, so later edits to the
ledger or the verification record never change a certificate that was already
issued. The SM3 digest of that snapshot is signed with the institution's SM2 key.
"""

from django.db import models

from business.access.scope_paths import ScopePaths


class SigningKey(models.Model):
    """An institution's SM2 key pair. The private key is stored SM4-encrypted.

    Rotating a key deactivates the old row but keeps it, so certificates signed with
    it stay verifiable.
    """

    institution = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="技术机构",
        on_delete=models.PROTECT,
        related_name="signing_keys",
    )
    public_key = models.CharField("SM2 公钥", max_length=130, unique=True)
    encrypted_private_key = models.BinaryField("加密的 SM2 私钥")
    is_active = models.BooleanField("当前使用", default=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    retired_at = models.DateTimeField("停用时间", null=True, blank=True)

    class Meta:
        verbose_name = "签名密钥"
        verbose_name_plural = "签名密钥"
        constraints = [
            models.UniqueConstraint(
                fields=["institution"],
                condition=models.Q(is_active=True),
                name="one_active_signing_key_per_institution",
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.public_key[:16]}…"


class CertificateSequence(models.Model):
    """Last certificate serial used by an institution in a year."""

    institution = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["institution", "year"], name="unique_sequence_per_year")
        ]


class Certificate(models.Model):

    # Data scope: the instrument's enterprise and the issuing institution both reach a
    # certificate; regulators see it by the enterprise's division.
    scope_paths = ScopePaths(
        organisation=("instrument__enterprise", "institution"),
        division=("instrument__enterprise__division",),
    )
    class Kind(models.TextChoices):
        VERIFICATION = "verification", "检定证书"
        RESULT_NOTICE = "result_notice", "检定结果通知书"
        CALIBRATION = "calibration", "校准证书"

    class Status(models.TextChoices):
        VALID = "valid", "有效"
        VOID = "void", "已作废"

    number = models.CharField("证书编号", max_length=32, unique=True)
    kind = models.CharField("证书类型", max_length=20, choices=Kind.choices)
    record = models.OneToOneField(
        "verification.VerificationRecord",
        verbose_name="检定记录",
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    institution = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="技术机构",
        on_delete=models.PROTECT,
        related_name="issued_certificates",
    )
    instrument = models.ForeignKey(
        "instruments.Instrument",
        verbose_name="计量器具",
        on_delete=models.PROTECT,
        related_name="certificates",
    )

    # Printed content, frozen at issue time and covered by the signature.
    institution_name = models.CharField("检定机构", max_length=200)
    authorisation_number = models.CharField("计量授权证书号", max_length=64, blank=True)
    client_name = models.CharField("委托单位", max_length=200)
    instrument_name = models.CharField("器具名称", max_length=100)
    model = models.CharField("型号规格", max_length=100, blank=True)
    serial_number = models.CharField("出厂编号", max_length=64)
    manufacturer = models.CharField("制造单位", max_length=200, blank=True)
    regulation = models.CharField("依据规程", max_length=200, blank=True)
    record_number = models.CharField("原始记录号", max_length=64)
    conclusion = models.CharField("结论", max_length=60)
    verification_date = models.DateField("检定日期")
    valid_until = models.DateField("有效期至", null=True, blank=True)
    verifier_name = models.CharField("检定员", max_length=50)
    checker_name = models.CharField("核验员", max_length=50)
    approver_name = models.CharField("批准人", max_length=50)
    issued_at = models.DateTimeField("签发时间")

    # Integrity and authenticity.
    content_digest = models.CharField("SM3 摘要", max_length=64)
    signature = models.BinaryField("SM2 签名")
    signing_key = models.ForeignKey(
        SigningKey, verbose_name="签名密钥", on_delete=models.PROTECT, related_name="certificates"
    )
    check_code = models.CharField("校验码", max_length=8)

    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.VALID)
    void_reason = models.CharField("作废原因", max_length=200, blank=True)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    # Set on a reissued certificate (重新签发): the voided certificate it replaces. Not
    # part of the signed content, which predates the link; see business.certificates.reissue.
    replaces = models.OneToOneField(
        "self",
        verbose_name="代替的已作废证书",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reissued_as",
    )

    class Meta:
        verbose_name = "证书"
        verbose_name_plural = "证书"
        indexes = [models.Index(fields=["instrument", "-verification_date"])]

    def __str__(self) -> str:
        return self.number
