"""Alembic environment: runs on the connection that survey.db.migrate hands over."""
from alembic import context

from survey.db import db

target_metadata = db.metadata
connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
