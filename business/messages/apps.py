from django.apps import AppConfig


class MessagesConfig(AppConfig):
    name = "business.messages"
    label = "platform_messages"
    verbose_name = "消息中心"
