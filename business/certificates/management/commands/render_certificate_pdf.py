"""Write an issued certificate's PDF to a file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from business.certificates.models import Certificate
from business.certificates.pdf import CertificatePdfError, render_certificate_pdf


class Command(BaseCommand):
    help = (
        "Render the certificate with the given number as an A4 PDF/A-3b file with its "
        "check code and QR code. An existing output file is overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument("number", help="Certificate number, for example HNJY2026000001.")
        parser.add_argument("output", type=Path, help="Path of the PDF file to write.")

    def handle(self, *args, number: str, output: Path, **options):
        number = number.strip()
        certificate = (
            Certificate.objects.select_related("signing_key").filter(number=number).first()
        )
        if certificate is None:
            raise CommandError(f"Certificate {number!r} not found. Check the number and try again.")
        if not output.parent.is_dir():
            raise CommandError(
                f"Output directory {str(output.parent)!r} does not exist. Create it first."
            )

        try:
            pdf = render_certificate_pdf(certificate)
        except CertificatePdfError as error:
            raise CommandError(error.message) from error

        output.write_bytes(pdf)
        self.stdout.write(f"Wrote certificate {certificate.number} ({len(pdf)} bytes) to {output}")
