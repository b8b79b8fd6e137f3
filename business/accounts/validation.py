"""GraphQL validation rule that allows at most one ``login`` per document.

Aliases would otherwise let one request try many passwords (``a: login(...)
b: login(...)``), each attempt passing the per-request checks. Add the rule to the
endpoint's validation rules (business.core.api.validation).
"""

from graphql import GraphQLError
from graphql.language import FieldNode
from graphql.validation import ValidationRule

LOGIN_FIELD = "login"


class SingleLoginRule(ValidationRule):
    """Reject a document with more than one ``login`` field on the Mutation type.

    Fields inside fragment definitions count too, even when the fragment is unused.
    """

    def __init__(self, context):
        super().__init__(context)
        self.login_count = 0

    def enter_field(self, node: FieldNode, *_args):
        if node.name.value != LOGIN_FIELD:
            return
        mutation_type = self.context.schema.mutation_type
        if mutation_type is None or self.context.get_parent_type() is not mutation_type:
            return
        self.login_count += 1
        if self.login_count == 2:
            self.report_error(
                GraphQLError("一次请求只能包含一个 login 登录操作，请分开发送。", node)
            )
