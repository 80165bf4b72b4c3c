"""Claims sent and codes guessed at the same moment, on PostgreSQL with real threads."""

import pytest

from centers.models import CALLS_PER_DAY, CODE_TRIES, CenterManager, Claim
from centers.portal.services import ClaimRefused, check_code, request_claim
from tests.factories import make_center
from tests.threads import run_together

from .conftest import make_manager

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_flood_of_claims_rings_the_listing_three_times(fake_twilio):
    center = make_center(phone="+12175550111")

    def work(index: int) -> str:
        try:
            request_claim(
                center_id=center.pk, name=f"P{index}", email=f"p{index}@x.example",
                role="Nurse", language="en",
            )  # fmt: skip
        except ClaimRefused as refusal:
            return refusal.reason
        return "called"

    results = run_together(8, work)

    assert sorted(results).count("called") == CALLS_PER_DAY
    assert results.count("limit") == 8 - CALLS_PER_DAY
    assert len(fake_twilio.calls) == CALLS_PER_DAY
    assert Claim.objects.count() == CALLS_PER_DAY


def test_guesses_sent_together_get_five_tries_in_all(fake_twilio):
    center = make_center(phone="+12175550111")
    claim = request_claim(
        center_id=center.pk, name="A", email="a@x.example", role="Nurse", language="en"
    )
    wrong = f"{(int(fake_twilio.codes()[0]) + 1) % 1_000_000:06d}"

    results = run_together(8, lambda index: check_code(claim_id=claim.pk, code=wrong).reason)

    assert results.count("wrong") == CODE_TRIES - 1
    assert results.count("locked") == 8 - (CODE_TRIES - 1)
    claim.refresh_from_db()
    assert (claim.attempts, claim.status) == (CODE_TRIES, Claim.Status.LOCKED)


def test_two_claimants_verifying_at_once_give_one_manager_and_one_review(fake_twilio):
    center = make_center(phone="+12175550111")
    claims = [
        request_claim(
            center_id=center.pk, name=n, email=f"{n}@x.example", role="Nurse", language="en"
        )
        for n in ("a", "b")
    ]
    codes = fake_twilio.codes()

    run_together(2, lambda index: check_code(claim_id=claims[index].pk, code=codes[index]))

    statuses = sorted(Claim.objects.values_list("status", flat=True))
    assert statuses == [Claim.Status.REVIEW, Claim.Status.VERIFIED]
    assert CenterManager.objects.filter(center=center).count() == 1


def test_a_center_with_a_manager_sends_a_verified_claim_to_review(fake_twilio):
    center = make_center(phone="+12175550111")
    make_manager(center)
    claim = request_claim(
        center_id=center.pk, name="A", email="a@x.example", role="Nurse", language="en"
    )

    result = check_code(claim_id=claim.pk, code=fake_twilio.codes()[0])

    assert result.ok and result.claim.status == Claim.Status.REVIEW
