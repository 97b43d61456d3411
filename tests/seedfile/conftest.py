from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pskc"


@pytest.fixture
def fixture_bytes():
    def read(relative: str) -> bytes:
        return (FIXTURES / relative).read_bytes()

    return read
