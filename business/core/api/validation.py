"""Validation rules added to graphql-core's standard rules on our endpoint.

graphene-django replaces the standard rules when a view is given its own list, so
``build_validation_rules`` always starts from ``specified_rules``.
"""

import functools

from django.conf import settings
from graphene.validation import depth_limit_validator
from graphql.language import FieldNode
from graphql.validation import NoSchemaIntrospectionCustomRule, ValidationRule

from graphql import GraphQLError, specified_rules

# Most aliased fields one document may contain. Aliases let a client repeat an
# expensive or guessable field (a certificate check code, later a login) many times in
# one request; the portal's largest operation uses 4.
MAX_ALIASES = 30


class AliasLimitRule(ValidationRule):
    """Reject documents that use more than ``MAX_ALIASES`` aliases."""

    def __init__(self, context):
        super().__init__(context)
        self.alias_count = 0

    def enter_field(self, node: FieldNode, *_args):
        if node.alias is None:
            return
        self.alias_count += 1
        if self.alias_count == MAX_ALIASES + 1:
            self.report_error(
                GraphQLError(f"查询中的别名超过 {MAX_ALIASES} 个，请拆分为多个请求。", node)
            )


def _safe_depth_rule(max_depth: int):
    """Wrap graphene's depth limiter, which raises KeyError on an undefined fragment.

    The standard KnownFragmentNamesRule already reports the undefined fragment, so the
    wrapper only has to keep the KeyError from turning into a server error.
    """
    depth_rule = depth_limit_validator(max_depth=max_depth)

    class SafeDepthLimitRule(depth_rule):
        def __init__(self, context):
            try:
                super().__init__(context)
            except KeyError:
                ValidationRule.__init__(self, context)

    return SafeDepthLimitRule


def build_validation_rules() -> tuple:
    return _validation_rules(settings.GRAPHQL_MAX_DEPTH, settings.GRAPHQL_INTROSPECTION)


@functools.lru_cache(maxsize=8)
def _validation_rules(max_depth: int, introspection: bool) -> tuple:
    from business.accounts.validation import SingleLoginRule

    rules = [
        *specified_rules,
        AliasLimitRule,
        _safe_depth_rule(max_depth),
        SingleLoginRule,
    ]
    if not introspection:
        # Blocks __schema and __type but keeps __typename, which clients need.
        rules.append(NoSchemaIntrospectionCustomRule)
    return tuple(rules)
