import re
from collections.abc import Iterable

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from centers import phones

from . import reports, services
from .forms import ReportForm
from .models import (
    Advertiser,
    AnsweredBy,
    BusinessHours,
    Call,
    CallAttempt,
    CallbackRequest,
    Disclosure,
    Helpline,
    hash_caller,
)

PHONE_LIKE = re.compile(r"[\d\s()+.\-]{7,}")
FLAT_FEE_RULE = (
    "Advertisers pay a flat fee per period for their listing. No fee, rebate or bonus may "
    "depend on the number or length of calls, on referrals or on admissions."
)


@admin.register(Helpline)
class HelplineAdmin(admin.ModelAdmin):
    list_display = ["label", "number_display", "kind", "center", "active", "position"]
    list_editable = ["active", "position"]
    list_filter = ["kind", "active"]
    search_fields = ["label", "slug", "number"]
    prepopulated_fields = {"slug": ["label"]}
    raw_id_fields = ["center"]
    list_select_related = ["center"]

    @admin.display(description="number", ordering="number")
    def number_display(self, helpline: Helpline) -> str:
        return helpline.number_display


class BusinessHoursInline(admin.TabularInline):
    model = BusinessHours
    extra = 1
    verbose_name_plural = "business hours (in the advertiser's time zone; 00:00 to 00:00 is 24h)"


@admin.register(Advertiser)
class AdvertiserAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "center",
        "intake_number_display",
        "weight",
        "daily_cap",
        "concurrent_cap",
        "starts_on",
        "ends_on",
        "is_current",
    ]
    list_filter = ["active", "time_zone", "fee_period"]
    search_fields = ["name", "center__name", "intake_number"]
    raw_id_fields = ["center"]
    list_select_related = ["center"]
    readonly_fields = ["current_weight", "created_at"]
    inlines = [BusinessHoursInline]
    change_list_template = "helplines/admin/advertiser_change_list.html"
    fieldsets = [
        (None, {"fields": ["name", "center", "intake_number", "active"]}),
        (
            "Routing",
            {
                "description": "General calls go to advertisers in turn, in proportion to "
                "their weights, among those open, under their caps and not yet tried on the "
                "call. Weights follow intake capacity; they are never sold.",
                "fields": ["weight", "time_zone", "daily_cap", "concurrent_cap", "current_weight"],
            },
        ),
        (
            "Listing period and fee",
            {
                "description": FLAT_FEE_RULE,
                "fields": ["starts_on", "ends_on", "fee_period", "fee_amount"],
            },
        ),
        ("Licences and certifications", {"fields": ["licences", "certifications"]}),
        ("Record", {"fields": ["created_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Advertiser]:
        return super().get_queryset(request).with_is_current()

    @admin.display(description="intake number", ordering="intake_number")
    def intake_number_display(self, advertiser: Advertiser) -> str:
        return advertiser.intake_number_display

    @admin.display(description="current", boolean=True, ordering="is_current")
    def is_current(self, advertiser: Advertiser) -> bool:
        return advertiser.is_current

    def save_model(self, request: HttpRequest, obj: Advertiser, form: object, change: bool) -> None:
        if not change:
            obj.save()
            return
        # The race: the router changes current_weight under a row lock between the moment this
        # form loaded the advertiser and now. Saving every column would write the stale value
        # back and skew the rotation, so the routing state is left out of the update.
        obj.save(
            update_fields=[
                field.name
                for field in Advertiser._meta.concrete_fields
                if not field.primary_key and field.name != "current_weight"
            ]
        )

    def get_urls(self) -> list:
        report = self.admin_site.admin_view(self.report_view)
        return [
            path("report/", report, name="helplines_advertiser_report"),
            *super().get_urls(),
        ]

    def report_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = ReportForm(request.GET or ReportForm.default_data())
        rates: list[reports.DailyAnswerRate] = []
        if form.is_valid():
            since, until = form.range()
            advertiser = form.cleaned_data["advertiser"]
            rates = reports.answer_rates(
                since=since, until=until, advertiser_id=advertiser.pk if advertiser else None
            )
            if request.GET.get("format") == "csv":
                return _csv_response(
                    reports.answer_rate_rows(rates), f"calls-report-{since}-to-{until}.csv"
                )
        offered = sum(rate.offered for rate in rates)
        answered = sum(rate.answered for rate in rates)
        query = request.GET.copy()
        query["format"] = "csv"
        return TemplateResponse(
            request,
            "helplines/admin/report.html",
            {
                **self.admin_site.each_context(request),
                "title": "Calls offered and answered per advertiser per day",
                "opts": self.model._meta,
                "form": form,
                "rates": rates,
                "offered": offered,
                "answered": answered,
                "answer_rate": answered / offered if offered else None,
                "csv_query": query.urlencode(),
            },
        )


@admin.register(Disclosure)
class DisclosureAdmin(admin.ModelAdmin):
    list_display = ["__str__", "effective_from", "change_note", "created_by", "is_current"]
    fields = ["version", "body", "change_note", "effective_from", "created_at", "created_by"]
    readonly_fields = ["version", "created_at", "created_by"]
    list_select_related = ["created_by"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Disclosure]:
        return super().get_queryset(request).with_is_current()

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        # A new version usually starts from the text in force.
        current = Disclosure.objects.current()
        initial = super().get_changeform_initial_data(request)
        if current is not None:
            initial.setdefault("body", current.body)
        return initial

    def get_form(self, request: HttpRequest, obj: Disclosure | None = None, **kwargs: object):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["body"].help_text = (
            "Saving publishes a new version; every earlier version stays as it was and remains "
            "readable on the site. " + form.base_fields["body"].help_text
        )
        return form

    @admin.display(description="in force now", boolean=True)
    def is_current(self, disclosure: Disclosure) -> bool:
        return disclosure.is_current

    def save_model(self, request: HttpRequest, obj: Disclosure, form: object, change: bool) -> None:
        # Never an UPDATE: every save, including an edit of an old version, publishes anew.
        published = services.publish_disclosure(
            body=obj.body,
            change_note=obj.change_note,
            effective_from=obj.effective_from,
            author=request.user,
        )
        obj.pk = published.pk
        obj.version = published.version
        obj.created_at = published.created_at
        obj.created_by = published.created_by

    def response_change(self, request: HttpRequest, obj: Disclosure) -> HttpResponse:
        self.message_user(
            request,
            f"Published as version {obj.version}. Earlier versions are unchanged.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:helplines_disclosure_changelist"))

    def has_delete_permission(self, request: HttpRequest, obj: Disclosure | None = None) -> bool:
        # What the site said must stay on the record.
        return False


class CallAttemptInline(admin.TabularInline):
    model = CallAttempt
    extra = 0
    can_delete = False
    fields = ["order", "destination", "who", "number", "outcome", "duration", "started_at"]
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
        value = self.value() or ""
        # "²".isdigit() is true, but int() refuses it: only ASCII digits are an id.
        if not (value.isascii() and value.isdigit()):
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


class RefusesNulInFilters:
    """A filter value no record can match (a NUL reaches PostgreSQL as an error, ``²`` is no
    id) answers 400 with a message naming the filter, instead of a 500."""

    def filter_problem(self, name: str, value: str) -> bool:
        return "\x00" in name or "\x00" in value

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        for name, values in request.GET.lists():
            if any(self.filter_problem(name, value) for value in values):
                return HttpResponseBadRequest(
                    f"The filter “{name.replace(chr(0), '')}” has a value no record can have. "
                    "Go back and choose the filter from the list.",
                    content_type="text/plain; charset=utf-8",
                )
        return super().changelist_view(request, extra_context)


@admin.register(Call)
class CallAdmin(RefusesNulInFilters, admin.ModelAdmin):
    def filter_problem(self, name: str, value: str) -> bool:
        plain_id = value.isascii() and value.isdigit() and len(value) <= 18
        return super().filter_problem(name, value) or (
            name == OfferedToFilter.parameter_name and not plain_id
        )

    list_display = [
        "started_at",
        "helpline",
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
        "status",
        "started_at",
        "ended_at",
        "duration",
        "answered_by",
        "answered_advertiser",
        "answered_center",
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
        return _csv_response(reports.call_log_rows(queryset), f"calls-{timezone.localdate()}.csv")

    def get_urls(self) -> list:
        export = self.admin_site.admin_view(self.export_view)
        return [path("export/", export, name="helplines_call_export"), *super().get_urls()]

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """Every call the change list shows with the same filters, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        calls = self.get_changelist_instance(request).queryset
        return _csv_response(reports.call_log_rows(calls), f"calls-{timezone.localdate()}.csv")


class AssigneeFilter(admin.SimpleListFilter):
    """Requests from center pages, or from the site-wide form (assigned to an advertiser)."""

    title = "sent to"
    parameter_name = "sent_to"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("center", "A center, from its page"), ("advertiser", "A paid advertiser")]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[CallbackRequest]
    ) -> QuerySet[CallbackRequest]:
        if self.value() == "center":
            return queryset.filter(center__isnull=False)
        if self.value() == "advertiser":
            return queryset.filter(advertiser__isnull=False)
        return queryset


@admin.register(CallbackRequest)
class CallbackRequestAdmin(RefusesNulInFilters, admin.ModelAdmin):
    """The callback queue: new requests first, oldest first. Only for staff holding the
    ``handle_callbackrequest`` permission: every screen here shows phone numbers."""

    list_display = [
        "created_at",
        "status",
        "sent_to",
        "first_name",
        "phone_link",
        "best_time",
        "called_at",
        "closed_at",
    ]
    list_display_links = ["created_at"]
    list_filter = ["status", AssigneeFilter, "advertiser", "best_time", "created_at"]
    list_select_related = ["center", "advertiser"]
    date_hierarchy = "created_at"
    actions = ["mark_called", "close"]
    fields = [
        "sent_to",
        "first_name",
        "phone_link",
        "best_time",
        "status",
        "created_at",
        "called_at",
        "closed_at",
    ]
    readonly_fields = [field for field in fields if field != "status"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CallbackRequest]:
        return CallbackRequest.objects.in_queue_order()

    def get_ordering(self, request: HttpRequest) -> list[str]:
        # The change list re-applies this over the queryset's own order: new requests first,
        # the oldest first (queue_position is annotated by in_queue_order).
        return ["queue_position", "created_at"]

    # One permission for everything: whoever may see a phone number here handles the request.
    def has_handle_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("helplines.handle_callbackrequest")

    def has_view_permission(self, request: HttpRequest, obj: CallbackRequest | None = None) -> bool:
        return self.has_handle_permission(request)

    def has_change_permission(
        self, request: HttpRequest, obj: CallbackRequest | None = None
    ) -> bool:
        return self.has_handle_permission(request)

    def has_delete_permission(
        self, request: HttpRequest, obj: CallbackRequest | None = None
    ) -> bool:
        # For someone who asks us to forget their request before purge_callbacks does.
        return self.has_handle_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Requests come from the visitors themselves, with their consent.
        return False

    @admin.display(description="sent to")
    def sent_to(self, callback: CallbackRequest) -> str:
        if callback.advertiser_id:
            return f"{callback.advertiser.name} (paid advertiser)"
        return callback.assignee_name()

    @admin.display(description="phone", ordering="phone")
    def phone_link(self, callback: CallbackRequest) -> str:
        return format_html(
            '<a href="{}">{}</a>', phones.tel_uri(callback.phone), callback.phone_display
        )

    def save_model(
        self, request: HttpRequest, obj: CallbackRequest, form: object, change: bool
    ) -> None:
        obj.stamp_status()
        super().save_model(request, obj, form, change)

    @admin.action(description="Mark selected requests as called back", permissions=["handle"])
    def mark_called(self, request: HttpRequest, queryset: QuerySet[CallbackRequest]) -> None:
        changed = queryset.mark_called()
        self.message_user(
            request, f"{changed} new request{'s' if changed != 1 else ''} marked as called back."
        )

    @admin.action(description="Close selected requests", permissions=["handle"])
    def close(self, request: HttpRequest, queryset: QuerySet[CallbackRequest]) -> None:
        changed = queryset.close()
        self.message_user(request, f"{changed} request{'s' if changed != 1 else ''} closed.")


def _csv_response(rows: Iterable[list[object]], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(reports.stream_csv(rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
