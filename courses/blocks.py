"""StreamField blocks of lessons: what a trainer puts on a lesson page, one
StructBlock per teaching concept, and the options of a quiz question."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "hr"]


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "courses/blocks/image.html"
        label = _("Image")
        description = _("An image with alternative text and an optional caption.")


class VideoBlock(blocks.StructBlock):
    """A video from a video site (embed) or an uploaded file with captions."""

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    embed = EmbedBlock(label=_("Video link"), required=False)
    file = DocumentChooserBlock(label=_("Video file (MP4 or WebM)"), required=False)
    captions = DocumentChooserBlock(
        label=_("Captions (WebVTT)"),
        required=False,
        help_text=_("Needed for an uploaded video, so that everyone can follow it."),
    )
    transcript = blocks.TextBlock(label=_("Transcript"), required=False)

    class Meta:
        icon = "media"
        template = "courses/blocks/video.html"
        label = _("Video")
        description = _("An embedded or uploaded video, with captions.")

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if bool(value.get("embed")) == bool(value.get("file")):
            errors["embed"] = ValidationError(
                _("Give either a video link or a video file, not both.")
            )
        elif value.get("file") and not value.get("captions"):
            errors["captions"] = ValidationError(
                _("An uploaded video needs a captions file.")
            )
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    description = blocks.CharBlock(
        label=_("Description"), required=False, max_length=250
    )

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/download.html"
        label = _("Downloadable document")
        description = _("A handout, form or reading to download.")


class VignetteBlock(blocks.StructBlock):
    """A short anonymised case from practice, to think with."""

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    text = blocks.TextBlock(label=_("Case"))

    class Meta:
        icon = "user"
        template = "courses/blocks/vignette.html"
        label = _("Case vignette")
        description = _("A short anonymised case from practice.")


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    text = blocks.TextBlock(label=_("Text"))

    class Meta:
        icon = "pick"
        template = "courses/blocks/callout.html"
        label = _("Key point")
        description = _("A point the learner must take away.")


class ReflectionBlock(blocks.StructBlock):
    """A question the officer answers in writing; the answer stays private."""

    prompt = blocks.TextBlock(label=_("Question"))
    guidance = blocks.TextBlock(label=_("Guidance"), required=False)

    class Meta:
        icon = "edit"
        template = "courses/blocks/reflection.html"
        label = _("Reflection prompt")
        description = _(
            "The officer writes an answer; it is saved privately to their record."
        )


class CheckOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Option"), max_length=500)
    correct = blocks.BooleanBlock(label=_("Correct"), required=False)
    feedback = blocks.TextBlock(label=_("Feedback"), required=False)


class KnowledgeCheckBlock(blocks.StructBlock):
    """One question with instant feedback; it is not graded."""

    question = blocks.TextBlock(label=_("Question"))
    options = blocks.ListBlock(CheckOptionBlock(), label=_("Options"), min_num=2)

    class Meta:
        icon = "help"
        template = "courses/blocks/check.html"
        label = _("Knowledge check")
        description = _("One question with instant feedback, not graded.")

    def clean(self, value):
        value = super().clean(value)
        if sum(1 for option in value["options"] if option["correct"]) != 1:
            raise StructBlockValidationError(
                block_errors={
                    "options": ValidationError(_("Mark exactly one option correct."))
                }
            )
        return value


class LessonBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        label=_("Text"),
        features=RICH_TEXT_FEATURES,
        template="courses/blocks/text.html",
    )
    image = ImageBlock()
    video = VideoBlock()
    download = DownloadBlock()
    vignette = VignetteBlock()
    callout = CalloutBlock()
    reflection = ReflectionBlock()
    check = KnowledgeCheckBlock()

    class Meta:
        icon = "doc-full"


class OutcomesBlock(blocks.StreamBlock):
    outcome = blocks.CharBlock(label=_("Learning outcome"), max_length=300)

    class Meta:
        icon = "tick"


class QuestionOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Option"), max_length=500)
    correct = blocks.BooleanBlock(label=_("Correct"), required=False)
    feedback = blocks.TextBlock(label=_("Feedback for this option"), required=False)

    class Meta:
        icon = "radio-full"
        label = _("Option")


class MatchingPairBlock(blocks.StructBlock):
    prompt = blocks.CharBlock(label=_("Item"), max_length=300)
    match = blocks.CharBlock(label=_("Its match"), max_length=300)

    class Meta:
        icon = "arrows-up-down"
        label = _("Pair")


class QuestionBodyBlock(blocks.StreamBlock):
    """Options of a choice question, or pairs of a matching question."""

    option = QuestionOptionBlock()
    pair = MatchingPairBlock()
