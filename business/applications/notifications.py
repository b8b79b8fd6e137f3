"""Recipients and texts of the messages sent when an application changes."""

import logging

from business.access import has_permission
from business.accounts.models import BusinessUser
from business.messages.models import Message
from business.messages.services import notify
from business.organisations.models import Organisation

logger = logging.getLogger(__name__)

ENTERPRISE_LINK = "/workbench/applications/{id}"
BOOKINGS_LINK = "/workbench/bookings"
ACCEPTANCE_LINK = "/workbench/acceptance"
RECORDS_LINK = "/workbench/records"
OUT_OF_PROVINCE_LINK = "/workbench/out-of-province"
TASKS_LINK = "/workbench/tasks"


def holders(organisation_ids, permission: str) -> list[BusinessUser]:
    """Active users of the organisations who hold ``permission``."""
    users = BusinessUser.objects.filter(organisation_id__in=list(organisation_ids), is_active=True)
    return [
        user for user in users.select_related("organisation") if has_permission(user, permission)
    ]


def ancestor_division_codes(division) -> list[str]:
    """Return the division's code and the codes of every division above it."""
    codes = []
    while division is not None:
        codes.append(division.code)
        division = division.parent
    return codes


def regulators_over(enterprise) -> list[int]:
    """Regulators whose division contains the enterprise's division."""
    codes = ancestor_division_codes(enterprise.division)
    return list(
        Organisation.objects.filter(
            kind=Organisation.Kind.REGULATOR, is_active=True, division_id__in=codes
        ).values_list("pk", flat=True)
    )


def enterprise_audience(application) -> list[BusinessUser]:
    """Return the enterprise's users who submit applications, the applicant and the assignee."""
    recipients = {
        user.pk: user for user in holders([application.enterprise_id], "applications.submit")
    }
    for user in (application.submitted_by, application.assignee):
        if user is not None and user.is_active:
            recipients[user.pk] = user
    return list(recipients.values())


def send(recipients, application, title: str, body: str, link: str) -> None:
    sent = notify(recipients, Message.Kind.APPLICATION, title, body, link)
    logger.info("Application %s: %s message(s) sent", application.pk, sent)


def to_enterprise(application, title: str, body: str = "") -> None:
    send(
        enterprise_audience(application),
        application,
        title,
        body,
        ENTERPRISE_LINK.format(id=application.pk),
    )


def to_institution(application, permission: str, title: str, link: str, body: str = "") -> None:
    if application.institution_id is None:
        return
    send(holders([application.institution_id], permission), application, title, body, link)


def to_regulators(application, title: str, body: str = "") -> None:
    recipients = holders(
        regulators_over(application.enterprise), "applications.confirm_out_of_province"
    )
    send(recipients, application, title, body, OUT_OF_PROVINCE_LINK)


def to_assignee(application, title: str, body: str = "") -> None:
    if application.assignee is None:
        return
    sent = notify([application.assignee], Message.Kind.TASK, title, body, TASKS_LINK)
    logger.info("Application %s: %s task message(s) sent", application.pk, sent)
