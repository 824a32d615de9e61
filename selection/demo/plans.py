"""Who runs each demo vacancy and when, and the few points set by hand (see
seed.py for the story they tell)."""

from dataclasses import dataclass, field

PROCEDURE_TITLE = "Selecting probation officers (EPR 22)"
RETENTION_MONTHS = 12

ASTANA_VACANCY = "astana-2026-07"
ALMATY_VACANCY = "almaty-2026-12"
OPEN_VACANCY = "almaty-2026-15"

# The champion who wrote the procedure.
DESIGNER = "champion.astana"
LENIENT = "assessor.almaty-region"
# Almaty's interview: who declares a conflict on whom, who joins the stage to
# take that candidate, and whose last candidate is left half-scored.
CONFLICTED = ("assessor.almaty", "almaty-3")
JOINS_INTERVIEW = "assessor.astana"
UNFINISHED = ("assessor.almaty", "almaty-11")
UNFINISHED_SAVED = 3
# Almaty's interview: candidates the panel has agreed on so far.
AGREED_AT_INTERVIEW = ("almaty-1", "almaty-2", "almaty-7")
# Astana's written test: the score its assessor amends (before, then after).
AMENDED = ("assessor.astana", "astana-2", "communication")

# Points set by hand: (candidate, stage kind, competency) -> {assessor: point}.
POINTS = {
    ("almaty-6", "interview", "resilience"): {"assessor.almaty": 2, LENIENT: 4},
    ("astana-3", "role_play", "motivating_change"): {
        "assessor.astana": 2,
        LENIENT: 4,
        "assessor.almaty": 3,
    },
    ("astana-2", "written_test", "communication"): {"assessor.astana": 2, LENIENT: 4},
}


@dataclass(frozen=True)
class Plan:
    """How a vacancy is run: its people (demo usernames), its assessors by
    stage kind, and its timeline in days from today."""

    administrator: str
    chair: str
    panel: tuple[str, ...]
    assessors: dict[str, tuple[str, ...]]
    opens: int
    closes: int
    # stage kind -> (first day, last day) of its assessment
    stage_days: dict[str, tuple[int, int]] = field(default_factory=dict)
    decided: int | None = None
    closed: int | None = None


PLANS = {
    ASTANA_VACANCY: Plan(
        administrator="administrator.astana",
        chair="champion.astana",
        panel=("manager.astana",),
        assessors={
            "screening": ("assessor.astana", LENIENT),
            "written_test": ("assessor.astana", LENIENT),
            "interview": ("assessor.astana", LENIENT, "assessor.almaty"),
            "role_play": ("assessor.astana", LENIENT, "assessor.almaty"),
        },
        opens=-130,
        closes=-100,
        stage_days={
            "screening": (-98, -95),
            "written_test": (-90, -86),
            "interview": (-80, -77),
            "role_play": (-70, -67),
        },
        decided=-62,
        closed=-30,
    ),
    ALMATY_VACANCY: Plan(
        administrator="administrator.almaty",
        chair="champion.almaty",
        panel=("manager.almaty",),
        assessors={
            "screening": ("assessor.almaty", LENIENT),
            "written_test": ("assessor.almaty", LENIENT),
            "interview": ("assessor.almaty", LENIENT),
            "role_play": ("assessor.almaty", LENIENT),
        },
        opens=-50,
        closes=-22,
        stage_days={
            "screening": (-20, -17),
            "written_test": (-13, -10),
            "interview": (-6, -1),
        },
    ),
    OPEN_VACANCY: Plan(
        administrator="administrator.almaty",
        chair="champion.almaty",
        panel=("manager.almaty",),
        assessors={
            "screening": ("assessor.almaty", LENIENT),
            "written_test": ("assessor.almaty", LENIENT),
            "interview": ("assessor.almaty", LENIENT),
            "role_play": ("assessor.almaty", LENIENT),
        },
        opens=-10,
        closes=18,
    ),
}
