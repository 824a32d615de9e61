"""Demo data of this part of training management."""


def seed(stdout) -> None:
    """Idempotent."""
