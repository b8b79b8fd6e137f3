from django.apps import AppConfig


class InstrumentsConfig(AppConfig):
    name = "business.instruments"
    label = "instruments"
    verbose_name = "计量器具台账"

    def ready(self) -> None:
        from . import certificate_state, signals

        certificate_state.connect()
        signals.connect()
