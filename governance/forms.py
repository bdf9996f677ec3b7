from django import forms
from django.utils.translation import gettext_lazy as _

from ehalsa.forms import PlainTextMixin

from .models import Body, Decision, Organisation


class SendForAdoptionForm(forms.Form):
    """The route through the plan's bodies and the municipalities that decide.

    Every body the route may take is listed once, in the posted order (``order``); the ticked ones
    (``route``) make the route in that order. "Upp"/"Ned" (``move``, "up-<id>"/"down-<id>") and "the
    previous plan's route" (``use_previous``) post the form as it stands and get it back rearranged,
    nothing lost and nothing sent (``rearranged``). ``previous_route``: the bodies of the route the plan
    before it took, ticked in that order when the plan has no route of its own. ``to_review``: texts
    copied from the previous plan and not reviewed, which the coordinator confirms sending as they are.
    """

    municipalities = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Municipalities that must decide"),
    )

    def __init__(self, *args, plan, previous_route=(), to_review=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.previous_route = [body for body in previous_route if plan.is_route_body(body)]
        self.to_review = list(to_review)
        self.bodies = {body.pk: body for body in plan.route_bodies().order_by("-level", "name")}
        self.rearranged, self.focus = False, ""
        own_route = [step.body_id for step in plan.adoption_steps.all()]
        if self.is_bound:
            posted_order = ids_in(self.data.getlist("order"), self.bodies)
            self.chosen = ids_in(self.data.getlist("route"), self.bodies)
            self.order = arranged(posted_order or self.chosen, self.bodies)
        else:
            self.chosen = own_route or [body.pk for body in self.previous_route]
            self.order = arranged(self.chosen, self.bodies)
        if self.to_review:
            self.fields["send_anyway"] = forms.BooleanField(
                required=False,
                label=_("Send anyway: the texts listed above stand as they are"),
            )
        # A local plan is decided by its municipality's own bodies alone.
        members = plan.cooperation.members.municipalities()
        self.fields["municipalities"].queryset = (members.none() if plan.is_local else members).order_by("name")
        chosen = plan.municipalities_to_decide.all()
        self.fields["municipalities"].initial = (
            list(chosen) if chosen.exists() else list(self.fields["municipalities"].queryset)
        )

    def rearrange(self) -> bool:
        """Apply a posted "Upp"/"Ned" or "the previous plan's route"; whether the post asked for one."""
        move = self.data.get("move", "")
        if "use_previous" in self.data:
            self.chosen = [body.pk for body in self.previous_route]
            self.order = arranged(self.chosen, self.bodies)
        elif move:
            direction, _sep, pk = move.partition("-")
            if direction in ("up", "down") and pk.isdigit() and int(pk) in self.order:
                index = self.order.index(int(pk))
                other = index - 1 if direction == "up" else index + 1
                if 0 <= other < len(self.order):
                    self.order[index], self.order[other] = self.order[other], self.order[index]
                    other_direction = "down" if direction == "up" else "up"
                    at_end = other in (0, len(self.order) - 1)
                    self.focus = f"{other_direction if at_end else direction}-{pk}"
        else:
            return False
        self.rearranged = True
        return True

    def full_clean(self):
        if self.rearranged:  # shown again to go on choosing: nothing is checked yet
            self._errors, self.cleaned_data = forms.utils.ErrorDict(), {}
            return
        super().full_clean()

    def rows(self) -> list[dict]:
        """The bodies as the form lists them: in order, ticked or not, with their place on the route."""
        route = [pk for pk in self.order if pk in self.chosen]
        rows = []
        for n, pk in enumerate(self.order):
            first, last = n == 0, n == len(self.order) - 1
            moved = self.focus in (f"up-{pk}", f"down-{pk}")
            # Only the moves a row can make are offered; the moved body keeps the focus on the button it
            # pressed, or on the other one when it has reached the end of the list.
            focus_up = moved and not first and (self.focus == f"up-{pk}" or last)
            rows.append(
                {
                    "body": self.bodies[pk],
                    "on_route": pk in self.chosen,
                    "step": route.index(pk) + 1 if pk in self.chosen else None,
                    "first": first,
                    "last": last,
                    "focus_up": focus_up,
                    "focus_down": moved and not last and not focus_up,
                }
            )
        return rows

    def clean(self):
        cleaned = super().clean()
        cleaned["route"] = [self.bodies[pk] for pk in self.order if pk in self.chosen]
        if not cleaned["route"]:
            raise forms.ValidationError(_("Tick at least one body for the route."))
        if self.to_review and not cleaned.get("send_anyway"):
            self.add_error(
                "send_anyway",
                _(
                    "Texts copied from the previous plan are unchanged and not reviewed (listed above). "
                    "Review them, or tick “Send anyway” to send the plan with them as they stand."
                ),
            )
        return cleaned


def ids_in(values, known) -> list[int]:
    """The posted ids that name a body of ``known``, each once, in the posted order."""
    ids = []
    for value in values:
        if str(value).isdigit() and int(value) in known and int(value) not in ids:
            ids.append(int(value))
    return ids


def arranged(first: list[int], bodies: dict) -> list[int]:
    """``first`` in its order, then every other body in the listing's order."""
    return [*first, *(pk for pk in bodies if pk not in first)]


class DecisionForm(PlainTextMixin, forms.ModelForm):
    """A decision as the protocol states it. The body list holds only bodies the user may record for."""

    paragraph = forms.IntegerField(
        label=_("Paragraph (§)"),
        required=False,
        min_value=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 5}),
        error_messages={"invalid": _("The paragraph (§) is a number, e.g. 17.")},
    )
    recipients = forms.CharField(
        label=_("Sent to"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One recipient per line, e.g. Akten, Kommunstyrelsen."),
    )

    class Meta:
        model = Decision
        fields = [
            "body",
            "meeting_date",
            "paragraph",
            "diary_number",
            "kind",
            "forwarded_to",
            "title",
            "background",
            "text",
            "recipients",
        ]
        widgets = {
            "meeting_date": forms.DateInput(attrs={"type": "date"}),
            "background": forms.Textarea(attrs={"rows": 5}),
            "text": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["forwarded_to"].queryset = Body.objects.filter(
            organisation__in=bodies.values("organisation")
        ) | Body.objects.filter(cooperation__in=bodies.values("cooperation"))

    def _post_clean(self):
        # The service validates the decision against the plan (which the form does not carry).
        pass


class RevisionForm(PlainTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for the revision"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
