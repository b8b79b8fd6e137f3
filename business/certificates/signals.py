"""Signals other apps use to follow certificates.

Certificates are written with bulk_create, which sends no post_save, so issuing
sends ``certificates_issued`` with the new rows instead.
"""

from django.dispatch import Signal

# Sent inside the issuing transaction with ``certificates``: the list just stored.
certificates_issued = Signal()
