"""Enterprise information (企业信息维护): profile, attachments with their versions,
training records of the staff and maintenance records of the instruments."""

from django.db import models

from business.access.scope_paths import ScopePaths
from business.core.crypto.fields import EncryptedTextField
from business.organisations.models import private_storage


class EnterpriseProfile(models.Model):
    """Details of an organisation beyond its name, credit code, division and address."""

    scope_paths = ScopePaths(organisation=("organisation",))

    organisation = models.OneToOneField(
        "organisations.Organisation",
        verbose_name="单位",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="enterprise_profile",
    )
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = EncryptedTextField("联系电话", blank=True)
    industry = models.CharField("所属行业", max_length=100, blank=True)
    business_scope = models.TextField("经营范围", max_length=2000, blank=True)
    metrology_officer = models.CharField("计量管理负责人", max_length=50, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "企业信息"
        verbose_name_plural = "企业信息"

    def __str__(self) -> str:
        return str(self.organisation)


class Attachment(models.Model):
    """A document of the enterprise (licence, qualification...); its file lives in versions."""

    scope_paths = ScopePaths(organisation=("organisation",))

    class Category(models.TextChoices):
        BUSINESS_LICENCE = "business_licence", "营业执照"
        QUALIFICATION = "qualification", "资质证书"
        MEASUREMENT_STANDARD = "measurement_standard", "计量标准证书"
        SYSTEM_DOCUMENT = "system_document", "计量管理制度"
        OTHER = "other", "其他"

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="单位",
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    category = models.CharField("类别", max_length=30, choices=Category.choices)
    title = models.CharField("名称", max_length=100)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # Deleting keeps the row and its versions for the history, hidden from the list.
    is_deleted = models.BooleanField("已删除", default=False)

    class Meta:
        verbose_name = "企业附件"
        verbose_name_plural = "企业附件"
        indexes = [models.Index(fields=["organisation", "is_deleted"])]

    def __str__(self) -> str:
        return self.title

    def current_version(self):
        return self.versions.order_by("-number").first()


class AttachmentVersion(models.Model):
    """One uploaded file of an attachment. Replacing adds a version; none is overwritten."""

    scope_paths = ScopePaths(organisation=("attachment__organisation",))

    attachment = models.ForeignKey(
        Attachment, verbose_name="附件", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField("版本号")
    file = models.FileField("文件", upload_to="enterprise_attachments/", storage=private_storage)
    content_type = models.CharField("文件类型", max_length=40)
    size = models.PositiveIntegerField("大小（字节）")
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        "accounts.BusinessUser",
        verbose_name="上传人",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件版本"
        verbose_name_plural = "附件版本"
        constraints = [
            models.UniqueConstraint(
                fields=["attachment", "number"], name="unique_attachment_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attachment_id} v{self.number}"


class TrainingRecord(models.Model):
    """A training course attended by one of the enterprise's staff (人员培训记录)."""

    scope_paths = ScopePaths(organisation=("organisation",))

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="单位",
        on_delete=models.CASCADE,
        related_name="training_records",
    )
    trainee_name = models.CharField("姓名", max_length=50)
    course = models.CharField("培训内容", max_length=200)
    organiser = models.CharField("培训机构", max_length=200, blank=True)
    start_date = models.DateField("培训日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1, null=True, blank=True)
    certificate_number = models.CharField("培训证书编号", max_length=64, blank=True)
    notes = models.CharField("备注", max_length=500, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "人员培训记录"
        verbose_name_plural = "人员培训记录"
        indexes = [models.Index(fields=["organisation", "-start_date"])]

    def __str__(self) -> str:
        return f"{self.trainee_name} {self.course}"


class MaintenanceRecord(models.Model):
    """Maintenance or repair of one instrument (维护保养记录)."""

    scope_paths = ScopePaths(organisation=("instrument__enterprise",))

    class Kind(models.TextChoices):
        ROUTINE = "routine", "日常维护"
        SERVICING = "servicing", "保养"
        REPAIR = "repair", "维修"
        INSPECTION = "inspection", "期间核查"

    instrument = models.ForeignKey(
        "instruments.Instrument",
        verbose_name="计量器具",
        on_delete=models.CASCADE,
        related_name="maintenance_records",
    )
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    performed_on = models.DateField("日期")
    performed_by = models.CharField("执行人", max_length=50)
    description = models.CharField("内容", max_length=500)
    result = models.CharField("结果", max_length=200, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "维护保养记录"
        verbose_name_plural = "维护保养记录"
        indexes = [models.Index(fields=["instrument", "-performed_on"])]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.get_kind_display()} {self.performed_on}"
