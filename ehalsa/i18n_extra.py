"""Strings of Django itself that its Swedish catalogue leaves untranslated.

Listing them here puts them in our catalogue (locale/sv), which Django consults first.
"""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = [
    gettext_noop("- Select an option -"),
]
