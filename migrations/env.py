"""Alembic environment, wired to the package's metadata.

The URL comes from the Alembic config that :func:`crawler.store.db.upgrade`
builds, never from a file in the working directory, so ``crawler db upgrade``
works from anywhere and after a non-editable install.
"""

from alembic import context
from sqlalchemy import engine_from_config, pool, text

from crawler.store.models import Base, described_by_models

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        compare_type=True,
        include_name=described_by_models,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        if connection.dialect.name == "postgresql":
            # Daemons, workers and crawls starting together on a new database each upgrade it:
            # one at a time, so the later ones find the work done instead of racing it.
            connection.execute(text("SELECT pg_advisory_lock(hashtext('crawler migrations'))"))
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
            include_name=described_by_models,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
