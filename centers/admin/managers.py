"""The admin of claims and reminders, and of what managers and imports leave for editors:
the managers themselves, every listing change (as a diff) and SAMHSA differences."""

from difflib import SequenceMatcher

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from centers.edits import decide_change, resolve_difference
from centers.models import CenterManager, Claim, ListingChange, Reminder, SamhsaDifference
from centers.portal.services import decide_claim
from directory.admin import ControlFreeText


@admin.register(Claim)
class ClaimAdmin(ControlFreeText, admin.ModelAdmin):
    """Claims of listings. A claim on a paid advertiser's listing, or on one that already has
    a manager, waits here (status "waiting for an editor") until an editor decides."""

    list_display = [
        "created_at", "center", "name", "email", "role", "status", "review_reason", "attempts",
    ]  # fmt: skip
    list_filter = ["status", "review_reason"]
    search_fields = ["center__name", "email", "name"]
    list_select_related = ["center"]
    readonly_fields = [
        "center", "name", "email", "role", "language", "phone_called", "status",
        "review_reason", "attempts", "code_expires_at", "call_sid", "created_at", "verified_at",
        "decided_at", "decided_by", "manager",
    ]  # fmt: skip
    exclude = ["code_hash"]
    actions = ["approve", "refuse"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Approve: the claimant becomes a manager of the listing")
    def approve(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description="Refuse the selected claims")
    def refuse(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, queryset, approve=False)

    def _decide(self, request: HttpRequest, queryset: QuerySet, *, approve: bool) -> None:
        ids = queryset.waiting_for_editor().values_list("pk", flat=True)
        done = sum(decide_claim(claim_id=pk, approve=approve, editor=request.user) for pk in ids)
        skipped = queryset.count() - done
        messages.success(
            request,
            f"{done} {'approved' if approve else 'refused'}"
            + (f"; {skipped} not waiting for an editor, left as they were." if skipped else "."),
        )


@admin.register(Reminder)
class ReminderAdmin(ControlFreeText, admin.ModelAdmin):
    list_display = ["user", "month", "sent_at"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    date_hierarchy = "month"


def word_diff(old: str, new: str) -> SafeString:
    """``old`` and ``new`` as one text, removed words in ``<del>`` and added ones in ``<ins>``;
    everything escaped."""
    before, after = old.split(" "), new.split(" ")
    parts: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, before, after).get_opcodes():
        if op in ("replace", "delete"):
            parts.append(("del", " ".join(before[i1:i2])))
        if op in ("replace", "insert"):
            parts.append(("ins", " ".join(after[j1:j2])))
        if op == "equal":
            parts.append(("span", " ".join(before[i1:i2])))
    return format_html_join(" ", "<{0}>{1}</{0}>", parts)


@admin.register(CenterManager)
class CenterManagerAdmin(ControlFreeText, admin.ModelAdmin):
    list_display = ["user", "center", "role", "created_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "center__name"]
    list_select_related = ["user", "center"]
    autocomplete_fields = ["center"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at", "revoked_at", "revoked_by"]
    actions = ["revoke"]

    @admin.action(description="Revoke: they can no longer manage these listings")
    def revoke(self, request: HttpRequest, queryset: QuerySet) -> None:
        updated = queryset.filter(revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=request.user
        )
        messages.success(request, f"{updated} revoked.")


@admin.register(ListingChange)
class ListingChangeAdmin(ControlFreeText, admin.ModelAdmin):
    """Every change to a listing by its managers or our editors; the corrections waiting for
    an editor are approved or refused here."""

    list_display = ["created_at", "center", "field", "diff", "source", "changed_by", "state"]
    list_filter = ["state", "source", "field"]
    search_fields = ["center__name", "changed_by__email"]
    list_select_related = ["center", "changed_by"]
    readonly_fields = [
        "center", "field", "diff", "old_value", "new_value", "source", "changed_by",
        "created_at", "state", "decided_by", "decided_at",
    ]  # fmt: skip
    actions = ["approve", "refuse"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # the history is kept whole

    @admin.display(description="change")
    def diff(self, change: ListingChange) -> SafeString:
        if change.field == "intake_hours":
            return format_html("<del>{}</del> <ins>{}</ins>", change.old_value, change.new_value)
        return word_diff(change.old_value, change.new_value)

    @admin.action(description="Approve the selected corrections (the listing shows them)")
    def approve(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description="Refuse the selected corrections")
    def refuse(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, queryset, approve=False)

    def _decide(self, request: HttpRequest, queryset: QuerySet, *, approve: bool) -> None:
        ids = queryset.filter(state=ListingChange.State.PENDING).values_list("pk", flat=True)
        done = sum(decide_change(change_id=pk, approve=approve, editor=request.user) for pk in ids)
        messages.success(request, f"{done} {'approved' if approve else 'refused'}.")


@admin.register(SamhsaDifference)
class SamhsaDifferenceAdmin(ControlFreeText, admin.ModelAdmin):
    """Fields a person set that a later SAMHSA file gives differently, for an editor to
    settle: take SAMHSA's value, or keep the listing's."""

    list_display = ["summary", "center", "diff", "noticed_at", "resolved_at", "took_samhsa_value"]
    list_filter = [("resolved_at", admin.EmptyFieldListFilter), "field", "since_edition"]
    search_fields = ["center__name"]
    list_select_related = ["center"]
    readonly_fields = [
        "center", "field", "samhsa_value", "listing_value", "since_edition", "noticed_at",
        "resolved_at", "resolved_by", "took_samhsa_value",
    ]  # fmt: skip
    actions = ["take_samhsa_value", "keep_listing_value"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="listing → SAMHSA")
    def diff(self, difference: SamhsaDifference) -> SafeString:
        return word_diff(difference.listing_value, difference.samhsa_value)

    @admin.action(description="Take SAMHSA's value")
    def take_samhsa_value(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._resolve(request, queryset, take_samhsa=True)

    @admin.action(description="Keep the listing's value")
    def keep_listing_value(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._resolve(request, queryset, take_samhsa=False)

    def _resolve(self, request: HttpRequest, queryset: QuerySet, *, take_samhsa: bool) -> None:
        ids = queryset.open().values_list("pk", flat=True)
        done = sum(
            resolve_difference(difference_id=pk, take_samhsa=take_samhsa, editor=request.user)
            for pk in ids
        )
        messages.success(request, f"{done} resolved.")
