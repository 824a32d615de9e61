"""Who may do what in selection. Views and the access-matrix test use these.

- Champions (and administrators) design procedures in the admin.
- Administrators run vacancies: open them, name the panel and assessors.
- An assessor sees only the candidates and stages assigned to them, and never
  another assessor's scores before the stage is revealed.
- The panel (its members and its chair) sees revealed scores side by side,
  agrees the consensus and decides; the chair closes rounds early.
- Reports are for the panel and whoever holds selection.view_selection_reports;
  equality answers only for selection.view_equality_data.
"""

from lms.roles import Role


def _active(user) -> bool:
    return user.is_authenticated and user.is_active


def user_can_design(user) -> bool:
    return _active(user) and user.has_perm("selection.change_procedure")


def user_can_run_vacancies(user) -> bool:
    return _active(user) and user.has_perm("selection.change_vacancy")


def user_is_chair(user, vacancy) -> bool:
    return _active(user) and vacancy.chair_id == user.pk


def user_is_on_panel(user, vacancy) -> bool:
    """The chair and the panel members: they see revealed scores and decide."""
    if not _active(user):
        return False
    if vacancy.chair_id == user.pk:
        return True
    return any(member.pk == user.pk for member in vacancy.panel.all())


def user_assesses_stage(user, vacancy_stage) -> bool:
    return _active(user) and any(
        assessor.pk == user.pk for assessor in vacancy_stage.assessors.all()
    )


def user_can_assess(user) -> bool:
    """Sees the "My assessments" page."""
    return _active(user) and user.has_role(Role.ASSESSOR, Role.CHAMPION)


def user_can_score(user, assignment) -> bool:
    """Only the assigned assessor, and only while the assignment is theirs."""
    return _active(user) and assignment.assessor_id == user.pk and assignment.is_active


def user_can_see_revealed_scores(user, vacancy_stage) -> bool:
    """Everybody's scores of a stage: the panel, once the stage is revealed.
    Administrators are not an exception."""
    return vacancy_stage.is_revealed and user_is_on_panel(user, vacancy_stage.vacancy)


def user_can_see_reports(user, vacancy) -> bool:
    return user_is_on_panel(user, vacancy) or (
        _active(user) and user.has_perm("selection.view_selection_reports")
    )


def user_can_see_equality_data(user) -> bool:
    return _active(user) and user.has_perm("selection.view_equality_data")


def user_can_see_application(user, application) -> bool:
    """A candidate's personal details and CV: the panel of the vacancy and the
    administrators who run vacancies. Assessors see what their assignment shows."""
    return user_can_run_vacancies(user) or user_is_on_panel(user, application.vacancy)
