"""Encrypted fields, blind indexes, key rotation, identifier validators and masking."""

import io

import pytest
from django.core.exceptions import FieldError, ValidationError
from django.core.management import call_command
from django.db import connection, models

from business.core.crypto import fields, sm4
from business.core.crypto.fields import (
    BlindIndexField,
    EncryptedTextField,
    FieldDecryptionError,
    blind_index_lookup,
)
from business.core.masking import mask_email, mask_id_number, mask_name, mask_phone
from business.core.validators import (
    MobileNumberValidator,
    normalise_mobile_number,
    normalise_resident_id_number,
    validate_mobile_number,
    validate_resident_id_number,
)

KEY_1 = "k1:" + "11" * 16
KEY_2 = "k2:" + "22" * 16
BLIND_INDEX_KEY = "33" * 16

VALID_ID_NUMBER = "41010519900307123X"
OTHER_ID_NUMBER = "410105200002290014"


class EncryptedPerson(models.Model):
    """Model that exists only in this test module. The fixture below creates its table."""

    name = EncryptedTextField("姓名")
    phone = EncryptedTextField("手机号码", null=True, blank=True)
    phone_index = BlindIndexField(source="phone", normaliser=normalise_mobile_number)
    id_number = EncryptedTextField("身份证号码", blank=True, default="")
    id_number_index = BlindIndexField(
        source="id_number", normaliser=normalise_resident_id_number
    )

    class Meta:
        # A label of no installed app keeps the model out of apps.get_models(), so
        # test database set-up and flushes never look for its table. The rotation
        # tests add it to the model list themselves.
        app_label = "test_fields"
        db_table = "test_encrypted_person"


@pytest.fixture(scope="module")
def person_table(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(EncryptedPerson)
        yield
        with connection.schema_editor() as editor:
            editor.delete_model(EncryptedPerson)


@pytest.fixture
def keys(settings):
    settings.PLATFORM_FIELD_KEYS = KEY_1
    settings.PLATFORM_BLIND_INDEX_KEY = BLIND_INDEX_KEY
    return settings


@pytest.fixture
def installed_person_model(monkeypatch):
    """Make the rotation discover EncryptedPerson next to the installed models."""
    installed_models = fields.apps.get_models()
    monkeypatch.setattr(
        fields.apps, "get_models", lambda: [*installed_models, EncryptedPerson]
    )


@pytest.fixture
def people(person_table, db, keys):
    return [
        EncryptedPerson.objects.create(name="张三", phone="13812345678", id_number=VALID_ID_NUMBER),
        EncryptedPerson.objects.create(name="𠮷田", phone="13987654321", id_number=OTHER_ID_NUMBER),
        EncryptedPerson.objects.create(name="欧阳娜娜", phone=None),
    ]


def raw_column(person, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM test_encrypted_person WHERE id = %s", [person.pk])
        return cursor.fetchone()[0]


def set_raw_column(person, column, value):
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE test_encrypted_person SET {column} = %s WHERE id = %s", [value, person.pk]
        )


# --- Encrypted fields -----------------------------------------------------------


def test_encrypted_field_round_trip(people):
    stored = EncryptedPerson.objects.get(pk=people[0].pk)

    assert stored.name == "张三"
    assert stored.phone == "13812345678"
    assert stored.id_number == VALID_ID_NUMBER
    assert EncryptedPerson.objects.get(pk=people[1].pk).name == "𠮷田"
    assert EncryptedPerson.objects.get(pk=people[2].pk).phone is None


def test_no_plaintext_in_database_column(people):
    name = raw_column(people[0], "name")
    phone = raw_column(people[0], "phone")

    assert name.startswith("k1:")
    assert phone.startswith("k1:")
    assert "张三" not in name
    assert "13812345678" not in phone
    assert "5678" not in phone
    assert raw_column(people[2], "phone") is None


def test_two_encryptions_differ(people):
    first = raw_column(people[0], "name")

    people[0].save()

    assert raw_column(people[0], "name") != first
    assert EncryptedPerson.objects.get(pk=people[0].pk).name == "张三"


def test_unknown_key_id_raises_clear_error(people):
    set_raw_column(people[0], "name", "k9:" + raw_column(people[0], "name")[3:])

    with pytest.raises(FieldDecryptionError, match="key id 'k9', which is not in PLATFORM_FIEL"):
        EncryptedPerson.objects.get(pk=people[0].pk)


def test_tampered_ciphertext_raises(people):
    stored = raw_column(people[0], "phone")
    flipped = stored[:-6] + ("A" if stored[-6] != "A" else "B") + stored[-5:]
    set_raw_column(people[0], "phone", flipped)

    with pytest.raises(FieldDecryptionError, match="test_fields.encryptedperson.phone") as error:
        EncryptedPerson.objects.get(pk=people[0].pk)
    assert isinstance(error.value, sm4.DecryptionError)
    assert "13812345678" not in str(error.value)


def test_value_copied_to_other_column_does_not_decrypt(people):
    set_raw_column(people[0], "name", raw_column(people[0], "phone"))

    with pytest.raises(FieldDecryptionError, match="test_fields.encryptedperson.name"):
        EncryptedPerson.objects.get(pk=people[0].pk)


def test_plaintext_in_column_raises(people):
    set_raw_column(people[0], "name", "张三")

    with pytest.raises(FieldDecryptionError, match="not an encrypted value"):
        EncryptedPerson.objects.get(pk=people[0].pk)


def test_wrong_key_with_same_id_raises(people, keys):
    keys.PLATFORM_FIELD_KEYS = "k1:" + "44" * 16

    with pytest.raises(FieldDecryptionError, match="authentication failed"):
        EncryptedPerson.objects.get(pk=people[0].pk)


def test_lookups_other_than_isnull_rejected(people):
    with pytest.raises(FieldError, match="Filter on its blind index"):
        EncryptedPerson.objects.filter(phone="13812345678").count()

    assert EncryptedPerson.objects.filter(phone__isnull=True).count() == 1


def test_unique_encrypted_field_fails_check():
    errors = EncryptedTextField(unique=True).check()

    assert [error.id for error in errors] == ["core.E101"]


def test_encrypted_field_deconstructs_binding():
    _, path, _, kwargs = EncryptedTextField("姓名", binding="people.person.name").deconstruct()

    assert path == "business.core.crypto.fields.EncryptedTextField"
    assert kwargs["binding"] == "people.person.name"


# --- Blind indexes --------------------------------------------------------------


def test_blind_index_finds_equal_value(people):
    lookup = blind_index_lookup(EncryptedPerson, "phone_index", "138 1234 5678")

    assert list(EncryptedPerson.objects.filter(lookup)) == [people[0]]


def test_blind_index_normalises_id_number(people):
    lookup = blind_index_lookup(EncryptedPerson, "id_number_index", " 41010519900307123x ")

    assert list(EncryptedPerson.objects.filter(lookup)) == [people[0]]


def test_blind_index_misses_other_value(people):
    lookup = blind_index_lookup(EncryptedPerson, "phone_index", "13800000000")

    assert not EncryptedPerson.objects.filter(lookup).exists()


def test_blind_index_stored_as_hmac(people):
    index = raw_column(people[0], "phone_index")

    assert len(index) == 64
    assert index == fields.blind_index("test_fields.encryptedperson.phone", "13812345678")
    assert raw_column(people[2], "phone_index") is None


def test_blind_index_differs_by_column_and_key(keys):
    phone_index = fields.blind_index("test_fields.encryptedperson.phone", "13812345678")
    other_column = fields.blind_index("test_fields.encryptedperson.id_number", "13812345678")
    keys.PLATFORM_BLIND_INDEX_KEY = "44" * 16

    assert phone_index != other_column
    assert fields.blind_index("test_fields.encryptedperson.phone", "13812345678") != phone_index


def test_blind_index_follows_changed_value(people):
    people[0].phone = "13700000000"
    people[0].save()

    old = blind_index_lookup(EncryptedPerson, "phone_index", "13812345678")
    new = blind_index_lookup(EncryptedPerson, "phone_index", "13700000000")
    assert not EncryptedPerson.objects.filter(old).exists()
    assert EncryptedPerson.objects.filter(new).get() == people[0]


# --- Key rotation -------------------------------------------------------------------


def test_old_key_still_reads_after_new_key_added(people, keys):
    keys.PLATFORM_FIELD_KEYS = f"{KEY_2},{KEY_1}"

    assert EncryptedPerson.objects.get(pk=people[0].pk).name == "张三"
    people[1].save()
    assert raw_column(people[1], "name").startswith("k2:")


def test_rotation_reencrypts_under_current_key(people, keys, installed_person_model):
    keys.PLATFORM_FIELD_KEYS = f"{KEY_2},{KEY_1}"
    output = io.StringIO()

    call_command("rotate_field_keys", "--batch-size", "2", stdout=output)

    report = output.getvalue()
    assert "Current field key: k2" in report
    assert "test_fields.EncryptedPerson.name: 3 re-encrypted, 3 values" in report
    assert "test_fields.EncryptedPerson.phone: 2 re-encrypted, 2 values" in report
    assert "test_fields.EncryptedPerson.id_number: 3 re-encrypted, 3 values" in report
    for person in people:
        assert raw_column(person, "name").startswith("k2:")
    keys.PLATFORM_FIELD_KEYS = KEY_2
    assert [person.name for person in EncryptedPerson.objects.order_by("pk")] == [
        "张三",
        "𠮷田",
        "欧阳娜娜",
    ]
    assert EncryptedPerson.objects.get(pk=people[0].pk).phone == "13812345678"


def test_rotation_dry_run_changes_nothing(people, keys, installed_person_model):
    keys.PLATFORM_FIELD_KEYS = f"{KEY_2},{KEY_1}"
    output = io.StringIO()

    call_command("rotate_field_keys", "--dry-run", stdout=output)

    assert "test_fields.EncryptedPerson.name: 3 to re-encrypt, 3 values" in output.getvalue()
    assert raw_column(people[0], "name").startswith("k1:")


def test_encrypted_fields_found_on_concrete_models(installed_person_model):
    found = [
        field.name for model, field in fields.encrypted_fields() if model is EncryptedPerson
    ]

    assert found == ["name", "phone", "id_number"]


def test_rotation_skips_current_values(people, keys, installed_person_model):
    output = io.StringIO()

    call_command("rotate_field_keys", stdout=output)

    assert "test_fields.EncryptedPerson.name: 0 re-encrypted, 3 values" in output.getvalue()


# --- Validators -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", [VALID_ID_NUMBER, OTHER_ID_NUMBER, "440304198512125617", "11010519491231002X"]
)
def test_valid_id_numbers_accepted(value):
    validate_resident_id_number(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("41010519900307123", "invalid_format"),
        ("41010519900307123X1", "invalid_format"),
        ("41010519900307123x", "invalid_format"),
        ("4101051990030712AX", "invalid_format"),
        ("410105199002301231", "invalid_birth_date"),
        ("410105190002291231", "invalid_birth_date"),
        ("410105189912311231", "invalid_birth_date"),
        ("410105299912311231", "invalid_birth_date"),
        ("410105199003071231", "invalid_check_character"),
        ("410105200002290015", "invalid_check_character"),
    ],
)
def test_invalid_id_numbers_rejected(value, code):
    with pytest.raises(ValidationError) as error:
        validate_resident_id_number(value, "法定代表人身份证号码")

    assert error.value.code == code
    assert error.value.messages[0].startswith("法定代表人身份证号码")


def test_id_number_normalised_before_validation():
    validate_resident_id_number(normalise_resident_id_number(" 41010519900307123x "))


@pytest.mark.parametrize("value", ["13812345678", "19912345678", "16600000000"])
def test_valid_mobile_numbers_accepted(value):
    validate_mobile_number(value)


@pytest.mark.parametrize(
    "value", ["1381234567", "138123456789", "23812345678", "12012345678", "1381234567a", ""]
)
def test_invalid_mobile_numbers_rejected(value):
    with pytest.raises(ValidationError) as error:
        MobileNumberValidator("联系人手机号码")(value)

    assert error.value.code == "invalid_mobile_number"
    assert error.value.messages[0].startswith("联系人手机号码应为")


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("008613812345678", "13812345678"),
        ("+86138123456", "+86138123456"),
    ],
)
def test_mobile_number_normalised(raw, normalised):
    assert normalise_mobile_number(raw) == normalised


# --- Masking ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("function", "value", "masked"),
    [
        (mask_phone, "13812345678", "138****5678"),
        (mask_phone, "138 1234 5678", "138****5678"),
        (mask_phone, "037165432100", "037*****2100"),
        (mask_phone, "65432100", "****2100"),
        (mask_phone, "12345", "*****"),
        (mask_id_number, "410105199003071234", "410105********1234"),
        (mask_id_number, "41010519900307123X", "410105********123X"),
        (mask_id_number, "410105900307123", "410105*****7123"),
        (mask_id_number, "E12345678", "E*******8"),
        (mask_id_number, "AB", "**"),
        (mask_name, "张", "*"),
        (mask_name, "张三", "张*"),
        (mask_name, "张三丰", "张**"),
        (mask_name, "欧阳娜娜", "欧阳**"),
        (mask_name, "阿依古丽·买买提", "阿依******"),
        (mask_name, "𠮷", "*"),
        (mask_name, "𠮷田", "𠮷*"),
        (mask_name, "𠮷野家", "𠮷**"),
        (mask_name, "𠮷𠮷𠮷𠮷", "𠮷𠮷**"),
        (mask_email, "zhangsan@example.com", "z***@example.com"),
        (mask_email, "a@example.com", "*@example.com"),
        (mask_email, "𠮷田@例子.中国", "𠮷***@例子.中国"),
        (mask_email, "no-at-sign", "n***"),
    ],
)
def test_masking_rules(function, value, masked):
    assert function(value) == masked


@pytest.mark.parametrize("function", [mask_phone, mask_id_number, mask_name, mask_email])
def test_masking_keeps_empty_values(function):
    assert function(None) is None
    assert function("") == ""


def test_masking_counts_code_points_not_utf16_units():
    masked = mask_name("𠮷野家")

    assert len(masked) == 3
    assert len(masked.encode("utf-16-le")) // 2 == 4
