"""Reads of this part of training management."""


def my_learning(user) -> dict:
    """What this part adds to the officer's My learning page."""
    return {}
