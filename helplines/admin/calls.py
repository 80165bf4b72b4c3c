"""The call log: calls, their attempts, search and export."""

import re

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from directory.admin import ControlFreeText

from .. import reports
from ..models import (
    Advertiser,
    AnsweredBy,
    Call,
    CallAttempt,
    hash_caller,
)
from .downloads import csv_response
from .guards import RefusesNulInFilters, is_plain_id

PHONE_LIKE = re.compile(r"[\d\s()+.\-]{7,}")


class CallAttemptInline(ControlFreeText, admin.TabularInline):
    model = CallAttempt
    extra = 0
    can_delete = False
    fields = [
        "order",
        "destination",
        "who",
        "number",
        "outcome",
        "accepted_at",
        "answer_seconds",
        "duration",
        "started_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[CallAttempt]:
        return super().get_queryset(request).select_related("advertiser", "center")

    @admin.display(description="dialed")
    def who(self, attempt: CallAttempt) -> str:
        return attempt.destination_name()

    def has_add_permission(self, request: HttpRequest, obj: Call | None = None) -> bool:
        return False


class OfferedToFilter(admin.SimpleListFilter):
    """Calls on which an advertiser's phone rang, answered or not (one EXISTS)."""

    title = "advertiser"
    parameter_name = "advertiser"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [(str(a.pk), a.name) for a in Advertiser.objects.only("name")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Call]) -> QuerySet[Call]:
        if not is_plain_id(self.value() or ""):
            return queryset
        offered = CallAttempt.objects.filter(call=OuterRef("pk"), advertiser_id=int(self.value()))
        return queryset.filter(Exists(offered))


class OutcomeFilter(admin.SimpleListFilter):
    title = "outcome"
    parameter_name = "outcome"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [*AnsweredBy.choices, ("unanswered", "Nobody answered")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Call]) -> QuerySet[Call]:
        if self.value() == "unanswered":
            return queryset.filter(answered_by="", source=Call.Source.VOICE)
        if self.value() in AnsweredBy.values:
            return queryset.filter(answered_by=self.value())
        return queryset


@admin.register(Call)
class CallAdmin(RefusesNulInFilters, ControlFreeText, admin.ModelAdmin):
    def filter_problem(self, name: str, value: str) -> bool:
        return super().filter_problem(name, value) or (
            name == OfferedToFilter.parameter_name and not is_plain_id(value)
        )

    list_display = [
        "started_at",
        "helpline",
        "language",
        "source",
        "status",
        "answered_by",
        "answered_by_name",
        "duration",
        "attempt_count",
    ]
    list_filter = [
        ("started_at", admin.DateFieldListFilter),
        "helpline",
        OfferedToFilter,
        OutcomeFilter,
        "status",
        "source",
        "language",
    ]
    date_hierarchy = "started_at"
    search_fields = ["=call_sid", "=caller_hash"]
    search_help_text = (
        "A CallSid, a caller hash, or a caller's phone number (it is hashed to search; "
        "the number itself is never stored)."
    )
    show_full_result_count = False
    inlines = [CallAttemptInline]
    actions = ["export_csv"]
    change_list_template = "helplines/admin/call_change_list.html"
    readonly_fields = [
        "helpline",
        "to_number",
        "call_sid",
        "caller_hash",
        "earlier_calls",
        "source",
        "language",
        "status",
        "started_at",
        "ended_at",
        "duration",
        "answered_by",
        "answered_advertiser",
        "answered_center",
        "detail_purged_at",
    ]
    fields = readonly_fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Call]:
        return Call.objects.for_log()

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Call], search_term: str):
        # Staff handling a complaint or an erasure request know the caller's number, not its
        # hash: a term that looks like a phone number is hashed and matched, never stored.
        if PHONE_LIKE.fullmatch(search_term.strip()):
            caller_hash = hash_caller(search_term)
            if caller_hash:
                return queryset.filter(caller_hash=caller_hash), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="who answered")
    def answered_by_name(self, call: Call) -> str:
        return call.answered_by_name()

    @admin.display(description="attempts", ordering="attempt_count")
    def attempt_count(self, call: Call) -> int:
        return call.attempt_count

    @admin.display(description="calls from the same caller")
    def earlier_calls(self, call: Call) -> str:
        if not call.caller_hash:
            return "Number withheld"
        url = reverse("admin:helplines_call_changelist")
        return format_html(
            '<a href="{}?q={}">All calls from this caller</a>', url, call.caller_hash
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Call | None = None) -> bool:
        # The call log is a record of what happened: it is read, never edited.
        return False

    @admin.action(description="Export selected calls as CSV", permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Call]) -> HttpResponse:
        return csv_response(reports.call_log_rows(queryset), f"calls-{timezone.localdate()}.csv")

    def get_urls(self) -> list:
        export = self.admin_site.admin_view(self.export_view)
        return [path("export/", export, name="helplines_call_export"), *super().get_urls()]

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """Every call the change list shows with the same filters, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        calls = self.get_changelist_instance(request).queryset
        return csv_response(reports.call_log_rows(calls), f"calls-{timezone.localdate()}.csv")
