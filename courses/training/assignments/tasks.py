"""Celery tasks of this part of training management."""
