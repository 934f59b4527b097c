"""Every schema change is a migration: upgrading an empty database gives exactly the models."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from tests.conftest import make_config
from tracker import create_app
from tracker.extensions import db


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS migration_check"))
        conn.execute(text("CREATE DATABASE migration_check"))
    yield url.set(database="migration_check").render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS migration_check WITH (FORCE)"))
    admin.dispose()


def test_upgrade_from_empty_matches_the_models(empty_database_url):
    app = create_app(make_config(empty_database_url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == []


def test_downgrade_to_base_removes_every_table(empty_database_url):
    app = create_app(make_config(empty_database_url))
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        db.engine.dispose()
    assert tables == set()
