"""Choosing the page template of a certificate PDF (called by business.certificates.pdf)."""

from business.certificates.models import Certificate

from .models import DEFAULT_TITLES, CertificateTemplate

TEMPLATE_NAME = "certtemplates/certificate_pdf.html"


def active_template(institution_id: int, kind: str) -> CertificateTemplate | None:
    return CertificateTemplate.objects.filter(
        institution_id=institution_id, kind=kind, is_active=True
    ).first()


def layout_for(certificate: Certificate, default_name: str) -> tuple[str, dict]:
    """Return (template name, extra context) for rendering ``certificate``.

    Certificates of an institution without an active template of their kind, and
    that replace no voided certificate, keep the default page unchanged.
    """
    template = active_template(certificate.institution_id, certificate.kind)
    replaces_number = certificate.replaces.number if certificate.replaces_id else ""
    if template is None and not replaces_number:
        return default_name, {}
    context = {"certificate_template": template, "replaces_number": replaces_number}
    if template is not None:
        context["title"] = template.title or DEFAULT_TITLES[certificate.kind]
    return TEMPLATE_NAME, context
