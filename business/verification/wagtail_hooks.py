"""GraphQL schema mixins of verification records, and the admin screens of record templates.

Record templates are maintained in the Wagtail admin (menu 原始记录模板) by users whose
group has the model permissions of RecordTemplate; superusers have them.
"""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import RecordTemplate
from .schema import RecordMutation, RecordQuery


class RecordTemplateViewSet(ModelViewSet):
    model = RecordTemplate
    icon = "form"
    menu_label = "原始记录模板"
    add_to_admin_menu = True
    list_display = ["name", "regulation", "institution", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "regulation__code", "regulation__name"]
    ordering = ["regulation__code", "name"]


@hooks.register("register_admin_viewset")
def register_record_template_viewset():
    return RecordTemplateViewSet("record_templates")


@hooks.register("register_schema_query")
def add_record_queries(query_mixins):
    query_mixins.append(RecordQuery)


@hooks.register("register_schema_mutation")
def add_record_mutations(mutation_mixins):
    mutation_mixins.append(RecordMutation)
