"""Every column holding a master key id is known to rotation (a new one must be added).

Whether each descriptor's aad matches its sealing code is proven end to end in
test_rotate_all.py: rotation opens every value with it."""

import watchword.store.uow  # noqa: F401  (imports every table module)
from watchword.store.sealed import SEALED_COLUMNS
from watchword.store.tables import metadata


def test_every_key_id_column_is_a_sealed_column_descriptor() -> None:
    key_id_columns = {
        (t.name, c.name)
        for t in metadata.sorted_tables
        for c in t.columns
        if c.name.endswith("key_id")
    }
    described = {(col.table.name, col.key_id) for col in SEALED_COLUMNS}
    assert key_id_columns == described


def test_each_descriptor_names_real_columns() -> None:
    for col in SEALED_COLUMNS:
        assert {col.blob, col.key_id, *col.ids} <= set(col.table.c.keys()), col.kind
