"""Wagtail admin user forms that keep admin and business user names apart.

Administrators and business users live in separate tables, and one name must not
exist in both, so that neither kind of account can be mistaken for the other in
logs and audit records. The business side checks admin names when it creates a
user; these forms make the admin side check business names.
"""

from django import forms
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet

from .models import BusinessUser


class _BusinessNameCheck:
    def clean_username(self):
        username = self.cleaned_data.get("username", "")
        if BusinessUser.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                "该用户名已被业务用户使用（不区分大小写），请换一个。", code="username_taken"
            )
        return username


class AdminUserCreationForm(_BusinessNameCheck, UserCreationForm):
    pass


class AdminUserEditForm(_BusinessNameCheck, UserEditForm):
    pass


class AdminUserViewSet(UserViewSet):
    def get_form_class(self, for_update=False):
        return AdminUserEditForm if for_update else AdminUserCreationForm
