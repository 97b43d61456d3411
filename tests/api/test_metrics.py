"""GET /metrics: Prometheus counters of decisions."""

from tests.api.setup import enrolled, verify
from tests.conftest import Api


def sample(text: str, name: str, **labels: str) -> float:
    """The sum of ``name``'s samples whose labels include all of ``labels``."""
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(name + "{"):
            continue
        head, value = line.rsplit(" ", 1)
        found = dict(part.split("=", 1) for part in head[len(name) + 1 : -1].split(","))
        if all(found.get(k) == f'"{v}"' for k, v in labels.items()):
            total += float(value)
    return total


async def test_verify_outcomes_are_counted(api: Api) -> None:
    e = await enrolled(api, kind="hotp")
    before = (await api.client.get("/metrics")).text
    await verify(api, e, e.hotp().at(0))
    await verify(api, e, e.hotp().at(0))
    after = (await api.client.get("/metrics")).text
    name = "watchword_decisions_total"
    assert sample(after, name, action="verify", result="accepted") - sample(before, name, action="verify", result="accepted") == 1
    assert sample(after, name, action="verify", reason="replayed") - sample(before, name, action="verify", reason="replayed") == 1


async def test_latency_is_labelled_by_route_template(api: Api) -> None:
    e = await enrolled(api)
    await api.get(f"/tokens/{e.token_id}")
    text = (await api.client.get("/metrics")).text
    assert 'route="/tokens/{token_id}"' in text
    assert e.token_id not in text
