"""incidents.import_key: the key of the file row a bulk import created an incident from (`<key
column>:<value>`), unique, so that importing the same file again creates nothing new

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_key', sa.String(length=255), nullable=True))
        batch_op.create_index('ix_incidents_import_key', ['import_key'], unique=True)


def downgrade():
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index('ix_incidents_import_key')
        batch_op.drop_column('import_key')
