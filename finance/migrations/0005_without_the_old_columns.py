from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("finance", "0004_parties_from_the_old_shape")]

    operations = [
        migrations.RemoveField(
            model_name='historicalbudgetentry',
            name='attribution',
        ),
        migrations.RemoveField(
            model_name='historicalcostsharingkey',
            name='municipalities_percent',
        ),
        migrations.RemoveField(
            model_name='historicalcostsharingkey',
            name='region_percent',
        ),
        migrations.RemoveField(
            model_name='historicalcostsharingkey',
            name='year',
        ),
        migrations.AddConstraint(
            model_name='costsharingkey',
            constraint=models.UniqueConstraint(fields=('plan', 'from_year'), name='finance_costsharingkey_unique_from_year', violation_error_message='The plan already has a key from this year.'),
        ),
        migrations.AddConstraint(
            model_name='costsharingkey',
            constraint=models.UniqueConstraint(condition=models.Q(('from_year__isnull', True)), fields=('plan',), name='finance_costsharingkey_unique_from_start', violation_error_message='The plan already has a key from its first year.'),
        ),
        migrations.RemoveField(
            model_name='budgetentry',
            name='attribution',
        ),
        migrations.RemoveField(
            model_name='costsharingkey',
            name='municipalities_percent',
        ),
        migrations.RemoveField(
            model_name='costsharingkey',
            name='region_percent',
        ),
        migrations.RemoveField(
            model_name='costsharingkey',
            name='year',
        ),
    ]
