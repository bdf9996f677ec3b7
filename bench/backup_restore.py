"""Backup and restore, checked: dumpdata -> a fresh database -> loaddata gives the same product.

    .venv/bin/python bench/backup_restore.py [--sqlite]

Builds database A (PostgreSQL ``ehalsa_backup_a``, or a SQLite file with ``--sqlite``) with the
demo data, one stored adopted PDF and the drafts' PDFs (asked for, then made by a worker), backs
it up exactly as the README says (``dumpdata`` plus a copy of the media folder), restores into a
new, migrated database B, and compares A and B: every plan page, activity page, budget page,
adoption status page and decision excerpt (HTML, minus the CSRF token), every plan's PDF text, and
the stored PDF's bytes. Exits 1 and lists what differs.
Run by .ci/run.
"""

import argparse
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import fresh_postgres_database  # bench/ is on sys.path when a bench runs

ROOT = Path(__file__).resolve().parent.parent

# What the README's backup procedure dumps: everything but what Django rebuilds by itself
# (content types, permissions), sessions and login-attempt records.
DUMP = [
    "dumpdata",
    "--natural-foreign",
    "--natural-primary",
    "--exclude=contenttypes",
    "--exclude=auth.permission",
    "--exclude=sessions",
    "--exclude=ehalsa.loginfailure",
    "--indent=1",
]


def fresh_database(name: str, workdir: Path, sqlite: bool) -> str:
    if sqlite:
        return f"sqlite:///{workdir / (name + '.sqlite3')}"
    return fresh_postgres_database(name)


def manage(env, *args, **kwargs):
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True, **kwargs)


def ask_for_draft_pdfs() -> None:
    """Run in a process of its own: each draft's PDF asked for, as its readers do ("Skapa PDF"), and
    that of the plan entered as adopted without a version (the adopted versions' are stored)."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ehalsa.settings")
    django.setup()
    from plans.models import ActionPlan
    from plans.tasks import pdf_request

    for plan in ActionPlan.objects.all():
        pdf_request(plan=plan)


def make_draft_pdfs(env) -> None:
    """The drafts' PDFs asked for and made by a worker process (made again after a restore only if
    they differ)."""
    subprocess.run([sys.executable, __file__, "--draft-pdfs"], env=env, cwd=ROOT, check=True)
    manage(env, "db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v0")


def snapshot() -> dict:
    """Run in a process of its own per database: what a reader sees, hashed per address."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ehalsa.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.storage import default_storage
    from django.test import Client
    from django.urls import reverse
    from pypdf import PdfReader

    from activities.models import Activity
    from governance.models import Decision
    from plans.models import ActionPlan, StoredPdf
    from plans.report_models import FollowUpReport

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="admin"))  # sees drafts and history too
    pages = {}

    def page(url):
        response = client.get(url)
        # Tokens made afresh for each form shown (CSRF, a new row's once-only token) are no data.
        html = re.sub(r'name="(csrfmiddlewaretoken|submission)" value="[^"]*"', "", response.content.decode())
        pages[url] = [response.status_code, hashlib.sha256(html.encode()).hexdigest()]

    # Every plan's PDF: the adopted ones are the files load_demo_data stored, the drafts' those the
    # worker made (downloads only read).
    for plan in ActionPlan.objects.order_by("pk"):
        response = client.get(reverse("plans:actionplan_pdf", args=[plan.pk]))
        content = b"".join(response.streaming_content) if response.streaming else response.content
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
        pages[f"PDF text of plan {plan.pk}"] = hashlib.sha256(text.encode()).hexdigest()
    page(reverse("plans:actionplan_list"))
    page(reverse("activities:activity_search"))
    for plan in ActionPlan.objects.order_by("pk"):
        for name in (
            "plans:actionplan_detail",
            "finance:budget",
            "adoption:adoption_status",
            "lika:plan",
        ):
            page(reverse(name, args=[plan.pk]))
        page(reverse("finance:budget", args=[plan.pk]) + "?export=csv")
    for activity in Activity.objects.order_by("pk"):
        page(reverse("activities:activity_detail", args=[activity.pk]))
    for decision in Decision.objects.order_by("pk"):
        page(reverse("adoption:decision_excerpt", args=[decision.pk]))
    for report in FollowUpReport.objects.order_by("pk"):  # yearly follow-ups, the frozen ones' PDFs
        page(reverse("plans:report_detail", args=[report.pk]))
        response = client.get(reverse("plans:report_pdf", args=[report.pk]))
        content = b"".join(response.streaming_content) if response.streaming else response.content
        pages[f"PDF of report {report.pk}"] = hashlib.sha256(content).hexdigest()
    for stored in StoredPdf.objects.order_by("pk"):
        pages[f"stored PDF {stored.path}"] = stored.sha256
        with default_storage.open(stored.path) as file:
            pages[f"stored PDF file {stored.path}"] = hashlib.sha256(file.read()).hexdigest()
    return pages


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sqlite", action="store_true", help="SQLite files instead of PostgreSQL")
    parser.add_argument("--snapshot", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--draft-pdfs", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.draft_pdfs:
        ask_for_draft_pdfs()
        return
    if args.snapshot:
        print(json.dumps(snapshot()))
        return
    workdir = Path(tempfile.mkdtemp(prefix="ehalsa-backup-"))
    try:
        sys.exit(check(workdir, args.sqlite))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def check(workdir: Path, sqlite: bool) -> int:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | {
        "DJANGO_DEBUG": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    a = base | {
        "DATABASE_URL": fresh_database("ehalsa_backup_a", workdir, sqlite),
        "DJANGO_MEDIA_ROOT": str(workdir / "media-a"),
    }
    manage(a, "migrate", "--noinput", "-v0")
    manage(a, "load_demo_data", stdout=subprocess.DEVNULL)
    make_draft_pdfs(a)
    before = json.loads(
        subprocess.run(
            [sys.executable, __file__, "--snapshot"], env=a, cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout
    )

    # The backup: the database as JSON, and the media folder (stored PDFs) as files.
    backup = workdir / "backup.json"
    manage(a, *DUMP, f"--output={backup}")
    shutil.copytree(workdir / "media-a", workdir / "media-b")

    # The restore: a new database, migrated, then the backup loaded.
    b = base | {
        "DATABASE_URL": fresh_database("ehalsa_backup_b", workdir, sqlite),
        "DJANGO_MEDIA_ROOT": str(workdir / "media-b"),
    }
    manage(b, "migrate", "--noinput", "-v0")
    manage(b, "loaddata", str(backup), stdout=subprocess.DEVNULL)
    make_draft_pdfs(b)
    after = json.loads(
        subprocess.run(
            [sys.executable, __file__, "--snapshot"], env=b, cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout
    )

    different = sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))
    stored = sum(1 for key in before if key.startswith("stored PDF file"))
    print(
        f"backup {backup.stat().st_size // 1024} kB; compared {len(before)} pages, PDF texts and files "
        f"({stored} stored PDF) before and after restore: {len(different)} differ"
    )
    for key in different:
        print(f"  differs: {key}: {before.get(key)} -> {after.get(key)}")
    return 1 if different or not stored else 0


if __name__ == "__main__":
    main()
