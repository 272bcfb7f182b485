"""The switches' parsing: typos and impossible values fail loudly."""

import pytest

from simulator.config import Behaviour, ConfigError, Dialect, Faults


def test_defaults_mean_no_fault_and_the_seed_documents_spelling():
    assert not Faults.parse({}).any_share
    assert Dialect.parse(None) == Dialect()


def test_values_from_forms_and_json_are_coerced():
    faults = Faults.parse({"timeout_share": "0.5", "actions": "add, status", "max_faults": "3"})
    assert (faults.timeout_share, faults.actions, faults.max_faults) == (0.5, ("add", "status"), 3)
    assert Faults.parse({"max_faults": None}).max_faults is None


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (Faults, {"timeout_shares": 1}),
        (Faults, {"error_5xx_share": 1.5}),
        (Faults, {"timeout_mode": "sometimes"}),
        (Faults, {"latency_ms": "slow"}),
        (Dialect, {"ids": "hex"}),
        (Behaviour, {"partial_share": 0.7, "cancel_share": 0.7}),
        (Behaviour, {"start_delay_min": 100, "start_delay_max": 10}),
    ],
)
def test_it_refuses_unknown_names_and_impossible_values(kind, data):
    with pytest.raises(ConfigError):
        kind.parse(data)


def test_faults_target_named_actions_only():
    faults = Faults.parse({"actions": ["add"]})
    assert faults.applies_to("add") and not faults.applies_to("status")
    assert Faults().applies_to("status")
