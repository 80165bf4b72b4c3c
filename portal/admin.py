from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import Claim, Reminder
from .services import decide_claim


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
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
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["user", "month", "sent_at"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    date_hierarchy = "month"
