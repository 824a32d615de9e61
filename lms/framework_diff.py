"""Two versions of the competency framework side by side: competencies matched by
key, then compared field by field and language by language (domain, name,
definition, indicators, each point of the rating scale), with the words that
differ marked for the eye (colour) and for the ear (words, not colour alone)."""

import difflib
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lms.i18n import language_fallbacks
from lms.models import Competency, Domain, FrameworkVersion

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"
UNCHANGED = "unchanged"


@dataclass
class FieldChange:
    """One field, in one language, that reads differently in the two versions."""

    label: str
    old_html: SafeString
    new_html: SafeString


@dataclass
class CompetencyComparison:
    key: str
    status: str
    old: Competency | None
    new: Competency | None
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def competency(self) -> Competency:
        return self.new or self.old

    @property
    def status_label(self) -> str:
        return {
            ADDED: _("Added"),
            REMOVED: _("Removed"),
            CHANGED: _("Changed"),
            UNCHANGED: _("Unchanged"),
        }[self.status]


@dataclass
class FrameworkComparison:
    old: FrameworkVersion
    new: FrameworkVersion
    competencies: list[CompetencyComparison]

    def count(self, status: str) -> int:
        return sum(1 for item in self.competencies if item.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {
            status: self.count(status)
            for status in (ADDED, REMOVED, CHANGED, UNCHANGED)
        }


def versions_compare(
    old: FrameworkVersion, new: FrameworkVersion
) -> FrameworkComparison:
    """Compare what two versions say (see FrameworkVersion.latest_content): in
    the order of the newer version, then what the newer one removed."""
    old_by_key = {c.key: c for c in old.competencies.all()}
    new_list = list(new.competencies.all())
    new_keys = {c.key for c in new_list}
    items = []
    for competency in sorted(new_list, key=lambda c: c.sort_order or 0):
        before = old_by_key.get(competency.key)
        if before is None:
            items.append(CompetencyComparison(competency.key, ADDED, None, competency))
            continue
        changes = competency_changes(before, competency)
        status = CHANGED if changes else UNCHANGED
        items.append(
            CompetencyComparison(competency.key, status, before, competency, changes)
        )
    for key, competency in sorted(
        old_by_key.items(), key=lambda item: item[1].sort_order or 0
    ):
        if key not in new_keys:
            items.append(CompetencyComparison(key, REMOVED, competency, None))
    return FrameworkComparison(old, new, items)


def competency_changes(old: Competency, new: Competency) -> list[FieldChange]:
    before, after = _facets(old), _facets(new)
    changes = []
    for facet in dict.fromkeys([*after, *before]):
        label, value = after.get(facet) or before[facet]
        empty = [] if isinstance(value, list) else ""
        old_value = before[facet][1] if facet in before else empty
        new_value = after[facet][1] if facet in after else empty
        if old_value == new_value:
            continue
        if isinstance(value, list):
            old_html, new_html = list_diff(old_value, new_value)
        else:
            old_html, new_html = text_diff(old_value, new_value)
        changes.append(FieldChange(label, old_html, new_html))
    return changes


def _languages() -> list[tuple[str, str]]:
    names = dict(settings.LANGUAGES)
    return [(code, names[code]) for code in language_fallbacks()]


def _facets(competency: Competency) -> dict[tuple, tuple[str, str | list[str]]]:
    """Everything a reader of the competency sees, keyed so that the same field
    of two versions meets: facet -> (label, text or list of texts)."""
    facets = {
        ("domain",): (
            _("EPR 22 domain"),
            str(Domain(competency.domain).label)
            if competency.domain in Domain.values
            else competency.domain,
        )
    }
    indicators = [(block.block_type, block.value) for block in competency.indicators]
    points = competency.scale_points
    for code, language in _languages():
        facets[("name", code)] = (
            f"{_('Name')} · {language}",
            getattr(competency, f"name_{code}"),
        )
        facets[("definition", code)] = (
            f"{_('Definition')} · {language}",
            getattr(competency, f"definition_{code}"),
        )
        for kind, label in (
            ("positive", _("Shows the competency")),
            ("negative", _("Shows its absence")),
        ):
            facets[(kind, code)] = (
                f"{label} · {language}",
                [
                    text
                    for block_type, value in indicators
                    if block_type == kind and (text := value.get(code, ""))
                ],
            )
        for point in points:
            number = point["point"]
            for part, label in (
                ("label", _("Point %(point)s: level")),
                ("anchor", _("Point %(point)s: what the officer does")),
            ):
                facets[("point", number, part, code)] = (
                    f"{label % {'point': number}} · {language}",
                    point[part].get(code, "") if point[part] else "",
                )
    return facets


_WORDS = re.compile(r"(\s+)")


# Struck through or underlined as well as coloured, and announced in words.
_MARKS = {
    "del": ('<del class="bg-danger-subtle text-danger-emphasis">', "</del>"),
    "ins": ('<ins class="bg-success-subtle text-success-emphasis">', "</ins>"),
}


def _marked(tag: str, text: str) -> SafeString:
    """The text in <del> or <ins>; the spaces around it stay outside."""
    core = text.strip()
    if not core:
        return escape(text)
    opening, closing = _MARKS[tag]
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return format_html(
        '{}{}<span class="visually-hidden">{} </span>{}<span class="visually-hidden">'
        "]</span>{}{}",
        lead,
        mark_safe(opening),
        _("[removed:") if tag == "del" else _("[added:"),
        core,
        mark_safe(closing),
        trail,
    )


def text_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Both texts as HTML, with the words that differ in <del> and <ins>."""
    old_words, new_words = _WORDS.split(old or ""), _WORDS.split(new or "")
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    runs = []  # [equal, old text, new text], a lone space between changes joined
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(old_words[i1:i2]), "".join(new_words[j1:j2])
        equal = op == "equal"
        if runs and not runs[-1][0] and (not equal or not before.strip()):
            runs[-1][1] += before
            runs[-1][2] += after
        else:
            runs.append([equal, before, after])
    old_parts, new_parts = [], []
    for equal, before, after in runs:
        if equal:
            old_parts.append(escape(before))
            new_parts.append(escape(after))
        else:
            old_parts.append(_marked("del", before))
            new_parts.append(_marked("ins", after))
    return mark_safe("".join(old_parts)), mark_safe("".join(new_parts))


def list_diff(old: list[str], new: list[str]) -> tuple[SafeString, SafeString]:
    """Two lists (indicators) as HTML lists: items only in one are marked whole,
    items that were reworded are marked word by word."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    old_items, new_items = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            old_items += [escape(text) for text in old[i1:i2]]
            new_items += [escape(text) for text in new[j1:j2]]
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for before, after in zip(
            old[i1 : i1 + pairs], new[j1 : j1 + pairs], strict=True
        ):
            old_html, new_html = text_diff(before, after)
            old_items.append(old_html)
            new_items.append(new_html)
        old_items += [_marked("del", text) for text in old[i1 + pairs : i2]]
        new_items += [_marked("ins", text) for text in new[j1 + pairs : j2]]
    return _html_list(old_items), _html_list(new_items)


def _html_list(items: list[str]) -> SafeString:
    if not items:
        return mark_safe("")
    return format_html(
        '<ul class="mb-0 ps-3">{}</ul>',
        format_html_join("", "<li>{}</li>", ((mark_safe(item),) for item in items)),
    )
