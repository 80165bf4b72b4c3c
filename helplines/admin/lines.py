"""Helplines, advertisers (with their report) and disclosure versions."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from directory.admin import ControlFreeModelForm, ControlFreeText

from .. import reports, services
from ..forms import ReportForm
from ..models import (
    Advertiser,
    AdvertiserPause,
    BusinessHours,
    Disclosure,
    Helpline,
)
from .downloads import csv_response

FLAT_FEE_RULE = (
    "Advertisers pay a flat fee per period for their listing. No fee, rebate or bonus may "
    "depend on the number or length of calls, on referrals or on admissions."
)


# Written only by the router, under the advertiser's row lock.
ROUTER_FIELDS = frozenset({"current_weight", "paused_until"})


class HelplineForm(ControlFreeModelForm):
    class Meta:
        model = Helpline
        fields = "__all__"

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == Helpline.Kind.CENTER and data.get("advertisers"):
            self.add_error("advertisers", "A center's own line rings the center: no advertiser.")
        return data


@admin.register(Helpline)
class HelplineAdmin(ControlFreeText, admin.ModelAdmin):
    form = HelplineForm
    filter_horizontal = ["advertisers"]
    list_display = ["label", "number_display", "kind", "language", "center", "active", "position"]
    list_editable = ["active", "position"]
    list_filter = ["kind", "language", "active"]
    search_fields = ["label", "slug", "number"]
    prepopulated_fields = {"slug": ["label"]}
    raw_id_fields = ["center"]
    list_select_related = ["center"]

    @admin.display(description="number", ordering="number")
    def number_display(self, helpline: Helpline) -> str:
        return helpline.number_display


class BusinessHoursInline(ControlFreeText, admin.TabularInline):
    model = BusinessHours
    extra = 1
    verbose_name_plural = "business hours (in the advertiser's time zone; 00:00 to 00:00 is 24h)"


class AdvertiserForm(ControlFreeModelForm):
    """The intake languages as one checkbox per site language, not a JSON text box."""

    languages = forms.MultipleChoiceField(
        label="Intake languages",
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        initial=["en"],
        help_text=Advertiser._meta.get_field("languages").help_text,
    )

    class Meta:
        model = Advertiser
        # The admin's fieldsets say which fields show; the form only swaps the widget.
        fields = ["languages"]


@admin.register(Advertiser)
class AdvertiserAdmin(ControlFreeText, admin.ModelAdmin):
    form = AdvertiserForm
    list_display = [
        "name",
        "center",
        "intake_number_display",
        "weight",
        "daily_cap",
        "concurrent_cap",
        "language_list",
        "starts_on",
        "ends_on",
        "is_current",
        "paused_until",
    ]
    list_filter = ["active", "time_zone", "fee_period"]
    actions = ["lift_pause"]
    search_fields = ["name", "center__name", "intake_number"]
    raw_id_fields = ["center"]
    list_select_related = ["center"]
    readonly_fields = ["current_weight", "paused_until", "created_at"]
    inlines = [BusinessHoursInline]
    change_list_template = "helplines/admin/advertiser_change_list.html"
    fieldsets = [
        (None, {"fields": ["name", "center", "intake_number", "languages", "active"]}),
        (
            "Routing",
            {
                "description": "General calls go to advertisers in turn, in proportion to "
                "their weights, among those open, under their caps and not yet tried on the "
                "call. Weights follow intake capacity; they are never sold.",
                "fields": [
                    "weight",
                    "time_zone",
                    "daily_cap",
                    "concurrent_cap",
                    "current_weight",
                    "paused_until",
                ],
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

    @admin.display(description="languages")
    def language_list(self, advertiser: Advertiser) -> str:
        names = dict(settings.LANGUAGES)
        return ", ".join(names.get(code, code) for code in advertiser.languages or ())

    @admin.display(description="current", boolean=True, ordering="is_current")
    def is_current(self, advertiser: Advertiser) -> bool:
        return advertiser.is_current

    @admin.action(description="Lift the pause of the selected advertisers", permissions=["change"])
    def lift_pause(self, request: HttpRequest, queryset: QuerySet[Advertiser]) -> None:
        lifted = [a for a in queryset if services.end_pause(advertiser=a) is not None]
        self.message_user(
            request,
            f"Pause lifted for {len(lifted)} of {queryset.count()} advertisers: they take calls "
            "again.",
            messages.SUCCESS,
        )

    def save_model(self, request: HttpRequest, obj: Advertiser, form: object, change: bool) -> None:
        if not change:
            obj.save()
            return
        # The race: the router changes current_weight and paused_until under a row lock
        # between the moment this form loaded the advertiser and now. Saving every column would
        # write the stale values back (skewing the rotation, undoing a pause), so the routing
        # state is left out of the update.
        obj.save(
            update_fields=[
                field.name
                for field in Advertiser._meta.concrete_fields
                if not field.primary_key and field.name not in ROUTER_FIELDS
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
                return csv_response(
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


@admin.register(AdvertiserPause)
class AdvertiserPauseAdmin(admin.ModelAdmin):
    """The record of automatic pauses: read only; lift a pause from the advertisers' list."""

    list_display = [
        "advertiser",
        "reason",
        "started_at",
        "ends_at",
        "ended_early",
        "missed",
        "accepted_last_hour",
        "offered_last_hour",
    ]
    list_filter = ["reason", "ended_early"]
    list_select_related = ["advertiser"]
    date_hierarchy = "started_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Disclosure)
class DisclosureAdmin(ControlFreeText, admin.ModelAdmin):
    list_display = ["__str__", "effective_from", "change_note", "created_by", "is_current"]
    fields = [
        "version",
        "body",
        "body_es",
        "change_note",
        "effective_from",
        "created_at",
        "created_by",
    ]
    readonly_fields = ["version", "created_at", "created_by"]
    list_select_related = ["created_by"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Disclosure]:
        return super().get_queryset(request).with_is_current()

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        # A new version usually starts from the text in force.
        current = Disclosure.objects.current()
        initial = super().get_changeform_initial_data(request)
        if current is not None:
            # Not the Spanish: a translation of the old text kept beside a changed English
            # would be a stale translation presented as current. Blank, the Spanish page says
            # this version is not translated yet.
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
            body_es=obj.body_es,
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
