"""drop ix_incidents_category_occurred: ix_incidents_category_map (category, date, lat, lon)
serves every query it served, so it only cost writes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 01:52:37.819423

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incidents_category_occurred'))



def downgrade():
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incidents_category_occurred'), ['category_id', 'occurred_at'], unique=False)

