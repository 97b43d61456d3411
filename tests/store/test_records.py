"""Records are built positionally from joined rows: their fields must follow the tables."""

import dataclasses

import pytest

from watchword.store import records, tables


@pytest.mark.parametrize(("record", "table"), [(records.User, tables.users), (records.Token, tables.tokens)])
def test_record_fields_follow_table_columns(record: type, table) -> None:  # type: ignore[no-untyped-def]
    assert [f.name for f in dataclasses.fields(record)] == [c.name for c in table.c]


def test_ids_made_in_a_row_sort_in_creation_order() -> None:
    from watchword.store.types import new_id

    ids = [new_id() for _ in range(10_000)]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert all(i[14] == "7" for i in ids)  # UUID version 7
