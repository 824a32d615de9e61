"""StreamField blocks of the core: translated texts, behavioural indicators and
anchored rating scales of the competency framework, and home page sections."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from lms.i18n import language_fallbacks


class TranslatedValue(blocks.StructValue):
    """Prints as the active language, falling back like a TranslatedField."""

    def __str__(self):
        for code in language_fallbacks():
            if self.get(code):
                return self[code]
        return ""


class TranslatedTextBlock(blocks.StructBlock):
    kk = blocks.TextBlock(label="Қазақша", required=False, rows=2)
    ru = blocks.TextBlock(label="Русский", required=False, rows=2)
    en = blocks.TextBlock(label="English", required=False, rows=2)

    class Meta:
        icon = "globe"
        value_class = TranslatedValue
        form_classname = "struct-block ustaz-translated-text"
        description = _("The same text in Kazakh, Russian and English.")

    def clean(self, value):
        value = super().clean(value)
        if not any(value.get(code, "").strip() for code in ("kk", "ru", "en")):
            raise StructBlockValidationError(
                block_errors={
                    "ru": ValidationError(_("Write the text in at least one language."))
                }
            )
        return value


class IndicatorsBlock(blocks.StreamBlock):
    """Behaviour an assessor or trainer can observe: what good practice shows
    (positive) and what it does not (negative)."""

    positive = TranslatedTextBlock(label=_("Positive indicator"), icon="plus")
    negative = TranslatedTextBlock(label=_("Negative indicator"), icon="minus")

    class Meta:
        icon = "list-ul"
        description = _("Observable behaviours, positive and negative.")


class ScalePointBlock(blocks.StructBlock):
    point = blocks.IntegerBlock(label=_("Point"), min_value=1, max_value=10)
    label = TranslatedTextBlock(label=_("Label"))
    anchor = TranslatedTextBlock(label=_("Behavioural anchor"))

    class Meta:
        icon = "order"
        label = _("Scale point")
        description = _("One point of the scale with the behaviour that earns it.")


class RatingScaleBlock(blocks.StreamBlock):
    """An anchored rating scale: points 1, 2, ... n in order, each with its anchor."""

    point = ScalePointBlock()

    class Meta:
        icon = "order"
        min_num = 2
        max_num = 10

    def clean(self, value):
        value = super().clean(value)
        points = [child.value["point"] for child in value]
        if points != list(range(1, len(points) + 1)):
            raise StreamBlockValidationError(
                non_block_errors=ValidationError(
                    _("Number the points 1, 2, 3 ... in order, without gaps.")
                )
            )
        return value


class FeatureBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=80)
    text = blocks.TextBlock(label=_("Text"))

    class Meta:
        icon = "pick"
        template = "lms/blocks/feature.html"
        label = _("Feature")
        description = _("A short card: what one part of Ustaz does.")
        preview_value = {
            "heading": "Courses",
            "text": "Motivational interviewing, CBT programmes and more.",
        }


class HomeBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        form_classname="title",
        icon="title",
        template="lms/blocks/heading.html",
        label=_("Heading"),
    )
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul"],
        template="lms/blocks/paragraph.html",
        label=_("Paragraph"),
    )
    features = blocks.ListBlock(
        FeatureBlock(),
        template="lms/blocks/features.html",
        label=_("Features"),
    )
