"""``loaddata`` that restores a backup as it was: the change history comes from the backup itself,
so none is recorded while loading (django-simple-history would otherwise add a history row for
every many-to-many field it sets, clashing with the rows in the backup)."""

from django.core.management.commands import loaddata
from django.test.utils import override_settings


class Command(loaddata.Command):
    def handle(self, *fixture_labels, **options):
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            return super().handle(*fixture_labels, **options)
