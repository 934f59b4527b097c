"""Reference rows get their name in Mongolian (`name_mn`, Cyrillic): the fourth interface
language. Empty until `seed-reference` loads it from the CSVs or an administrator types it;
an empty name shows the English one.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 06:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

TABLES = ('categories', 'species', 'products', 'places')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('name_mn', sa.String(length=200), server_default='', nullable=False))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('name_mn')
