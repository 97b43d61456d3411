"""Table definitions (SQLAlchemy Core). One schema for SQLite and PostgreSQL."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

from watchword.store.types import JSONText, UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = String(36)

tenants = Table(
    "tenants",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", ID, primary_key=True),
    Column("tenant_id", ID, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    # SHA-256 of the key: keys are 256-bit random, so a fast hash is enough.
    Column("key_hash", LargeBinary(32), nullable=False, unique=True),
    Column("scope", String(16), nullable=False),
    Column("label", String(200)),
    Column("allowed_networks", JSONText()),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime()),
)

resources = Table(
    "resources",
    metadata,
    Column("id", ID, primary_key=True),
    Column("tenant_id", ID, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("policy", JSONText(), nullable=False),
    # Bumped on every change: processes cache compiled policies keyed on it.
    Column("version", Integer, nullable=False, default=1),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_resources_tenant", "tenant_id", "id"),
)

users = Table(
    "users",
    metadata,
    Column("id", ID, primary_key=True),
    Column("tenant_id", ID, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("login", String(255), nullable=False),
    Column("display_name", String(255)),
    Column("email", String(320)),
    Column("phone", String(32)),
    Column("locale", String(8)),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("tenant_id", "login"),
)

memberships = Table(
    "memberships",
    metadata,
    Column("resource_id", ID, ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_memberships_user", "user_id"),
)

tokens = Table(
    "tokens",
    metadata,
    Column("id", ID, primary_key=True),
    Column("tenant_id", ID, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", ID, ForeignKey("users.id", ondelete="SET NULL")),
    Column("kind", String(16), nullable=False),
    Column("serial", String(64), nullable=False),
    Column("label", String(200)),
    # generated (server made the seed), hardware (vendor file), programmed (burnt by customer)
    Column("origin", String(16), nullable=False),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("digits", Integer, nullable=False),
    Column("algorithm", String(8), nullable=False),
    Column("period", Integer, nullable=False),
    Column("ocra_suite", String(64)),
    Column("destination", String(320)),
    # Next acceptable HOTP counter / TOTP step: only ever moves forward (replay refusal).
    Column("counter", BigInteger, nullable=False, default=0),
    Column("drift", Integer, nullable=False, default=0),
    Column("fail_count", Integer, nullable=False, default=0),
    Column("locked_until", UTCDateTime()),
    Column("secret", LargeBinary),
    Column("secret_key_id", String(16)),
    Column("batch_id", ID),
    Column("model", String(100)),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("last_used_at", UTCDateTime()),
    UniqueConstraint("tenant_id", "serial"),
    Index("ix_tokens_user", "user_id"),
)

audit = Table(
    "audit",
    metadata,
    Column("id", ID, primary_key=True),
    Column("tenant_id", ID, nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("actor", String(64)),
    Column("action", String(64), nullable=False),
    Column("target_type", String(32)),
    Column("target_id", String(64)),
    Column("login", String(255)),
    Column("result", String(16)),
    Column("reason", String(64)),
    Column("ip", String(64)),
    Column("detail", JSONText()),
    Index("ix_audit_tenant", "tenant_id", "id"),
)

import watchword.store.delivery  # noqa: E402  (challenges, outbox, channels)
import watchword.store.hardware  # noqa: E402  (hardware-token tables)
import watchword.store.ocra_challenges  # noqa: E402  (OCRA login questions)
import watchword.store.pacing  # noqa: E402  (send pacing per bot and chat)
import watchword.store.pins  # noqa: E402  (OCRA PIN hashes)
import watchword.store.send_counters  # noqa: E402  (SMS pumping limits)
import watchword.store.transaction_buttons  # noqa: E402  (CWYS Confirm/Decline)
import watchword.store.transactions  # noqa: E402, F401  (CWYS transactions)
