"""The champions approve the criteria: a champion drafts a framework version and
submits it; another champion approves it (or asks for changes) through Wagtail's
workflow; the version becomes current only when approved; approved versions are
never edited, only succeeded; anyone compares two approved versions.

Bad inputs tried: the submitter approving their own submission (through the
workflow view, the edit view and the service), a request for changes without a
comment, a save, an unpublish and a delete of an approved version (also by a
superuser), a crafted "Publish" that skips the review, a successor with a label
already taken or empty, comparing a draft as a member of the public, comparing
a version with itself, an unknown label, a trainer making a version current.
"""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Revision, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from lms import services
from lms.models import AuditEntry, FrameworkVersion
from lms.roles import Role
from tests.lms.factories import (
    CompetencyFactory,
    FrameworkVersionFactory,
    current_framework,
    scale,
)

pytestmark = pytest.mark.django_db

ADD = "wagtailsnippets_lms_frameworkversion:add"
EDIT = "wagtailsnippets_lms_frameworkversion:edit"
LIST = "wagtailsnippets_lms_frameworkversion:list"
UNPUBLISH = "wagtailsnippets_lms_frameworkversion:unpublish"
DELETE = "wagtailsnippets_lms_frameworkversion:delete"
WORKFLOW_ACTION = "wagtailsnippets_lms_frameworkversion:workflow_action"


@pytest.fixture
def champions(make_user):
    """Two champions: one drafts and submits, the other reviews."""
    return make_user(Role.CHAMPION), make_user(Role.CHAMPION)


def in_ru(message: str) -> str:
    # The test users' language, as the admin speaks to them.
    with translation.override("ru"):
        return gettext(message)


def competency_data(key="integrity", name_en="Integrity", competency_id=None):
    return {
        **({"id": competency_id} if competency_id else {}),
        "key": key,
        "domain": "integrity",
        "name_kk": "Адалдық",
        "name_ru": "Честность",
        "name_en": name_en,
        "definition_kk": "",
        "definition_ru": "Действует честно.",
        "definition_en": "Acts honestly.",
        "indicators": streamfield(
            [("positive", {"kk": "", "ru": "Говорит правду", "en": "Tells the truth"})]
        ),
        "scale": streamfield(
            [
                ("point", {k: v[k] for k in ("point", "label", "anchor")})
                for _type, v in scale(5)
            ]
        ),
    }


def version_form(label="2027.1", competencies=None, initial=0, **fields):
    return nested_form_data(
        {
            "label": label,
            "title_kk": "Құзыреттер моделі",
            "title_ru": "Модель компетенций",
            "title_en": fields.pop("title_en", "Competency framework"),
            "description_kk": "",
            "description_ru": "",
            "description_en": "",
            "competencies": inline_formset(
                competencies or [competency_data()], min=1, initial=initial
            ),
            **fields,
        }
    )


def submit_new_version(client, author, label="2027.1") -> FrameworkVersion:
    client.force_login(author)
    response = client.post(reverse(ADD), {**version_form(label), "action-submit": "1"})
    assert response.status_code == 302, response.context["form"].errors
    return FrameworkVersion.objects.get(label=label)


def workflow_action(client, version, action, **data):
    task_state = version.current_workflow_task_state
    return client.post(
        reverse(WORKFLOW_ACTION, args=[version.pk, action, task_state.pk]), data
    )


def framework_audit(version):
    return list(
        AuditEntry.objects.for_object(version)
        .filter(action__startswith="framework.")
        .order_by("pk")
        .values_list("action", "actor_id", "data")
    )


# The review ---------------------------------------------------------------


def test_the_review_workflow_is_assigned_to_framework_versions():
    workflow = FrameworkVersion.get_default_workflow()
    assert workflow is not None and workflow.name == "Champions' review"
    [task] = [task.specific for task in workflow.tasks]
    assert task.name == "Champions approve"
    assert [group.name for group in task.groups.all()] == [Role.CHAMPION.value]


def test_a_champion_submits_another_approves_and_it_becomes_current(client, champions):
    author, reviewer = champions
    old = current_framework(competencies=1)
    version = submit_new_version(client, author)
    assert not version.live and version.workflow_in_progress
    assert not version.is_current
    told = {address for message in mail.outbox for address in message.to}
    assert reviewer.email in told and author.email not in told

    client.force_login(reviewer)
    edit = client.get(reverse(EDIT, args=[version.pk])).content.decode()
    assert 'data-workflow-action-name="approve"' in edit
    assert 'name="action-publish"' not in edit, "no publishing around the review"
    response = workflow_action(client, version, "approve", comment="Anchors are clear.")
    assert response.status_code == 302

    version.refresh_from_db()
    old.refresh_from_db()
    assert version.live and version.is_current
    assert not old.is_current
    assert FrameworkVersion.objects.current() == version
    assert version.competencies.get().name_en == "Integrity"
    actions = framework_audit(version)
    assert [(action, actor) for action, actor, _data in actions] == [
        ("framework.submit", author.pk),
        ("framework.publish", author.pk),  # names the published revision's author
        ("framework.approve", reviewer.pk),
        ("framework.make_current", reviewer.pk),
    ]
    assert actions[2][2]["comment"] == "Anchors are clear."
    assert actions[3][2] == {"previous": old.label}

    public = client.get("/en/framework/").content.decode()
    assert "Version 2027.1" in public


def test_the_submitter_cannot_approve_their_own_submission(client, champions):
    author, _reviewer = champions
    current_framework(competencies=1)
    version = submit_new_version(client, author)

    edit = client.get(reverse(EDIT, args=[version.pk])).content.decode()
    assert 'data-workflow-action-name="approve"' not in edit
    through_the_modal = workflow_action(client, version, "approve")
    assert through_the_modal.status_code in (302, 403)
    through_the_editor = client.post(
        reverse(EDIT, args=[version.pk]),
        {
            **version_form(
                competencies=[
                    competency_data(competency_id=version.competencies.get().pk)
                ],
                initial=1,
            ),
            "action-workflow-action": "1",
            "workflow-action-name": "approve",
        },
    )
    assert through_the_editor.status_code == 200, "refused, the form shown again"
    with pytest.raises(ValidationError) as refused:
        services.framework_version_review(version=version, actor=author, approve=True)
    assert refused.value.code == "own_submission"

    version.refresh_from_db()
    assert not version.live and not version.is_current
    assert version.workflow_in_progress
    assert not AuditEntry.objects.filter(action="framework.approve").exists()


def test_the_reviewer_queue_leaves_out_ones_own_submissions(champions):
    author, reviewer = champions
    version = FrameworkVersionFactory(live=False)
    services.framework_version_submit(version=version, actor=author)
    task = version.current_workflow_task
    assert not task.get_task_states_user_can_moderate(author).exists()
    assert task.get_task_states_user_can_moderate(reviewer).count() == 1


def test_changes_asked_for_keep_a_draft_then_a_resubmission_is_approved(
    client, champions
):
    author, reviewer = champions
    old = current_framework(competencies=1)
    version = submit_new_version(client, author)

    client.force_login(reviewer)
    without_comment = client.post(
        reverse(
            WORKFLOW_ACTION,
            args=[version.pk, "reject", version.current_workflow_task_state.pk],
        ),
        {"comment": ""},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert in_ru("This field is required.") in without_comment.json()["html"]
    version.refresh_from_db()
    assert version.workflow_in_progress, "nothing happened without a comment"

    workflow_action(client, version, "reject", comment="Point 3 reads like point 4.")
    version.refresh_from_db()
    old.refresh_from_db()
    assert not version.live and not version.is_current and old.is_current
    assert version.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    [reject] = AuditEntry.objects.filter(action="framework.reject")
    assert reject.actor == reviewer
    assert reject.data["comment"] == "Point 3 reads like point 4."

    client.force_login(author)
    resubmitted = client.post(
        reverse(EDIT, args=[version.pk]),
        {
            **version_form(
                competencies=[
                    competency_data(
                        name_en="Integrity at work",
                        competency_id=version.competencies.get().pk,
                    )
                ],
                initial=1,
            ),
            "action-submit": "1",
        },
    )
    assert resubmitted.status_code == 302
    version.refresh_from_db()
    assert version.workflow_in_progress

    client.force_login(reviewer)
    workflow_action(client, version, "approve")
    version.refresh_from_db()
    assert version.is_current
    assert version.competencies.get().name_en == "Integrity at work"


def test_the_services_submit_and_approve_like_the_admin(champions):
    author, reviewer = champions
    version = FrameworkVersionFactory(live=False)
    CompetencyFactory(version=version)
    services.framework_version_submit(version=version, actor=author)
    with pytest.raises(ValidationError) as again:
        services.framework_version_submit(version=version, actor=author)
    assert again.value.code == "in_review"
    with pytest.raises(ValidationError) as no_comment:
        services.framework_version_review(
            version=version, actor=reviewer, approve=False, comment=" "
        )
    assert no_comment.value.code == "no_comment"
    services.framework_version_review(version=version, actor=reviewer, approve=True)
    version.refresh_from_db()
    assert version.live and version.is_current


# Never edited, only succeeded ------------------------------------------------


def test_an_approved_version_is_read_only_and_a_save_keeps_what_was_typed(
    client, champions
):
    champion, _other = champions
    version = current_framework(competencies=1)
    competency = version.competencies.get()
    approved_name = competency.name_en
    client.force_login(champion)

    page = client.get(reverse(EDIT, args=[version.pk])).content.decode()
    assert in_ru("Approved versions are never edited, only succeeded.") in page
    assert 'name="action-submit"' not in page
    assert 'name="action-publish"' not in page
    assert reverse("lms_framework_draft_successor", args=[version.pk]) in page

    response = client.post(
        reverse(EDIT, args=[version.pk]),
        version_form(
            label=version.label,
            title_en="Rewritten behind the champions' back",
            competencies=[
                competency_data(key=competency.key, competency_id=competency.pk)
            ],
            initial=1,
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    expected = in_ru(
        "Version %(label)s is approved: approved versions are never edited. "
        "Nothing was saved. Draft a successor to propose changes."
    ) % {"label": version.label}
    assert expected in html
    assert "Rewritten behind the champions&#x27; back" in html, "what was typed stays"

    version.refresh_from_db()
    competency.refresh_from_db()
    assert version.title_en == "Competency framework"
    assert competency.name_en == approved_name
    assert not version.has_unpublished_changes
    assert not Revision.objects.for_instance(version).exists()


def test_saving_an_approved_versions_competencies_is_refused_below_the_admin(
    champions,
):
    champion, _other = champions
    version = current_framework(competencies=1)
    competency = version.competencies.get()
    competency.name_en = "Changed quietly"
    with pytest.raises(ValidationError):
        competency.full_clean()
    version.title_en = "Changed quietly"
    with pytest.raises(ValidationError) as refused:
        version.save_revision(user=champion)
    assert refused.value.code == "approved"
    assert not Revision.objects.for_instance(version).exists()
    with pytest.raises(ValidationError):
        services.framework_version_submit(version=version, actor=champion)


def test_an_approved_version_is_neither_unpublished_nor_deleted(
    client, make_user, administrator
):
    version = current_framework(competencies=1)
    superuser = make_user(is_superuser=True)
    never = in_ru(
        "An approved version is never unpublished: the champions approve a "
        "successor, which replaces it."
    )
    for user in (superuser, make_user(Role.CHAMPION)):
        client.force_login(user)
        for method in (client.get, client.post):
            response = method(reverse(UNPUBLISH, args=[version.pk]), follow=True)
            assert never in response.content.decode()
    client.force_login(administrator)
    refused = client.post(reverse(DELETE, args=[version.pk]), follow=True)
    kept = in_ru(
        "Approved versions are kept in the history and cannot be deleted: %(labels)s."
    )
    assert kept % {"labels": version.label} in refused.content.decode()
    version.refresh_from_db()
    assert version.live and version.is_current


def test_a_draft_may_be_deleted(client, administrator):
    draft = FrameworkVersionFactory(live=False)
    client.force_login(administrator)
    client.post(reverse(DELETE, args=[draft.pk]))
    assert not FrameworkVersion.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("who", ["champion", "superuser"])
def test_nobody_publishes_around_the_review(client, make_user, who):
    user = (
        make_user(is_superuser=True) if who == "superuser" else make_user(Role.CHAMPION)
    )
    client.force_login(user)
    add_page = client.get(reverse(ADD)).content.decode()
    assert 'name="action-publish"' not in add_page
    assert 'name="action-submit"' in add_page
    client.post(reverse(ADD), {**version_form(), "action-publish": "1"})
    version = FrameworkVersion.objects.get(label="2027.1")
    assert not version.live, "saved as a draft, not published"
    client.post(
        reverse(EDIT, args=[version.pk]),
        {
            **version_form(
                competencies=[
                    competency_data(competency_id=version.competencies.get().pk)
                ],
                initial=1,
            ),
            "action-publish": "1",
        },
    )
    version.refresh_from_db()
    assert not version.live and not version.is_current


def test_a_successor_is_a_draft_copy_under_a_new_label(client, champions):
    champion, _other = champions
    version = current_framework(competencies=2)
    client.force_login(champion)
    url = reverse("lms_framework_draft_successor", args=[version.pk])
    head, number = version.label.rsplit(".", 1)
    suggested = f"{head}.{int(number) + 1}"
    assert f'value="{suggested}"' in client.get(url).content.decode()

    response = client.post(url, {"label": "2027.1"})
    successor = FrameworkVersion.objects.get(label="2027.1")
    assert response.status_code == 302
    assert response.url == reverse(EDIT, args=[successor.pk])
    assert not successor.live and not successor.is_current
    assert successor.latest_revision.user == champion
    copied = [
        (c.key, c.name_kk, c.definition_en, c.scale_points[2]["anchor"]["en"])
        for c in successor.competencies.order_by("sort_order")
    ]
    original = [
        (c.key, c.name_kk, c.definition_en, c.scale_points[2]["anchor"]["en"])
        for c in version.competencies.order_by("sort_order")
    ]
    assert copied == original
    assert set(successor.competencies.values_list("pk", flat=True)).isdisjoint(
        version.competencies.values_list("pk", flat=True)
    )
    assert AuditEntry.objects.get(action="framework.draft_successor").data == {
        "succeeds": version.label
    }

    edit = client.get(reverse(EDIT, args=[successor.pk])).content.decode()
    assert 'name="action-submit"' in edit, "the successor goes to review"


@pytest.mark.parametrize("label", ["2027.1", "", "   "])
def test_a_successor_needs_a_free_label(client, champions, label):
    champion, _other = champions
    version = current_framework(competencies=1)
    FrameworkVersionFactory(label="2027.1", live=False)
    client.force_login(champion)
    response = client.post(
        reverse("lms_framework_draft_successor", args=[version.pk]), {"label": label}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["label"]
    assert FrameworkVersion.objects.count() == 2


# Making an earlier version current again --------------------------------------


def test_only_administrators_make_an_earlier_version_current_again(
    client, make_user, administrator
):
    earlier = FrameworkVersionFactory(label="2025.1")
    current = current_framework(competencies=1)
    url = reverse("lms_framework_make_current", args=[earlier.pk])
    for role in (Role.CHAMPION, Role.TRAINER):
        client.force_login(make_user(role))
        assert url not in client.get(reverse(LIST)).content.decode()
        assert client.post(url).status_code in (302, 403)
    earlier.refresh_from_db()
    assert not earlier.is_current

    client.force_login(administrator)
    assert url in client.get(reverse(LIST)).content.decode()
    client.post(url)
    earlier.refresh_from_db()
    current.refresh_from_db()
    assert earlier.is_current and not current.is_current
    entry = AuditEntry.objects.get(action="framework.make_current")
    assert entry.actor == administrator


# Comparing versions --------------------------------------------------------


@pytest.fixture
def two_versions():
    """2026.1 and 2027.1: one competency kept, one reworded, one removed, one
    added."""
    earlier = FrameworkVersionFactory(label="2026.1")
    later = FrameworkVersionFactory(label="2027.1", is_current=True)
    kept = {
        "key": "integrity",
        "name_kk": "Адалдық",
        "name_ru": "Честность",
        "name_en": "Integrity",
        "sort_order": 0,
    }
    CompetencyFactory(version=earlier, **kept)
    CompetencyFactory(version=later, **kept)
    talks = {"key": "communication", "name_kk": "Қарым-қатынас", "sort_order": 1}
    talks |= {"name_ru": "Общение", "name_en": "Communication"}
    CompetencyFactory(
        version=earlier, definition_en="Listens and explains plainly.", **talks
    )
    reworded_scale = scale(5)
    reworded_scale[2][1]["anchor"]["en"] = "Explains the order to the client"
    CompetencyFactory(
        version=later,
        definition_en="Listens actively and explains plainly.",
        scale=reworded_scale,
        **talks,
    )
    CompetencyFactory(version=earlier, key="paperwork", name_en="Paperwork")
    CompetencyFactory(version=later, key="motivating", name_en="Motivating change")
    return earlier, later


def test_anyone_compares_two_approved_versions_side_by_side(client, two_versions):
    earlier, later = two_versions
    response = client.get("/en/framework/compare/?a=2026.1&b=2027.1")
    assert response.status_code == 200
    statuses = {
        item.key: item.status for item in response.context["comparison"].competencies
    }
    assert statuses == {
        "integrity": "unchanged",
        "communication": "changed",
        "motivating": "added",
        "paperwork": "removed",
    }
    html = response.content.decode()
    for word in ("Added", "Removed", "Changed", "Unchanged"):
        assert f">{word}</span>" in html, "the status is written, not only coloured"
    assert "Definition · English" in html
    assert '<span class="visually-hidden">[added: </span>actively' in html
    assert "Point 3: what the officer does · English" in html
    assert '<span class="visually-hidden">[removed: </span>Anchor' in html
    assert '<th scope="col">Version 2026.1</th>' in html
    assert "Motivating change" in html and "Paperwork" in html


def test_the_framework_page_links_to_the_comparison_and_it_defaults_to_the_last_two(
    client, two_versions
):
    html = client.get("/en/framework/").content.decode()
    assert reverse("framework_compare") in html
    response = client.get("/en/framework/compare/")
    comparison = response.context["comparison"]
    assert (comparison.old.label, comparison.new.label) == ("2026.1", "2027.1")


def test_the_public_cannot_compare_drafts(client, two_versions):
    draft = FrameworkVersionFactory(label="2028.1", live=False)
    CompetencyFactory(version=draft, key="secret", name_en="Not yet approved")
    response = client.get("/en/framework/compare/?a=2027.1&b=2028.1")
    assert response.status_code == 200
    assert response.context["comparison"] is None
    html = response.content.decode()
    assert "There is no version 2028.1 among those you may compare." in html
    assert "Not yet approved" not in html
    assert "2028.1 (draft)" not in html


def test_champions_compare_a_draft_with_the_current_version(
    client, champions, two_versions
):
    champion, _other = champions
    _earlier, later = two_versions
    draft = FrameworkVersionFactory(label="2028.1", live=False)
    CompetencyFactory(
        version=draft,
        **{
            field: getattr(later.competencies.get(key="integrity"), field)
            for field in ("key", "name_kk", "name_ru", "name_en", "sort_order")
        },
    )
    draft.save_revision(user=champion)
    client.force_login(champion)
    listing = client.get(reverse(LIST)).content.decode()
    link = f"{reverse('framework_compare')}?b=2028.1"
    assert link in listing
    response = client.get(link)
    comparison = response.context["comparison"]
    assert (comparison.old, comparison.new.label) == (later, "2028.1")
    statuses = {item.key: item.status for item in comparison.competencies}
    assert statuses["integrity"] == "unchanged"
    assert statuses["motivating"] == "removed"

    older = client.get(f"{reverse('framework_compare')}?b=2026.1")
    comparison = older.context["comparison"]
    assert (comparison.old.label, comparison.new) == ("2026.1", later), "oldest first"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?a=2027.1&b=2027.1", "Choose two different versions."),
        (
            "?a=2019.9&b=2027.1",
            "There is no version 2019.9 among those you may compare.",
        ),
    ],
)
def test_a_comparison_that_cannot_be_made_says_why(
    client, two_versions, query, message
):
    response = client.get(f"/en/framework/compare/{query}")
    assert response.status_code == 200
    assert response.context["comparison"] is None
    assert message in response.content.decode()


def test_with_one_approved_version_there_is_nothing_to_compare(client):
    current_framework(competencies=1)
    response = client.get("/en/framework/compare/")
    assert response.status_code == 200
    assert response.context["comparison"] is None
    assert "Two approved versions are needed" in response.content.decode()


# Query counts ---------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_compare_page_queries_do_not_grow_with_competencies(client, two_versions):
    earlier, later = two_versions
    url = "/en/framework/compare/?a=2026.1&b=2027.1"
    small = count_queries(client, url)
    for version in (earlier, later):
        for n in range(8):
            CompetencyFactory(version=version, key=f"more-{n}", sort_order=10 + n)
    assert count_queries(client, url) == small


def test_admin_listing_queries_do_not_grow_with_versions(client, champions):
    champion, other = champions
    current_framework(competencies=1)
    draft = FrameworkVersionFactory(live=False)
    services.framework_version_submit(version=draft, actor=other)
    client.force_login(champion)
    small = count_queries(client, reverse(LIST))
    for _n in range(4):
        more = FrameworkVersionFactory(live=False)
        services.framework_version_submit(version=more, actor=other)
    FrameworkVersionFactory.create_batch(3)
    assert count_queries(client, reverse(LIST)) == small
