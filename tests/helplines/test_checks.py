import pytest

from helplines.checks import fallback_number_is_dialable, webhooks_can_be_verified


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
