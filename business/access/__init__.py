"""Roles, permissions and data scope of business users.

Every business query, mutation, picker and export calls one of these with the signed-in
user (business.accounts.permissions.require_business_user gives it):

    from business.access import require_permission, scoped, get_in_scope, ScopePaths

    require_permission(user, "applications.submit")            # raises FORBIDDEN
    rows = scoped(Instrument.objects.all(), user, "instruments.view")
    row = get_in_scope(Instrument.objects.all(), user, "instruments.view", pk, noun="器具")

A scoped model declares where its organisation, division and owner are:

    class Instrument(models.Model):
        scope_paths = ScopePaths(organisation=("enterprise",), owner="created_by")

Scopes: own records (owner), own organisation, own division and below (the user's
organisation's division and every division under it), all. Permission codes live in
``catalogue.py``; unknown codes raise ValueError. Out-of-scope objects raise
NotFoundError, never a different error, so their existence is not revealed.
"""

_EXPORTED = {
    "NotFoundError",
    "PermissionDeniedError",
    "ScopePaths",
    "access_for",
    "forget_access",
    "get_in_scope",
    "has_permission",
    "require_permission",
    "scoped",
}


def __getattr__(name):
    # Imported lazily: this package is imported while Django loads the apps, before
    # the models that scope.py needs can be imported.
    if name in _EXPORTED:
        from . import scope

        return getattr(scope, name)
    raise AttributeError(name)
