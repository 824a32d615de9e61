"""The catalogue, course and lesson pages trainers write in the Wagtail admin, and
the question bank each course carries."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager, TranslatableMixin
from wagtail.query import PageQuerySet
from wagtail.search import index

from courses.blocks import LessonBodyBlock, OutcomesBlock, QuestionBodyBlock


class CourseFormat(models.TextChoices):
    ONLINE = "online", _("Self-paced online")
    CLASSROOM = "classroom", _("Classroom")
    BLENDED = "blended", _("Blended")


class CourseIndexPage(Page):
    """The course catalogue of one language: every course an officer can take."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "link"])
    path_title = models.CharField(
        _("recommended path"),
        max_length=200,
        blank=True,
        help_text=_("For example: Induction for new probation officers."),
    )
    path_intro = models.TextField(_("about the path"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("path_title"),
                FieldPanel("path_intro"),
                InlinePanel("path_steps", label=_("Course")),
            ],
            heading=_("Recommended order"),
        ),
    ]
    parent_page_types = ["lms.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1
    template = "courses/course_index_page.html"

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(self, request))
        return context


class PathStep(Orderable):
    """One course of the catalogue's recommended order."""

    catalogue = ParentalKey(
        CourseIndexPage, on_delete=models.CASCADE, related_name="path_steps"
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("course")]


class CoursePageQuerySet(PageQuerySet):
    def in_catalogue(self) -> "CoursePageQuerySet":
        return self.live().public().prefetch_related("topics", "competencies")


class CoursePage(Page):
    """A course: what it teaches, for whom, how long, and the rule for completing
    it (all lessons done, and the quiz passed when it has one)."""

    summary = models.TextField(_("summary"))
    audience = models.TextField(_("who it is for"), blank=True)
    outcomes = StreamField(
        OutcomesBlock(),
        blank=True,
        verbose_name=_("learning outcomes"),
    )
    format = models.CharField(
        _("format"), max_length=20, choices=CourseFormat, default=CourseFormat.ONLINE
    )
    duration_hours = models.DecimalField(
        _("length in hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    cpd_hours = models.DecimalField(
        _("CPD hours"),
        max_digits=5,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("certificate valid for (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the certificate does not expire."),
    )
    topics = ParentalManyToManyField(
        "courses.Topic", verbose_name=_("topics"), blank=True, related_name="courses"
    )
    competencies = ParentalManyToManyField(
        "lms.Competency",
        verbose_name=_("competencies it develops"),
        blank=True,
        related_name="courses",
    )
    prerequisites = ParentalManyToManyField(
        "self",
        verbose_name=_("prerequisites"),
        symmetrical=False,
        blank=True,
        related_name="required_by",
        help_text=_("Courses an officer must complete before enrolling."),
    )
    quiz_question_count = models.PositiveSmallIntegerField(
        _("questions per attempt"),
        default=0,
        help_text=_("Drawn at random from the bank. 0 means the course has no quiz."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    attempt_limit = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=3, help_text=_("0 means no limit.")
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no time limit."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("audience"),
        FieldPanel("outcomes"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("format"), FieldPanel("duration_hours")]),
                FieldRowPanel(
                    [FieldPanel("cpd_hours"), FieldPanel("certificate_validity_months")]
                ),
                FieldPanel("topics"),
                FieldPanel("competencies"),
                FieldPanel("prerequisites"),
            ],
            heading=_("About the course"),
        ),
    ]
    quiz_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("quiz_question_count"), FieldPanel("pass_mark")]
                ),
                FieldRowPanel(
                    [FieldPanel("attempt_limit"), FieldPanel("time_limit_minutes")]
                ),
            ],
            heading=_("Quiz rules"),
        ),
        InlinePanel("questions", label=_("Question"), heading=_("Question bank")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(quiz_panels, heading=_("Quiz")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("audience"),
        index.SearchField("outcomes"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]
    template = "courses/course_page.html"

    objects = PageManager.from_queryset(CoursePageQuerySet)()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def clean(self):
        super().clean()
        if self.quiz_question_count and self.pk:
            in_bank = sum(1 for question in self.questions.all() if question.is_active)
            if in_bank < self.quiz_question_count:
                raise ValidationError(
                    {
                        "quiz_question_count": _(
                            "The bank has %(count)s active questions; an attempt "
                            "cannot draw %(wanted)s."
                        )
                        % {"count": in_bank, "wanted": self.quiz_question_count}
                    }
                )

    @property
    def has_quiz(self) -> bool:
        return self.quiz_question_count > 0

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import course_context

        context = super().get_context(request, *args, **kwargs)
        context.update(course_context(self, request))
        return context


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "truefalse", _("True or false")
    MATCHING = "matching", _("Matching")
    SHORT = "short", _("Short written answer (graded by a trainer)")


class QuizQuestion(TranslatableMixin, Orderable):
    """A question of a course's bank. Attempts copy it when drawn, so editing it
    later never changes an attempt already taken."""

    page = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(
        _("kind"), max_length=20, choices=QuestionKind, default=QuestionKind.SINGLE
    )
    text = models.TextField(_("question"))
    body = StreamField(
        QuestionBodyBlock(),
        blank=True,
        verbose_name=_("options or pairs"),
        help_text=_(
            "Options for choice and true/false questions; pairs for matching. "
            "A short written answer needs neither."
        ),
    )
    feedback = models.TextField(
        _("general feedback"),
        blank=True,
        help_text=_(
            "Shown after the attempt. For a written answer, what a good one contains."
        ),
    )
    points = models.PositiveSmallIntegerField(
        _("points"), default=1, validators=[MinValueValidator(1)]
    )
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("Only questions in use are drawn.")
    )
    source = models.CharField(_("imported from"), max_length=200, blank=True)

    panels = [
        FieldRowPanel(
            [FieldPanel("kind"), FieldPanel("points"), FieldPanel("is_active")]
        ),
        FieldPanel("text"),
        FieldPanel("body"),
        FieldPanel("feedback"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")

    def __str__(self):
        return self.text[:80]

    @property
    def options(self) -> list[dict]:
        return [
            {"id": block.id, **block.value}
            for block in self.body
            if block.block_type == "option"
        ]

    @property
    def pairs(self) -> list[dict]:
        return [
            {"id": block.id, **block.value}
            for block in self.body
            if block.block_type == "pair"
        ]

    def clean(self):
        super().clean()
        options, pairs = self.options, self.pairs
        correct = sum(1 for option in options if option["correct"])
        error = None
        if self.kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE):
            if len(options) < 2 or correct != 1 or pairs:
                error = _("Give at least two options and mark exactly one correct.")
            elif self.kind == QuestionKind.TRUE_FALSE and len(options) != 2:
                error = _("A true/false question has exactly two options.")
        elif self.kind == QuestionKind.MULTIPLE:
            if len(options) < 2 or correct < 1 or pairs:
                error = _("Give at least two options and mark one or more correct.")
        elif self.kind == QuestionKind.MATCHING:
            matches = [pair["match"].strip().casefold() for pair in pairs]
            if len(pairs) < 2 or options:
                error = _("A matching question needs at least two pairs.")
            elif len(set(matches)) != len(matches):
                error = _("Each pair needs a different match.")
        elif self.body:
            error = _("A short written answer has no options or pairs.")
        if error:
            raise ValidationError({"body": error})


class LessonPage(Page):
    """One lesson of a course, studied in the order of the course's pages."""

    minutes = models.PositiveSmallIntegerField(
        _("study time (minutes)"), default=30, validators=[MinValueValidator(1)]
    )
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("minutes"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []
    template = "courses/lesson_page.html"

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def block(self, block_id: str, block_type: str):
        """The body's block with this id, if it is of this type."""
        return next(
            (
                block
                for block in self.body
                if block.id == block_id and block.block_type == block_type
            ),
            None,
        )

    def check_option(self, block_id: str, choice: str) -> dict | None:
        """The option a knowledge check's answer names, or None."""
        block = self.block(block_id, "check")
        if block is None or not choice.isdigit():
            return None
        options = block.value["options"]
        return options[int(choice)] if int(choice) < len(options) else None

    def serve(self, request, *args, **kwargs):
        from courses.selectors import lesson_gate

        refusal = lesson_gate(self, request)
        if refusal is not None:
            return refusal
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import lesson_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(self, request))
        return context
