"""Alembic migrations of the lifecycle schema, shipped inside the package so `pip install .` carries them."""
