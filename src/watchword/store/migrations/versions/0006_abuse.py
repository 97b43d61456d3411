"""abuse: SMS send counters per user and per destination prefix; OCRA login questions

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

import watchword.store.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "send_counters",
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("window_s", sa.Integer(), nullable=False),
        sa.Column("window_start", watchword.store.types.UTCDateTime(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expires_at", watchword.store.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_send_counters_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "scope", "key", "window_s", "window_start", name=op.f("pk_send_counters")
        ),
    )
    with op.batch_alter_table("send_counters", schema=None) as batch_op:
        batch_op.create_index("ix_send_counters_expires", ["expires_at"], unique=False)
    op.create_table(
        "ocra_challenges",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("resource_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("token_id", sa.String(length=36), nullable=False),
        sa.Column("question", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", watchword.store.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", watchword.store.types.UTCDateTime(), nullable=False),
        sa.Column("used_at", watchword.store.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_ocra_challenges_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ocra_challenges")),
    )
    with op.batch_alter_table("ocra_challenges", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ocra_challenges_user",
            ["tenant_id", "resource_id", "user_id", "state"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("ocra_challenges", schema=None) as batch_op:
        batch_op.drop_index("ix_ocra_challenges_user")
    op.drop_table("ocra_challenges")
    with op.batch_alter_table("send_counters", schema=None) as batch_op:
        batch_op.drop_index("ix_send_counters_expires")
    op.drop_table("send_counters")
