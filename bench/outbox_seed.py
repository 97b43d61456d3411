"""The outbox benchmark's fleet: tenants with one Telegram bot each, users, challenges.

Set up through the store and service layers in the benchmark's own process (the
same code the API runs); challenges through `issue_challenge`, so each one is a
challenge row plus its outbox row in one transaction, as in production.
"""

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from watchword.bootstrap import build_env
from watchword.config import Settings
from watchword.services.challenge import ChallengeRequest, issue_challenge
from watchword.services.channels import put_channel
from watchword.services.delivered_enrol import add_delivered_token
from watchword.services.env import Caller, Env
from watchword.services.tenants import create_tenant

RESOURCES = ("Web banking", "Mobile app")  # each user is in both: two codes per chat


@dataclass
class Bot:
    tenant_id: str
    caller: Caller
    token: str
    resources: list[str]
    logins: list[str]


@dataclass
class Fleet:
    env: Env
    bots: list[Bot] = field(default_factory=list)

    async def point_at(self, base_url: str) -> None:
        """Every bot's channel config at this Telegram (a fresh stub per run)."""
        for bot in self.bots:
            await put_channel(
                self.env,
                bot.caller,
                "telegram",
                {"api_base_url": base_url, "price": "0"},
                {"bot_token": bot.token},
            )

    async def close(self) -> None:
        await self.env.db.dispose()


def users_per_bot(bots: int, messages: int, hot_share: float) -> list[int]:
    """Users per bot (two messages each): the first bot gets ``hot_share`` of all."""
    users = messages // len(RESOURCES)
    hot = max(1, int(users * hot_share)) if bots > 1 else users
    rest = users - hot
    counts = [hot] + [rest // (bots - 1)] * (bots - 1) if bots > 1 else [hot]
    counts[-1] += users - sum(counts)
    return counts


async def seed_fleet(env_vars: dict[str, str], bots: int, messages: int, hot: float) -> Fleet:
    env = build_env(Settings.from_env({**env_vars, "WATCHWORD_INPROCESS_WORKER": "0"}))
    fleet = Fleet(env)
    now = datetime.now(UTC)
    chat = 100_000_000
    for i, count in enumerate(users_per_bot(bots, messages, hot)):
        tenant, issued = await create_tenant(env, f"Bench {i}")
        caller = Caller(tenant.id, issued.key.id, "admin")
        bot = Bot(tenant.id, caller, f"{700000 + i}:BENCH-{i}", [], [])
        async with env.db.uow() as uow:
            for name in RESOURCES:
                bot.resources.append((await uow.resources.add(tenant.id, name, {}, now)).id)
            for u in range(count):
                login = f"user{u:05d}"
                user = await uow.users.add(tenant.id, login, now)
                for rid in bot.resources:
                    await uow.resources.add_member(rid, user.id, now)
                chat += 1
                await add_delivered_token(
                    uow, tenant.id, user.id, login, "telegram", str(chat), now, None
                )
                bot.logins.append(login)
        fleet.bots.append(bot)
    return fleet


async def enqueue_all(fleet: Fleet, concurrency: int = 16) -> list[str]:
    """One challenge per user and resource; returns the challenge ids."""
    gate = asyncio.Semaphore(concurrency)

    async def one(bot: Bot, rid: str, login: str) -> str:
        async with gate:
            issued = await issue_challenge(fleet.env, bot.caller, ChallengeRequest(rid, login))
            return issued.challenge_id

    # Resource-major order: a chat's two codes are queued far apart, as logins are.
    jobs = [
        (b, r, u)
        for r_i in range(len(RESOURCES))
        for b in fleet.bots
        for u in b.logins
        for r in [b.resources[r_i]]
    ]
    return list(await asyncio.gather(*(one(b, r, u) for b, r, u in jobs)))


async def ledger(fleet: Fleet, challenge_ids: list[str]) -> list[dict[str, Any]]:
    """State and enqueue->sent latency of each challenge's outbox row."""
    from sqlalchemy import select

    from watchword.store.delivery import outbox

    rows: list[dict[str, Any]] = []
    async with fleet.env.db.uow() as uow:
        for start in range(0, len(challenge_ids), 1000):
            chunk = challenge_ids[start : start + 1000]
            query = select(
                outbox.c.state, outbox.c.created_at, outbox.c.sent_at, outbox.c.attempts
            ).where(outbox.c.challenge_id.in_(chunk))
            for r in (await uow.connection.execute(query)).all():
                latency = (r.sent_at - r.created_at).total_seconds() if r.sent_at else None
                rows.append({"state": r.state, "latency_s": latency, "attempts": r.attempts})
    return rows
