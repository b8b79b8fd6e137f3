"""Roles of business users: a set of permissions and the data scope they reach."""

from django.core.exceptions import ValidationError
from django.db import models

from . import catalogue


class DataScope(models.TextChoices):
    """How far a role's permissions reach, from narrowest to widest."""

    OWN = "own", "本人数据"
    ORGANISATION = "organisation", "本单位数据"
    DIVISION = "division", "本辖区及下级辖区数据"
    ALL = "all", "全部数据"


# Wider scopes win when two roles grant the same permission.
SCOPE_ORDER = [DataScope.OWN, DataScope.ORGANISATION, DataScope.DIVISION, DataScope.ALL]


class OrganisationKind(models.TextChoices):
    ENTERPRISE = catalogue.ENTERPRISE, "企业（使用单位）"
    INSTITUTION = catalogue.INSTITUTION, "技术机构"
    REGULATOR = catalogue.REGULATOR, "监管部门"


class Role(models.Model):
    """A named set of permissions for users of one kind of organisation.

    The security administrator maintains roles; built-in roles come from a data
    migration and may be edited but not deleted.
    """

    code = models.SlugField("角色代码", max_length=50, unique=True)
    name = models.CharField("角色名称", max_length=50, unique=True)
    organisation_kind = models.CharField(
        "适用单位类型", max_length=20, choices=OrganisationKind.choices
    )
    permissions = models.JSONField("权限", default=list, blank=True)
    scope = models.CharField(
        "数据范围", max_length=20, choices=DataScope.choices, default=DataScope.ORGANISATION
    )
    description = models.CharField("说明", max_length=200, blank=True)
    is_builtin = models.BooleanField("内置角色", default=False, editable=False)

    class Meta:
        verbose_name = "业务角色"
        verbose_name_plural = "业务角色"
        ordering = ["organisation_kind", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        unknown = [code for code in self.permissions if code not in catalogue.BY_CODE]
        if unknown:
            raise ValidationError(
                {"permissions": f"权限代码不存在：{'、'.join(unknown)}，请从权限清单中选择。"}
            )
        unsuitable = [
            catalogue.BY_CODE[code].label
            for code in self.permissions
            if self.organisation_kind not in catalogue.BY_CODE[code].kinds
        ]
        if unsuitable:
            raise ValidationError(
                {
                    "permissions": f"这些权限不适用于{self.get_organisation_kind_display()}："
                    f"{'、'.join(unsuitable)}，请取消勾选。"
                }
            )
        if self.scope == DataScope.ALL and self.organisation_kind != OrganisationKind.REGULATOR:
            raise ValidationError({"scope": "只有监管部门的角色可以使用“全部数据”范围。"})


class RoleAssignment(models.Model):
    """A business user holding a role."""

    user = models.ForeignKey(
        "accounts.BusinessUser",
        verbose_name="业务用户",
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.ForeignKey(
        Role, verbose_name="角色", on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_at = models.DateTimeField("授权时间", auto_now_add=True)

    class Meta:
        verbose_name = "角色授权"
        verbose_name_plural = "角色授权"
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.role}"

    def clean(self):
        super().clean()
        if self.user_id and self.role_id:
            kind = self.user.organisation.kind
            if kind != self.role.organisation_kind:
                raise ValidationError(
                    {"role": f"角色“{self.role.name}”不适用于该用户所在单位的类型，请换一个角色。"}
                )
