"""abuse: SMS send counters per user and per destination prefix

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


def downgrade() -> None:
    with op.batch_alter_table("send_counters", schema=None) as batch_op:
        batch_op.drop_index("ix_send_counters_expires")
    op.drop_table("send_counters")
