"""incidents.stated_country: the country the reporter chose, kept apart from the derived
incidents.country so that recomputing the derived facts never loses it

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stated_country', sa.String(length=2), nullable=True))
    # Until now an incident without a place kept the country its writer gave: that was the
    # writer's choice. Afterwards run `flask --app wsgi incidents recompute-derived`.
    op.execute("UPDATE incidents SET stated_country = country WHERE place_id IS NULL AND country IS NOT NULL")


def downgrade():
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_column('stated_country')
