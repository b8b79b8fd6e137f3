"""Validation rules added to graphql-core's standard rules on our endpoint.

graphql-core applies its standard rules only when it is given no list of its own, so
``build_validation_rules`` always starts from ``specified_rules``.
"""

import functools

from django.conf import settings
from graphene.validation import depth_limit_validator
from graphql import GraphQLError, specified_rules
from graphql.language import FieldNode
from graphql.validation import NoSchemaIntrospectionCustomRule, ValidationRule


def _alias_limit_rule(max_aliases: int):
    class AliasLimitRule(ValidationRule):
        """Reject documents that use more than ``max_aliases`` aliases."""

        def __init__(self, context):
            super().__init__(context)
            self.alias_count = 0

        def enter_field(self, node: FieldNode, *_args):
            if node.alias is None:
                return
            self.alias_count += 1
            if self.alias_count == max_aliases + 1:
                self.report_error(
                    GraphQLError(f"查询中的别名超过 {max_aliases} 个，请拆分为多个请求。", node)
                )

    return AliasLimitRule


def _field_limit_rule(max_fields: int):
    class FieldLimitRule(ValidationRule):
        """Reject documents that select more than ``max_fields`` fields in all.

        A simple cost measure: each selected field costs at least one resolver call
        per returned object, and list sizes are capped separately by each list field.
        """

        def __init__(self, context):
            super().__init__(context)
            self.field_count = 0

        def enter_field(self, node: FieldNode, *_args):
            self.field_count += 1
            if self.field_count == max_fields + 1:
                self.report_error(
                    GraphQLError(f"查询选择的字段超过 {max_fields} 个，请拆分为多个请求。", node)
                )

    return FieldLimitRule


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
    return _validation_rules(*validation_limits())


def validation_limits() -> tuple:
    """Return the settings the rules depend on, also used as a cache key."""
    return (
        settings.GRAPHQL_MAX_DEPTH,
        settings.GRAPHQL_MAX_ALIASES,
        settings.GRAPHQL_MAX_FIELDS,
        settings.GRAPHQL_INTROSPECTION,
    )


@functools.lru_cache(maxsize=8)
def _validation_rules(
    max_depth: int, max_aliases: int, max_fields: int, introspection: bool
) -> tuple:
    from business.accounts.validation import SingleLoginRule

    rules = [
        *specified_rules,
        _alias_limit_rule(max_aliases),
        _field_limit_rule(max_fields),
        _safe_depth_rule(max_depth),
        SingleLoginRule,
    ]
    if not introspection:
        # Blocks __schema and __type but keeps __typename, which clients need.
        rules.append(NoSchemaIntrospectionCustomRule)
    return tuple(rules)
