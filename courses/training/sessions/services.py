"""Sessions: booking, the waiting list, attendance."""


def session_attended(*, enrolment) -> bool:
    """Whether the officer attended a session of the course, when the course is
    taught in a classroom or blended (True for self-paced online courses)."""
    return True
