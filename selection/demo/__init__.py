"""The selection demo: a procedure with four stages, a closed vacancy with its
decisions, one in assessment and one open for applications (see seed.py).
Importing this package registers it with seed_demo."""

from lms.registry import DemoSeeder, demo_seeders


def _seed_demo(stdout) -> None:
    from selection.demo import seed

    seed.seed(stdout)


demo_seeders.register(DemoSeeder(key="selection", seed=_seed_demo, order=20))
