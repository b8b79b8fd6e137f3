"""The tamper-evident audit log.

Rows are only ever appended, through ``services.record_event``. Each row carries a
strictly increasing ``sequence``, the MAC of the row before it and its own
HMAC-SM3 MAC over its content and that previous MAC, so editing, deleting or
reordering rows breaks the chain that ``verify_audit_chain`` walks.

The model and its queryset raise AuditLogAppendOnlyError on update and delete. On
PostgreSQL a trigger also rejects UPDATE and DELETE from raw SQL (migration 0002).
"""

from django.db import models


class AuditLogAppendOnlyError(Exception):
    """Raised on an attempt to change or delete an audit event through the ORM."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogAppendOnlyError("Audit events cannot be updated.")

    def delete(self):
        raise AuditLogAppendOnlyError("Audit events cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditLogAppendOnlyError("Audit events cannot be updated.")

    def bulk_create(self, objs, *args, **kwargs):
        raise AuditLogAppendOnlyError(
            "Audit events are created one at a time by business.audit.services.record_event."
        )

    # update_or_create() and get_or_create() call save(), which raises as well.


class AuditEvent(models.Model):
    class ActorTable(models.TextChoices):
        BUSINESS = "business", "业务用户"
        ADMIN = "admin", "管理员"
        SYSTEM = "system", "系统"

    class Channel(models.TextChoices):
        PC = "pc", "电脑端"
        MOBILE = "mobile", "移动端"
        ADMIN = "admin", "管理端"
        SYSTEM = "system", "系统"

    class Result(models.TextChoices):
        SUCCESS = "success", "成功"
        FAILURE = "failure", "失败"

    sequence = models.PositiveBigIntegerField("序号", unique=True, editable=False)
    occurred_at = models.DateTimeField("时间", editable=False)

    actor_table = models.CharField("操作者类型", max_length=10, choices=ActorTable.choices)
    actor_id = models.CharField("操作者 ID", max_length=64, blank=True)
    actor_name = models.CharField("操作者", max_length=100, blank=True)
    actor_role = models.CharField("角色", max_length=64, blank=True)
    organisation_id = models.PositiveBigIntegerField("所属机构 ID", null=True, blank=True)

    action = models.CharField("操作", max_length=100, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象 ID", max_length=64, blank=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)

    ip_address = models.CharField("IP 地址", max_length=45, blank=True)
    user_agent = models.CharField("客户端", max_length=300, blank=True)
    channel = models.CharField("终端", max_length=10, choices=Channel.choices)
    request_id = models.CharField("请求 ID", max_length=64, blank=True)

    result = models.CharField("结果", max_length=10, choices=Result.choices)
    reason = models.CharField("原因", max_length=500, blank=True)

    previous_mac = models.CharField("前一条记录的 MAC", max_length=64, editable=False)
    mac = models.CharField("MAC", max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        db_table = "audit_event"
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["occurred_at"], name="audit_event_occurred_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_event_object"),
        ]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogAppendOnlyError(
                f"Audit event #{self.sequence} already exists and cannot be changed."
            )
        if not self.mac:
            raise AuditLogAppendOnlyError(
                "Audit events must be written by business.audit.services.record_event."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogAppendOnlyError(f"Audit event #{self.sequence} cannot be deleted.")


class AuditChainHead(models.Model):
    """The last sequence number and MAC of the chain, in a single row (pk 1).

    Appending locks this row, so two transactions can never chain onto the same
    previous event. The verifier also compares it with the last event, which
    reveals events deleted from the end of the chain.
    """

    SINGLETON_PK = 1

    last_sequence = models.PositiveBigIntegerField("最后序号", default=0)
    last_mac = models.CharField("最后 MAC", max_length=64)

    class Meta:
        db_table = "audit_chain_head"
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"
        default_permissions = ()
