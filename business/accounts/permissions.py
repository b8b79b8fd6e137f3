"""Access checks for business GraphQL resolvers.

Every business query and mutation that needs a signed-in user calls
``require_business_user`` (or uses ``business_user_required``). Only ``me``,
``changePassword`` and ``logout`` pass ``allow_must_change=True``: a user with an
initial, reset or expired password may do nothing else until it is changed.
"""

import functools

from business.core.api.errors import PublicError

from .models import BusinessUser


class UnauthenticatedError(PublicError):
    def __init__(self):
        super().__init__("尚未登录或登录已过期，请重新登录。", code="UNAUTHENTICATED")


class PasswordChangeRequiredError(PublicError):
    def __init__(self):
        super().__init__(
            "当前密码是初始密码、已被重置或已过期，请先修改密码再继续操作。",
            code="PASSWORD_CHANGE_REQUIRED",
        )


def require_business_user(info, allow_must_change: bool = False) -> BusinessUser:
    """Return the signed-in business user of the request, or raise a PublicError."""
    user = getattr(info.context, "business_user", None)
    if user is None:
        raise UnauthenticatedError()
    if not allow_must_change and user.password_change_required:
        raise PasswordChangeRequiredError()
    return user


def business_user_required(resolver=None, *, allow_must_change: bool = False):
    """Decorate a resolver ``(root, info, **arguments)`` with ``require_business_user``.

    Use as ``@business_user_required`` or ``@business_user_required(allow_must_change=True)``.
    """

    def decorate(function):
        @functools.wraps(function)
        def wrapper(root, info, *args, **kwargs):
            require_business_user(info, allow_must_change=allow_must_change)
            return function(root, info, *args, **kwargs)

        return wrapper

    if resolver is not None:
        return decorate(resolver)
    return decorate
