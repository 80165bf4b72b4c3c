import pytest

from helplines.checks import (
    admins_hear_of_pauses,
    fallback_number_is_dialable,
    pause_rate_is_a_percentage,
    webhooks_can_be_verified,
)


def test_the_default_fallback_passes(settings):
    settings.HELPLINE_FALLBACK_NUMBER = "+18006624357"
    assert fallback_number_is_dialable() == []


@pytest.mark.parametrize("number", ["", "1-800-662-HELP", "(800) 662-4357", "+12025550100;ext=4"])
def test_a_fallback_twilio_cannot_dial_is_an_error(settings, number):
    settings.HELPLINE_FALLBACK_NUMBER = number
    [error] = fallback_number_is_dialable()
    assert error.id == "helplines.E001"


def test_a_missing_auth_token_is_a_deploy_warning(settings):
    settings.TWILIO_AUTH_TOKEN = ""
    [warning] = webhooks_can_be_verified()
    assert warning.id == "helplines.W001"
    settings.TWILIO_AUTH_TOKEN = "set"
    assert webhooks_can_be_verified() == []


@pytest.mark.parametrize(("percent", "errors"), [(0, 0), (50, 0), (100, 0), (101, 1)])
def test_the_pause_rate_is_a_percentage(settings, percent, errors):
    settings.HELPLINE_PAUSE_BELOW_PERCENT = percent
    assert [error.id for error in pause_rate_is_a_percentage()] == ["helplines.E003"] * errors


def test_no_admins_is_a_deploy_warning(settings):
    settings.ADMINS = []
    [warning] = admins_hear_of_pauses()
    assert warning.id == "helplines.W003"
    settings.ADMINS = ["ops@example.org"]
    assert admins_hear_of_pauses() == []
