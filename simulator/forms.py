"""The staff page's form: the switches people flip during a demo, nothing more."""

from decimal import Decimal
from typing import Any

from django import forms

from simulator import control
from simulator.config import Dialect

FAULT_FIELDS = (
    "latency_ms",
    "timeout_share",
    "timeout_mode",
    "timeout_seconds",
    "error_5xx_share",
    "rate_limit_share",
    "malformed_share",
    "item_error_share",
    "actions",
)
BEHAVIOUR_FIELDS = ("partial_share", "cancel_share")


def _share() -> forms.FloatField:
    return forms.FloatField(min_value=0, max_value=1, required=False, initial=0)


def _choices(name: str) -> list[tuple[str, str]]:
    return [(value, value) for value in Dialect.CHOICES[name]]


class ControlForm(forms.Form):
    latency_ms = forms.IntegerField(min_value=0, required=False, initial=0)
    timeout_share = _share()
    timeout_mode = forms.ChoiceField(
        choices=[("before", "before the action"), ("after", "after the action")]
    )
    timeout_seconds = forms.FloatField(min_value=0, initial=35)
    error_5xx_share = _share()
    rate_limit_share = _share()
    malformed_share = _share()
    item_error_share = _share()
    actions = forms.CharField(
        required=False, help_text="Comma-separated, e.g. add,status. Empty: every action."
    )
    ids = forms.ChoiceField(choices=_choices("ids"))
    canceled = forms.ChoiceField(choices=_choices("canceled"))
    money = forms.ChoiceField(choices=_choices("money"))
    flags = forms.ChoiceField(choices=_choices("flags"))
    counts = forms.ChoiceField(choices=_choices("counts"))
    in_progress = forms.ChoiceField(choices=_choices("in_progress"))
    error_texts = forms.ChoiceField(choices=_choices("errors"))  # `errors` is taken by Form
    content_type = forms.ChoiceField(choices=_choices("content_type"))
    partial_share = _share()
    cancel_share = _share()
    speed = forms.FloatField(min_value=0, help_text="Simulated seconds per real second.")
    advance_minutes = forms.FloatField(
        min_value=0, required=False, initial=0, help_text="Let this much simulated time pass."
    )

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> "ControlForm":
        initial = {name: state["faults"][name] for name in FAULT_FIELDS}
        initial["actions"] = ",".join(initial["actions"])
        initial |= state["dialect"]
        initial["error_texts"] = initial.pop("errors")
        initial |= {name: state["behaviour"][name] for name in BEHAVIOUR_FIELDS}
        initial["speed"] = state["clock"]["speed"]
        return cls(initial=initial)

    def save(self) -> None:
        data = self.cleaned_data
        state = control.state()
        faults = state["faults"] | {name: data[name] or 0 for name in FAULT_FIELDS}
        faults["timeout_mode"] = data["timeout_mode"]
        faults["actions"] = [part.strip() for part in data["actions"].split(",") if part.strip()]
        control.set_faults(**faults)
        dialect = {name: data[name] for name in Dialect.CHOICES if name != "errors"}
        control.set_dialect(**dialect, errors=data["error_texts"])
        behaviour = state["behaviour"] | {name: data[name] or 0 for name in BEHAVIOUR_FIELDS}
        control.set_behaviour(**behaviour)
        if data["speed"] != state["clock"]["speed"]:
            control.set_speed(data["speed"])
        if data["advance_minutes"]:
            control.advance_clock(data["advance_minutes"] * 60)


class MoneyForm(forms.Form):
    """Money into or out of an account with no order: a customer's payment, or a fee the
    panel takes without saying (what the dashboard's reconciliation should notice)."""

    key = forms.CharField(max_length=64, label="Account API key")
    move = forms.ChoiceField(
        choices=[("top_up", "Top-up (paid in)"), ("fee", "Hidden fee (taken)")]
    )
    amount = forms.DecimalField(min_value=Decimal("0.00001"), max_digits=15, decimal_places=5)
    memo = forms.CharField(max_length=200, required=False)

    def save(self) -> Decimal:
        data = self.cleaned_data
        move = control.top_up if data["move"] == "top_up" else control.take_fee
        return move(data["key"], data["amount"], data["memo"] or data["move"].replace("_", "-"))
