"""A GraphQL endpoint with the account API plus one protected business query.

No business app has a query for signed-in users yet. ``ledgerSize`` and
``touchLedger`` play that part, to show that a user who must change the password is
rejected everywhere except me, changePassword and logout.
"""

import graphene
from django.urls import path

from business.accounts.permissions import business_user_required, require_business_user
from business.accounts.schema import AccountMutation, AccountQuery
from business.core.api.view import PlatformGraphQLView


class ProbeQuery(graphene.ObjectType):
    ledger_size = graphene.Int()
    organisation_name = graphene.String()

    @staticmethod
    def resolve_ledger_size(root, info):
        require_business_user(info)
        return 42

    @staticmethod
    @business_user_required
    def resolve_organisation_name(root, info):
        return info.context.business_user.organisation.name


class ProbeMutation(graphene.ObjectType):
    touch_ledger = graphene.Boolean()

    @staticmethod
    def resolve_touch_ledger(root, info):
        require_business_user(info)
        return True


class Query(AccountQuery, ProbeQuery):
    pass


class Mutation(AccountMutation, ProbeMutation):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)

urlpatterns = [path("graphql/", PlatformGraphQLView.as_view(schema=schema))]
