"""The student and staff importers: sealing in bulk gives what identity gives, one by one."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mofang.platform.imports.base import IMPORTERS
from mofang.platform.people import identity
from mofang.platform.people.identity import Sealer
from mofang.platform.people.importers import StaffImporter, StudentImporter


@given(st.text(min_size=1, max_size=40))
def test_bulk_sealing_opens_with_identity_and_hashes_like_identity(plain):
    sealer = Sealer()
    assert identity.unseal(sealer.seal(plain)) == plain
    assert sealer.lookup_hash(plain) == identity.lookup_hash(plain)


def test_empty_values_stay_empty_as_in_identity():
    sealer = Sealer()
    assert sealer.seal("") == identity.seal("") == ""
    assert sealer.lookup_hash("") == identity.lookup_hash("") == ""


def test_every_ciphertext_has_its_own_nonce_across_nonce_blocks():
    sealer = Sealer()
    nonces = {identity.base64.b64decode(sealer.seal("330106201809011232"))[:12] for _ in range(3 * 4096 + 5)}
    assert len(nonces) == 3 * 4096 + 5


@pytest.mark.parametrize("importer", [StudentImporter(), StaffImporter()], ids=["students", "staff"])
def test_declared_fields_are_model_fields_and_include_the_natural_key(importer):
    names = {f.name for f in importer.model._meta.concrete_fields} | {
        f.attname for f in importer.model._meta.concrete_fields
    }
    assert set(importer.db_fields) <= names
    assert importer.natural_key in importer.db_fields
    assert _is_unique(importer.model, importer.natural_key)
    for sealed, hashed in importer.sealed_fields.items():
        assert sealed in importer.db_fields and hashed in importer.db_fields


def test_both_are_registered():
    assert isinstance(IMPORTERS["students"], StudentImporter)
    assert isinstance(IMPORTERS["staff"], StaffImporter)


def _is_unique(model, name: str) -> bool:
    """unique=True, or a single-field unconditional UniqueConstraint (what ON CONFLICT needs)."""
    from django.db.models import UniqueConstraint

    return model._meta.get_field(name).unique or any(
        isinstance(c, UniqueConstraint) and tuple(c.fields) == (name,) and c.condition is None
        for c in model._meta.constraints
    )
