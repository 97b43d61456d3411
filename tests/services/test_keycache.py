"""The API-key cache forgets entries after their time to live."""

from watchword.services.keycache import TTLCache


class Ticks:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_entry_is_served_within_its_ttl() -> None:
    clock = Ticks()
    cache: TTLCache[str] = TTLCache(ttl=5, clock=clock)
    cache.put(b"k", "v")
    clock.t = 4.9
    assert cache.get(b"k") == "v"


def test_entry_expires_after_its_ttl() -> None:
    clock = Ticks()
    cache: TTLCache[str] = TTLCache(ttl=5, clock=clock)
    cache.put(b"k", "v")
    clock.t = 5.0
    assert cache.get(b"k") is None


def test_zero_ttl_disables_the_cache() -> None:
    cache: TTLCache[str] = TTLCache(ttl=0)
    cache.put(b"k", "v")
    assert cache.get(b"k") is None
