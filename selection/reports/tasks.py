"""Celery tasks of this part."""
