"""cwys delivery: Confirm/Decline button tokens of transaction messages

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

import watchword.store.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "transaction_buttons",
        sa.Column("token_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("tenant_id", sa.String(length=36), nullable=False),
        sa.Column("transaction_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", watchword.store.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_transaction_buttons_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["transactions.id"],
            name=op.f("fk_transaction_buttons_transaction_id_transactions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_transaction_buttons")),
    )
    with op.batch_alter_table("transaction_buttons", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_transaction_buttons_transaction_id"), ["transaction_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("transaction_buttons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transaction_buttons_transaction_id"))
    op.drop_table("transaction_buttons")
