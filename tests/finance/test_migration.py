"""The budget of the old shape (two columns, the municipalities' fund and the region) migrates to
parties and keys without losing an amount: every balance and every part is what it was."""

import subprocess
import sys

from django.conf import settings

MIGRATION_CHECK = """
import django
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

django.setup()
executor = MigrationExecutor(connection)
before = [node for node in executor.loader.graph.node_map[("finance", "0003_parties_keys_headings")].parents]
before = [(node.key[0], node.key[1]) if hasattr(node, "key") else node for node in before]
executor.migrate(before)
old = executor.loader.project_state(before).apps
Organisation = old.get_model("governance", "Organisation")
region = Organisation.objects.create(name="Region Exempel", kind="region")
towns = [Organisation.objects.create(name=f"Kommun {n}", kind="municipality") for n in "ABC"]
cooperation = old.get_model("governance", "Cooperation").objects.create(name="Samverkan", short_name="S")
cooperation.members.set([region, *towns])
plan = old.get_model("plans", "ActionPlan").objects.create(
    cooperation=cooperation, title="Plan", first_year=2014, last_year=2017, status="adopted"
)
Key = old.get_model("finance", "CostSharingKey")
Key.objects.create(plan=plan, year=None, region_percent=50, municipalities_percent=50)
Key.objects.create(plan=plan, year=2016, region_percent=70, municipalities_percent=30)
Entry = old.get_model("finance", "BudgetEntry")
rows = [
    (2014, "opening_balance", "", "municipalities", 3955888),
    (2014, "income", "state_grant", "municipalities", 3171726),
    (2014, "cost", "", "shared", 2036774),
    (2015, "income", "prize", "region", 75000),
    (2015, "cost", "", "shared", 1049850),
    (2015, "cost", "", "shared", 918058),
    (2016, "cost", "activities", "shared", 4607124),
    (2017, "cost", "activities", "shared", 3262124),
]
for order, (year, kind, category, attribution, amount) in enumerate(rows):
    Entry.objects.create(
        plan=plan, order=order, year=year, kind=kind, category=category, attribution=attribution,
        amount=amount, description=f"{kind} {year}",
    )
executor = MigrationExecutor(connection)
executor.migrate(executor.loader.graph.leaf_nodes())

from finance.budget import plan_budget
from plans.models import ActionPlan

plan = ActionPlan.objects.get()
years = plan_budget(plan)
municipalities, region = years[0].parties
print(municipalities.is_municipalities, region.display_name, region.in_fund)
for year in years:
    parts = [f"{line.part(municipalities):.0f}/{line.part(region):.0f}" for line in year.lines]
    print(year.year, f"{year.opening_balance:.0f}", f"{year.closing_balance:.0f}", *parts)
"""

# Year, opening, closing, then each line as municipalities/region (income, then costs).
EXPECTED = """True Region Exempel False
2014 3955888 6109227 3171726/0 1018387/1018387
2015 6109227 5125273 0/75000 524925/524925 459029/459029
2016 5125273 3743136 1382137/3224987
2017 3743136 2112074 1631062/1631062"""


def test_the_old_budget_migrates_to_parties_and_keys_without_losing_an_amount(tmp_path):
    """On a database of its own (a schema change cannot run inside the tests' transaction). A key
    for one year (2016, 70/30) holds for that year only, as it did; the key for all years after."""
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'old.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "ehalsa.settings",
        "DJANGO_DEBUG": "1",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", MIGRATION_CHECK],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == EXPECTED
