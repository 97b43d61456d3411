"""Storage: tables, migrations, repositories, unit of work, key ring.

The only package that imports SQLAlchemy.
"""
