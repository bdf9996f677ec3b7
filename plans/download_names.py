"""The names of the PDFs people download, saying what each one is (issue 19, item 14).

The plan and its period ("handlingsplan-ehalsa-ostergotland-2016-2017.pdf", "-utkast" for a draft);
an appendix, a protocol excerpt and a follow-up report also name the body, the meeting date and the
paragraph ("bilaga-ssvo-2015-11-27-p12-handlingsplan-ehalsa-ostergotland-2016-2017.pdf"). Plain
ASCII, so every browser and file system keeps the name as it is.
"""

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify

# Little words a title can do without in a file name: "Handlingsplan för ehälsa i Östergötland" is
# "handlingsplan-ehalsa-ostergotland" (compared after slugify, so "för" is "for" and "på" is "pa").
FILLER = {"av", "for", "i", "med", "och", "om", "pa", "till"}
LONGEST_TITLE = 100  # characters of a title's slug; a file name stays readable in a download list


def slug(text: str) -> str:
    """``text`` as lower-case ASCII words joined by hyphens: "Östergötland 2016–2017" → "ostergotland-2016-2017"."""
    return slugify(text.replace("–", "-").replace("—", "-"))


def title_slug(title: str) -> str:
    words = [word for word in slug(title).split("-") if word not in FILLER]
    short = ""
    for word in words:
        if short and len(short) + 1 + len(word) > LONGEST_TITLE:
            break
        short = f"{short}-{word}" if short else word
    return short


def plan_slug(plan) -> str:
    """The plan's title and period, the period once: "handlingsplan-ehalsa-ostergotland-2016-2017"."""
    period = str(plan.first_year) if plan.first_year == plan.last_year else f"{plan.first_year}-{plan.last_year}"
    name = title_slug(plan.title)
    return name if name.endswith(period) else "-".join(part for part in (name, period) if part)


def meeting_slug(*, body_name: str, meeting_date, paragraph=None) -> str:
    """ "ssvo-2015-11-27-p12": the body, the meeting's date and the paragraph (§), if there is one."""
    parts = [slug(body_name), f"{meeting_date:%Y-%m-%d}"]
    if paragraph:
        parts.append(f"p{paragraph}")
    return "-".join(part for part in parts if part)


def decision_slug(decision) -> str:
    return meeting_slug(
        body_name=decision.body.display_name, meeting_date=decision.meeting_date, paragraph=decision.paragraph
    )


def plan_pdf_name(plan, *, draft: bool = False) -> str:
    return f"{plan_slug(plan)}{'-utkast' if draft else ''}.pdf"


def appendix_name(meeting: str, document: str) -> str:
    """ "bilaga-<meeting_slug>-<the document's name>.pdf"."""
    return f"bilaga-{meeting}-{document}.pdf"


def excerpt_name(decision) -> str:
    return f"protokollsutdrag-{decision_slug(decision)}-{plan_slug(decision.plan)}.pdf"


def report_slug(report) -> str:
    """ "uppfoljning-2015-handlingsplan-ehalsa-2014-2015": the follow-up report of a year of a plan."""
    return f"uppfoljning-{report.year}-{plan_slug(report.plan)}"


def as_attachment(response: HttpResponse, filename: str) -> HttpResponse:
    """The response downloaded under ``filename`` (with a UTF-8 ``filename*`` should one be needed)."""
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
