"""The competency framework: versions, one current, scales, and the public page.

Bad input tried: a scale with a gap or out of order, a competency without a
name in any language, an indicator with no text, a second current version, making
an unpublished draft current, a new revision of an approved version.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from lms import services
from lms.models import AuditEntry, Competency, FrameworkVersion
from lms.roles import Role
from tests.lms.factories import (
    CompetencyFactory,
    FrameworkVersionFactory,
    current_framework,
    scale,
)

pytestmark = pytest.mark.django_db


def test_translated_fields_follow_the_active_language_with_fallback():
    competency = CompetencyFactory.build(
        name_kk="Адалдық", name_ru="Честность", name_en=""
    )
    with translation.override("kk"):
        assert competency.name == "Адалдық"
    with translation.override("en"):
        assert competency.name == "Честность", "empty English falls back to Russian"


def test_scale_anchors_and_indicators_are_read_by_point_and_kind():
    version = current_framework(competencies=1)
    competency = version.competencies.get()
    with translation.override("kk"):
        assert str(competency.anchor_for(3)) == "Зәкір 3"
        assert [str(i) for i in competency.positive_indicators] == ["Шындықты айтады"]
        assert [str(i) for i in competency.negative_indicators] == ["Жасырады"]
    assert competency.anchor_for(9) is None


@pytest.mark.parametrize("points", [[1, 2, 4], [2, 1, 3], [1, 1, 2]])
def test_scale_must_be_numbered_in_order_without_gaps(points):
    block = Competency._meta.get_field("scale").stream_block
    data = [
        {
            "type": "point",
            "value": {"point": p, "label": {"ru": "x"}, "anchor": {"ru": "y"}},
        }
        for p in points
    ]
    with pytest.raises(ValidationError):
        block.clean(block.to_python(data))


def test_well_numbered_scale_is_accepted():
    block = Competency._meta.get_field("scale").stream_block
    value = block.to_python([{"type": "point", "value": v} for _t, v in scale(5)])
    assert len(block.clean(value)) == 5


def test_indicator_needs_text_in_some_language():
    block = Competency._meta.get_field("indicators").stream_block
    value = block.to_python(
        [{"type": "positive", "value": {"kk": "", "ru": " ", "en": ""}}]
    )
    with pytest.raises(ValidationError):
        block.clean(value)


def test_competency_needs_a_name_in_some_language():
    version = FrameworkVersionFactory()
    competency = CompetencyFactory.build(
        version=version, name_kk="", name_ru="", name_en=""
    )
    with pytest.raises(ValidationError) as error:
        competency.full_clean()
    assert "name_ru" in error.value.message_dict


def test_only_one_version_can_be_current_in_the_database():
    FrameworkVersionFactory(is_current=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        FrameworkVersionFactory(is_current=True)


def test_making_a_version_current_replaces_the_previous_and_is_audited(make_user):
    champion = make_user(Role.CHAMPION)
    old = current_framework()
    new = FrameworkVersionFactory(label="2027.1")
    services.framework_version_make_current(version=new, actor=champion)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.is_current, new.is_current) == (False, True)
    assert FrameworkVersion.objects.current() == new
    entry = AuditEntry.objects.get(action="framework.make_current")
    assert entry.actor == champion
    assert entry.object_repr.startswith("2027.1")
    assert entry.data == {"previous": old.label}


def test_unpublished_draft_cannot_be_made_current(make_user):
    champion = make_user(Role.CHAMPION)
    draft = FrameworkVersionFactory(live=False)
    with pytest.raises(ValidationError):
        services.framework_version_make_current(version=draft, actor=champion)
    draft.refresh_from_db()
    assert not draft.is_current


def test_current_competencies_come_from_the_current_version_only():
    current_framework(competencies=2)
    other = FrameworkVersionFactory()
    CompetencyFactory(version=other)
    assert Competency.objects.current().count() == 2


def test_framework_page_shows_the_current_version_in_the_visitors_language(client):
    version = current_framework(competencies=2)
    html = client.get("/kk/framework/").content.decode()
    assert version.title_kk in html
    for competency in version.competencies.all():
        assert competency.name_kk in html
        assert f'id="competency-{competency.key}"' in html
    assert "Зәкір 5" in html


def test_framework_page_without_a_current_version_says_so(client):
    response = client.get("/en/framework/")
    assert response.status_code == 200
    assert "No version of the framework is current yet" in response.content.decode()


def test_a_drafts_revisions_leave_the_live_framework_alone(make_user):
    champion = make_user(Role.CHAMPION)
    version = current_framework(competencies=1)
    draft = FrameworkVersionFactory(live=False, title_ru="Первый черновик")
    draft.title_ru = "Черновик нового названия"
    draft.save_revision(user=champion)
    version.refresh_from_db()
    assert version.title_ru == "Модель компетенций"
    assert FrameworkVersion.objects.current() == version
    draft.latest_revision.publish(user=champion)
    draft.refresh_from_db()
    assert draft.title_ru == "Черновик нового названия"
    assert AuditEntry.objects.filter(
        action="framework.publish", actor=champion
    ).exists()
    assert FrameworkVersion.objects.current() == version, "current only by approval"


def test_an_approved_version_takes_no_new_revision(make_user):
    champion = make_user(Role.CHAMPION)
    version = current_framework(competencies=1)
    version.title_ru = "Черновик нового названия"
    with pytest.raises(ValidationError):
        version.save_revision(user=champion)
    version.refresh_from_db()
    assert version.title_ru == "Модель компетенций"
    assert not version.has_unpublished_changes
