"""Filters of the message centre's list."""

import django_filters

from .models import Message


class MessageFilter(django_filters.FilterSet):
    unread_only = django_filters.BooleanFilter(method="filter_unread_only", label="只看未读")
    kind = django_filters.ChoiceFilter(choices=Message.Kind.choices, label="消息类型")

    class Meta:
        model = Message
        fields = ["kind"]

    def filter_unread_only(self, queryset, name, value):
        if value:
            return queryset.filter(read_at__isnull=True)
        return queryset
