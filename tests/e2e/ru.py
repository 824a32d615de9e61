"""What the browser tests read and open, in Russian (the demo users' language):
interface text from the catalogue, addresses, and form labels."""

import re

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext


def t(message: str) -> str:
    """A message as the Russian interface shows it."""
    with translation.override("ru"):
        return gettext(message)


def url(name: str, *args) -> str:
    """An address under the /ru/ prefix."""
    with translation.override("ru"):
        return reverse(name, args=args)


def label(text: str) -> re.Pattern:
    """A form label as crispy renders it: the text, and an asterisk when the
    field is required."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")
