from tests.helplines.conftest import advertisers, detox_line, twilio  # noqa: F401 - fixtures
