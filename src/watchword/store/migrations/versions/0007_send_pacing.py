"""send pacing: per-bot and per-chat send slots shared by every worker

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "send_pacing",
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("tat", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_send_pacing")),
    )
    with op.batch_alter_table("send_pacing", schema=None) as batch_op:
        batch_op.create_index("ix_send_pacing_tat", ["tat"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("send_pacing", schema=None) as batch_op:
        batch_op.drop_index("ix_send_pacing_tat")
    op.drop_table("send_pacing")
