"""Who may do what with training sessions. Views and the access-matrix test
use these.

Anyone signed in sees a course's sessions and books a place. Trainers schedule
sessions; the trainer of a session, and whoever may change sessions, see its
bookings and mark attendance; administrators see the bookings too. A booking
and its calendar file are the officer's own.
"""


def _active(user) -> bool:
    return user.is_authenticated and user.is_active


def user_can_book(user) -> bool:
    return _active(user)


def user_can_schedule_sessions(user) -> bool:
    return _active(user) and user.has_perm("courses.add_trainingsession")


def user_can_mark_attendance(user, session) -> bool:
    return _active(user) and (
        session.trainer_id == user.pk or user.has_perm("courses.change_trainingsession")
    )


def user_can_see_bookings(user, session) -> bool:
    """Who booked and who waits: the trainer and the administrators."""
    return user_can_mark_attendance(user, session) or (
        _active(user) and user.has_perm("courses.view_trainingsession")
    )


def user_owns_booking(user, booking) -> bool:
    return _active(user) and booking.user_id == user.pk
