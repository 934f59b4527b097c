"""monthly incident rollups for the dashboards, and an index for their map

An existing database that holds incidents gets empty rollups from this revision: fill them with
`flask --app wsgi rollups rebuild` (new incidents are counted as they are written).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 00:34:18.354488

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('incident_rollups',
    sa.Column('category_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('place_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('dimension', sa.String(length=20), nullable=False),
    sa.Column('month', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('value', sa.String(length=40), nullable=False),
    sa.Column('incidents', sa.Integer(), server_default='0', nullable=False),
    sa.Column('quantity_milli', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('arrests', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('category_id', 'status', 'country', 'place_id', 'dimension', 'month', 'value',
                            name=op.f('pk_incident_rollups')),
    sqlite_with_rowid=False
    )
    op.create_index('ix_incidents_category_map', 'incidents', ['category_id', 'occurred_at', 'lat', 'lon'],
                    unique=False)


def downgrade():
    op.drop_index('ix_incidents_category_map', table_name='incidents')
    op.drop_table('incident_rollups')
