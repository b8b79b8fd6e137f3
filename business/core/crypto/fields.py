"""Model fields for sensitive personal data: SM4-GCM encrypted text and HMAC-SM3 blind indexes.

An EncryptedTextField stores ``<key id>:<base64 of nonce || ciphertext || tag>``.
The key id names one of the keys in ``PLATFORM_FIELD_KEYS``, so old values stay
readable after a new key becomes current, until ``rotate_field_keys`` has
re-encrypted them. The associated data binds a ciphertext to its model and field,
so a value copied into another column does not decrypt.

Encrypted values cannot be searched. Add a BlindIndexField next to the encrypted
field and filter with ``blind_index_lookup``:

    class Person(models.Model):
        id_number = EncryptedTextField("身份证号码")
        id_number_index = BlindIndexField(source="id_number",
                                          normaliser=normalise_resident_id_number)

    Person.objects.filter(blind_index_lookup(Person, "id_number_index", "41010519..."))
"""

import base64
import binascii
import logging
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldError
from django.db import models, transaction
from django.db.models.functions import Cast

from . import keyring, sm3, sm4

logger = logging.getLogger(__name__)

_KEY_ID_SEPARATOR = ":"


class FieldDecryptionError(sm4.DecryptionError):
    """Raised when a stored value cannot be decrypted: unknown key id, bad format or failed tag."""


def encrypt_value(plaintext: str, binding: str) -> str:
    """Encrypt ``plaintext`` under the current field key and return the stored form."""
    ring = keyring.field_keyring()
    blob = sm4.encrypt_gcm(ring.current_key, plaintext.encode("utf-8"), binding.encode("utf-8"))
    return ring.current_id + _KEY_ID_SEPARATOR + base64.b64encode(blob).decode("ascii")


def decrypt_value(stored: str, binding: str) -> str:
    """Decrypt a value made by ``encrypt_value`` for the same ``binding``.

    Raises FieldDecryptionError naming the binding and key id, never the value.
    """
    key_id, separator, encoded = stored.partition(_KEY_ID_SEPARATOR)
    if not separator or not keyring.KEY_ID_PATTERN.fullmatch(key_id):
        raise FieldDecryptionError(
            f"Stored value of {binding} is not an encrypted value "
            "('<key id>:<base64>'); was it written without EncryptedTextField?"
        )
    key = keyring.field_keyring().keys.get(key_id)
    if key is None:
        raise FieldDecryptionError(
            f"Stored value of {binding} was encrypted with key id '{key_id}', which is not "
            "in PLATFORM_FIELD_KEYS. Add that key back (after the current one) and run "
            "rotate_field_keys before removing it."
        )
    try:
        blob = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        raise FieldDecryptionError(f"Stored value of {binding} has invalid base64.") from None
    try:
        return sm4.decrypt_gcm(key, blob, binding.encode("utf-8")).decode("utf-8")
    except sm4.DecryptionError as error:
        raise FieldDecryptionError(
            f"Cannot decrypt the stored value of {binding} with key id '{key_id}': {error}"
        ) from None


def stored_key_id(stored: str) -> str:
    """Return the key id in front of a stored encrypted value."""
    return stored.partition(_KEY_ID_SEPARATOR)[0]


class EncryptedTextField(models.TextField):
    """Text stored SM4-GCM encrypted, with a fresh random nonce on every save.

    Only the ``isnull`` lookup is allowed, because an encrypted value never equals
    another encryption of the same text. ``binding`` replaces the default associated
    data ``<app label>.<model>.<field>``. Set it to the old name before renaming the
    model or the field, or existing values stop decrypting.

    NOTE: the associated data names the column, not the row, so someone with write
    access to the table can still swap two rows' values of the same column.
    """

    description = "SM4-GCM 加密文本"

    def __init__(self, *args, binding: str = "", **kwargs):
        self.binding = binding
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.binding:
            kwargs["binding"] = self.binding
        return name, path, args, kwargs

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if self.unique or self.db_index or self.primary_key:
            errors.append(
                checks.Error(
                    "EncryptedTextField cannot be unique, indexed or a primary key, because "
                    "each save stores a different ciphertext.",
                    hint="Add a BlindIndexField with unique=True instead.",
                    obj=self,
                    id="core.E101",
                )
            )
        return errors

    @property
    def associated_binding(self) -> str:
        return self.binding or f"{self.model._meta.label_lower}.{self.name}"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return decrypt_value(value, self.associated_binding)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encrypt_value(value, self.associated_binding)

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.associated_binding} is encrypted and supports only the 'isnull' "
                f"lookup, not '{lookup_name}'. Filter on its blind index instead."
            )
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name):
        return None


# --- Blind indexes -------------------------------------------------------------


def normalise_text(value: str) -> str:
    """Apply NFKC and strip surrounding spaces, so full-width digits match ASCII ones."""
    return unicodedata.normalize("NFKC", value).strip()


def blind_index(purpose: str, value: str) -> str:
    """Return HMAC-SM3 of ``purpose`` and ``value`` as 64 hex characters.

    ``purpose`` separates columns, so equal values in two columns get unrelated
    indexes. The caller normalises ``value``.
    """
    message = purpose.encode("utf-8") + b"\x00" + value.encode("utf-8")
    return sm3.hmac_sm3(keyring.blind_index_key(), message).hex()


class BlindIndexField(models.CharField):
    """HMAC-SM3 index of another field's normalised plaintext, for exact-match look-ups.

    The value is computed on every save from the ``source`` attribute. A save with
    ``update_fields`` that names the source must also name this field, and
    ``QuerySet.update()`` does not refresh it.

    NOTE: ``PLATFORM_BLIND_INDEX_KEY`` cannot be rotated yet: a new key needs every
    index recomputed from the decrypted source values.
    """

    description = "HMAC-SM3 盲索引"

    def __init__(
        self,
        *args,
        source: str,
        normaliser: Callable[[str], str] = normalise_text,
        purpose: str = "",
        **kwargs,
    ):
        self.source = source
        self.normaliser = normaliser
        self.purpose = purpose
        kwargs.setdefault("max_length", 2 * sm3.DIGEST_SIZE)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        if self.normaliser is not normalise_text:
            kwargs["normaliser"] = self.normaliser
        if self.purpose:
            kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    @property
    def index_purpose(self) -> str:
        return self.purpose or f"{self.model._meta.label_lower}.{self.source}"

    def index_for(self, plaintext: str | None) -> str | None:
        """Return the index of ``plaintext``, or None for None."""
        if plaintext is None:
            return None
        return blind_index(self.index_purpose, self.normaliser(plaintext))

    def pre_save(self, model_instance, add):
        value = self.index_for(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def blind_index_lookup(model: type[models.Model], index_field_name: str, value: str) -> models.Q:
    """Return a Q object that matches rows whose source field equals ``value``."""
    index_field = model._meta.get_field(index_field_name)
    if not isinstance(index_field, BlindIndexField):
        raise TypeError(f"{model._meta.label}.{index_field_name} is not a BlindIndexField")
    return models.Q(**{index_field_name: index_field.index_for(value)})


# --- Key rotation ----------------------------------------------------------------


@dataclass
class RotationCount:
    """Result of re-encrypting one field: how many values moved to the current key."""

    label: str
    reencrypted: int
    total: int


def encrypted_fields() -> Iterator[tuple[type[models.Model], EncryptedTextField]]:
    """Yield every EncryptedTextField of every installed, managed, concrete model."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, EncryptedTextField):
                yield model, model_field


def reencrypt_field(
    model: type[models.Model],
    model_field: EncryptedTextField,
    *,
    batch_size: int = 500,
    dry_run: bool = False,
) -> RotationCount:
    """Re-encrypt every value of one field that is not under the current key.

    Each batch runs in its own transaction and locks its rows, so a concurrent
    save of one of them waits instead of being overwritten with older plaintext.
    """
    current_prefix = keyring.field_keyring().current_id + _KEY_ID_SEPARATOR
    name = model_field.name
    # Casting to a plain TextField returns the stored text without decrypting it.
    stale = (
        model._base_manager.annotate(stored=Cast(name, output_field=models.TextField()))
        .filter(stored__isnull=False)
        .exclude(stored__startswith=current_prefix)
    )
    label = f"{model._meta.label}.{name}"
    total = model._base_manager.filter(**{f"{name}__isnull": False}).count()
    if dry_run:
        return RotationCount(label, stale.count(), total)

    reencrypted = 0
    last_pk = None
    while True:
        with transaction.atomic():
            batch = stale.select_for_update().order_by("pk")
            if last_pk is not None:
                batch = batch.filter(pk__gt=last_pk)
            rows = list(batch.values_list("pk", "stored")[:batch_size])
            for pk, stored in rows:
                plaintext = decrypt_value(stored, model_field.associated_binding)
                # update() passes the plaintext through get_prep_value, which
                # encrypts it under the current key.
                model._base_manager.filter(pk=pk).update(**{name: plaintext})
        if not rows:
            break
        reencrypted += len(rows)
        last_pk = rows[-1][0]
        logger.info("Re-encrypted %s values of %s, up to pk %s", reencrypted, label, last_pk)
    return RotationCount(label, reencrypted, total)
