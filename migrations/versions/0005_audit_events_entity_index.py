"""index audit events by entity: the admin user page lists one account's newest events, which
otherwise scans the whole chain (120 ms at 300,000 events on SQLite)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 23:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_entity', ['entity_type', 'entity_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_entity')
