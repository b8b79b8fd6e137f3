"""Keep each instrument's copy of its enterprise's division current."""

import logging

from django.db.models.signals import post_save

from business.organisations.models import Organisation

from .models import Instrument

logger = logging.getLogger(__name__)


def copy_enterprise_division(sender, instance: Organisation, update_fields=None, **kwargs) -> None:
    """After an enterprise is saved, give its instruments the enterprise's division."""
    if kwargs.get("raw") or instance.kind != Organisation.Kind.ENTERPRISE:
        return
    if update_fields is not None and "division" not in update_fields:
        return
    moved = (
        Instrument.objects.filter(enterprise_id=instance.pk)
        .exclude(enterprise_division_id=instance.division_id)
        .update(enterprise_division_id=instance.division_id)
    )
    if moved:
        logger.info(
            "Moved %d instruments of enterprise %s to division %s",
            moved,
            instance.pk,
            instance.division_id,
        )


def connect() -> None:
    post_save.connect(
        copy_enterprise_division,
        sender=Organisation,
        dispatch_uid="instruments.enterprise_division",
    )
