from wagtail import hooks

from .schema import RegistrationMutation, RegistrationQuery
from .schema_management import OrganisationManagementMutation, OrganisationManagementQuery
from .schema_users import UserManagementMutation, UserManagementQuery


@hooks.register("register_schema_query")
def add_registration_queries(query_mixins):
    query_mixins.append(RegistrationQuery)
    query_mixins.append(OrganisationManagementQuery)
    query_mixins.append(UserManagementQuery)


@hooks.register("register_schema_mutation")
def add_registration_mutations(mutation_mixins):
    mutation_mixins.append(RegistrationMutation)
    mutation_mixins.append(OrganisationManagementMutation)
    mutation_mixins.append(UserManagementMutation)


@hooks.register("register_admin_viewset")
def register_organisation_admin():
    from .admin_views import BusinessUserViewSet, OrganisationAttributeViewSet, OrganisationViewSet

    return [
        OrganisationViewSet("organisations_admin"),
        OrganisationAttributeViewSet("organisation_attributes_admin"),
        BusinessUserViewSet("business_users_admin"),
    ]
