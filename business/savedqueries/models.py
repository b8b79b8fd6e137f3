"""Query conditions a business user saved on a list screen, to fill its query form again."""

from django.db import models


class SavedQuery(models.Model):
    """One named set of query-form values of one user on one screen.

    ``screen`` is the frontend's key of the query form (for example
    "organisations.list"); ``conditions`` is the form's values as the screen sent them.
    At most one saved query per user and screen is the default.
    """

    user = models.ForeignKey(
        "accounts.BusinessUser",
        verbose_name="业务用户",
        on_delete=models.CASCADE,
        related_name="saved_queries",
    )
    screen = models.CharField("页面", max_length=64)
    name = models.CharField("名称", max_length=50)
    conditions = models.JSONField("查询条件", default=dict)
    is_default = models.BooleanField("默认条件", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "常用查询条件"
        verbose_name_plural = "常用查询条件"
        ordering = ["screen", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "screen", "name"], name="unique_saved_query_name"
            ),
            models.UniqueConstraint(
                fields=["user", "screen"],
                condition=models.Q(is_default=True),
                name="one_default_saved_query_per_screen",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.screen} · {self.name}"
