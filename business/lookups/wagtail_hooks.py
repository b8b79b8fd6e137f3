"""Wagtail admin for the look-up lists (menu 便民服务数据) and the look-up GraphQL queries.

Access follows the model permissions (view, add, change, delete) that superusers have
and other groups get in Wagtail's group settings.
"""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import CommitteeExpert, InstitutionProfile, Manufacturer, SelfDeclaration
from .schema import LookupQuery


class LookupViewSet(ModelViewSet):
    list_per_page = 50
    copy_view_enabled = False


class InstitutionProfileViewSet(LookupViewSet):
    model = InstitutionProfile
    icon = "home"
    list_display = ["institution", "offers_verification", "offers_calibration", "service_phone"]
    list_filter = ["offers_verification", "offers_calibration"]
    search_fields = ["institution__name"]
    form_fields = [
        "institution",
        "offers_verification",
        "offers_calibration",
        "service_scope",
        "service_phone",
    ]


class CommitteeExpertViewSet(LookupViewSet):
    model = CommitteeExpert
    icon = "group"
    list_display = ["name", "committee", "specialty", "employer", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "committee", "specialty", "employer"]
    form_fields = ["name", "committee", "specialty", "employer", "title", "is_active"]


class ManufacturerViewSet(LookupViewSet):
    model = Manufacturer
    icon = "cogs"
    list_display = ["name", "division", "products", "pattern_approval_numbers"]
    search_fields = ["name", "products"]
    form_fields = ["name", "division", "products", "pattern_approval_numbers"]


class SelfDeclarationViewSet(LookupViewSet):
    model = SelfDeclaration
    icon = "doc-full"
    list_display = ["enterprise_name", "products", "declaration_number", "declared_on", "status"]
    list_filter = ["status"]
    search_fields = ["enterprise_name", "products", "declaration_number"]
    form_fields = [
        "enterprise_name",
        "division",
        "products",
        "declaration_number",
        "declared_on",
        "status",
    ]


class LookupDataGroup(ModelViewSetGroup):
    menu_label = "便民服务数据"
    menu_icon = "list-ul"
    menu_order = 910
    items = (
        InstitutionProfileViewSet,
        CommitteeExpertViewSet,
        ManufacturerViewSet,
        SelfDeclarationViewSet,
    )


@hooks.register("register_admin_viewset")
def register_lookup_viewsets():
    return LookupDataGroup()


@hooks.register("register_schema_query")
def add_lookup_queries(query_mixins):
    query_mixins.append(LookupQuery)
