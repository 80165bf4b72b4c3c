from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from centers import accuracy
from centers.edits import EDITOR_TRACKED_FIELDS, record_editor_changes, set_status
from centers.models import (
    TERM_KINDS,
    TERM_RELATIONS,
    CareSetting,
    Center,
    ProblemReport,
    Service,
    ServiceCategory,
    TherapyType,
)
from centers.services import Resolution, resolve_problem_report
from directory.admin import ControlFreeModelForm, ControlFreeText


class ProblemReportInline(ControlFreeText, admin.TabularInline):
    """A listing's reports, to read beside it; each is decided on its own page (the link), where
    the reporter is told."""

    model = ProblemReport
    extra = 0
    fields = ["created_at", "kind", "details", "status", "resolution_note"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class OpenReportFilter(admin.SimpleListFilter):
    """Open (new or confirmed) or closed (fixed or rejected)."""

    title = "open or closed"
    parameter_name = "open"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [("yes", "Open (new or confirmed)"), ("no", "Closed (fixed or rejected)")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.open()
        if self.value() == "no":
            return queryset.closed()
        return queryset


class CenterForm(ControlFreeModelForm):
    """A listing, with when the center last stated its availability.

    That time is stamped now whenever the availability or the wait changes, unless the editor
    types when the center said it (a phone call yesterday). A date of checking set here, with
    no checker chosen, records the editors.
    """

    availability_stated_at = forms.SplitDateTimeField(
        label="Availability stated at",
        required=False,
        widget=AdminSplitDateTime,
        help_text="When the center said it. Left alone, it is set to now when the availability "
        "or the wait changes. Shown as current for 14 days, as old until 30, then not at all.",
    )

    class Meta:
        model = Center
        fields = ["availability", "wait_days", "last_verified", "last_verified_by"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        stated = self.instance.availability_stated_at
        if stated is not None:
            # Whole seconds, as the inputs show them: otherwise it would always look changed.
            local = timezone.localtime(stated).replace(microsecond=0)
            self.initial["availability_stated_at"] = local

    def clean(self) -> dict:
        data = super().clean()
        now = timezone.now()
        changed = set(self.changed_data)
        availability = data.get("availability", self.instance.availability)
        stated = self.instance.availability_stated_at
        if "availability_stated_at" in changed:
            stated = data.get("availability_stated_at")
            if stated is not None and stated > now + timedelta(minutes=5):
                self.add_error("availability_stated_at", "That time has not come yet.")
        elif changed & {"availability", "wait_days"}:
            stated = now
        if availability and stated is None:
            stated = now
        self.instance.availability_stated_at = stated if availability else None
        if data.get("wait_days") is not None and availability != Center.Availability.WAITING_LIST:
            self.add_error(
                "wait_days", "Only a waiting list has an estimated wait: clear it, or choose one."
            )
        checked = data.get("last_verified")
        if checked is not None and checked > timezone.localdate():
            self.add_error("last_verified", "That date has not come yet.")
        if "last_verified" in changed and checked and not data.get("last_verified_by"):
            data["last_verified_by"] = Center.Checker.EDITOR
        return data


class ReportedFilter(admin.SimpleListFilter):
    """Listings with an open problem report, or an open report of a disconnected number."""

    title = "open problem reports"
    parameter_name = "reported"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [("any", "Any open report"), ("disconnected", "A disconnected number")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() not in {"any", "disconnected"}:
            return queryset
        reports = ProblemReport.objects.open().filter(center=OuterRef("pk"))
        if self.value() == "disconnected":
            reports = reports.filter(kind=ProblemReport.Kind.DISCONNECTED)
        return queryset.filter(Exists(reports))


def _set_status(request: HttpRequest, queryset: QuerySet, status: str, verb: str) -> None:
    updated = set_status(centers=queryset, status=status, editor=request.user)
    messages.success(
        request, f"{updated} {'listing was' if updated == 1 else 'listings were'} {verb}."
    )


@admin.register(Center)
class CenterAdmin(ControlFreeText, admin.ModelAdmin):
    form = CenterForm
    list_display = [
        "name",
        "city",
        "state",
        "status",
        "availability",
        "last_verified",
        "last_verified_by",
        "in_latest_directory",
    ]
    list_filter = [
        "status",
        "in_latest_directory",
        ReportedFilter,
        "availability",
        "last_verified_by",
        "state",
        "care_settings",
        "therapies",
    ]
    search_fields = ["name", "secondary_name", "city", "zip_code", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = [*TERM_RELATIONS, "services"]
    readonly_fields = ["samhsa_key", "samhsa_editions", "created_at", "updated_at"]
    date_hierarchy = "last_verified"
    actions = ["publish", "hide", "close", "mark_verified_today"]
    inlines = [ProblemReportInline]
    show_full_result_count = False  # a full COUNT(*) on every change-list page is wasted work
    fieldsets = [
        (None, {"fields": ["name", "secondary_name", "slug", "status", "description", "website"]}),
        (
            "Address",
            {
                "fields": [
                    "street",
                    "street2",
                    "city",
                    "state",
                    "zip_code",
                    "latitude",
                    "longitude",
                    "exact_location",
                ]
            },
        ),
        (
            "Phones",
            {
                "fields": [
                    "phone",
                    "intake_phone",
                    "intake_phone_2",
                    "intake_phone_alt",
                    "intake_phone_2_alt",
                ],
                "description": "E.164 form, e.g. +12025550147; add ;ext=12 for an extension.",
            },
        ),
        (
            "What it offers",
            {
                "fields": [
                    *TERM_RELATIONS,
                    "operator_type",
                    "services",
                ]
            },
        ),
        (
            "Taking new clients, hours and insurance",
            {
                "fields": [
                    "availability",
                    "wait_days",
                    "availability_stated_at",
                    "intake_hours",
                    "insurance_notes",
                ],
                "description": "What the center says, kept up to date by its managers; "
                "families see it on its card and page.",
            },
        ),
        (
            "Verification and source",
            {
                "fields": [
                    "last_verified",
                    "last_verified_by",
                    "in_latest_directory",
                    "samhsa_key",
                    "samhsa_editions",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    change_list_template = "centers/admin/center_change_list.html"

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        # The stated time is the form's own field (the model's is not editable): named to the
        # form factory, Django would refuse it.
        fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = [name for name in fields if name != "availability_stated_at"]
        return super().get_form(request, obj, change, **kwargs)

    def get_urls(self) -> list:
        accuracy = self.admin_site.admin_view(self.accuracy_view)
        return [path("accuracy/", accuracy, name="centers_accuracy"), *super().get_urls()]

    def accuracy_view(self, request: HttpRequest) -> HttpResponse:
        """The editors' dashboard of how accurate the listings are (``centers.accuracy``)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Accuracy of the listings",
            "opts": self.model._meta,
            "board": accuracy.dashboard(),
            "recent_days": accuracy.RECENT_DAYS,
        }
        return TemplateResponse(request, "centers/admin/accuracy.html", context)

    @admin.action(description="Publish selected listings")
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        _set_status(request, queryset, Center.Status.PUBLISHED, "published")

    @admin.action(description="Hide selected listings")
    def hide(self, request: HttpRequest, queryset: QuerySet) -> None:
        _set_status(request, queryset, Center.Status.HIDDEN, "hidden")

    @admin.action(description="Mark selected listings as closed")
    def close(self, request: HttpRequest, queryset: QuerySet) -> None:
        _set_status(request, queryset, Center.Status.CLOSED, "marked closed")

    @admin.action(description="Mark selected listings as verified today")
    def mark_verified_today(self, request: HttpRequest, queryset: QuerySet) -> None:
        updated = queryset.update(
            last_verified=timezone.localdate(),
            last_verified_by=Center.Checker.EDITOR,
            updated_at=timezone.now(),
        )
        messages.success(request, f"{updated} marked as verified today.")

    def save_model(self, request: HttpRequest, obj: Center, form, change: bool) -> None:
        """Keep what the editor changed in the listing's history, where a re-import sees it."""
        before = {}
        if change:
            before = {name: form.initial.get(name) for name in EDITOR_TRACKED_FIELDS}
            before = {name: value for name, value in before.items() if name in form.changed_data}
        super().save_model(request, obj, form, change)
        if before:
            record_editor_changes(center=obj, before=before, user=request.user)


class ProblemReportForm(ControlFreeModelForm):
    class Meta:
        model = ProblemReport
        fields = ["center", "kind", "details", "status", "resolution_note"]
        widgets = {"resolution_note": forms.Textarea(attrs={"rows": 3, "maxlength": 2000})}


@admin.register(ProblemReport)
class ProblemReportAdmin(ControlFreeText, admin.ModelAdmin):
    """The editors' queue. Every change of status goes through
    ``centers.services.resolve_problem_report``, which tells a reporter who asked (once) and
    then erases their address, which this admin never shows."""

    form = ProblemReportForm
    list_display = ["created_at", "center", "kind", "status", "age", "reporter"]
    list_filter = [OpenReportFilter, "status", "kind"]
    search_fields = ["center__name", "details"]
    autocomplete_fields = ["center"]
    list_select_related = ["center"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "resolved_at", "reporter", "language"]
    actions = ["mark_confirmed", "mark_fixed", "mark_rejected"]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        # What the visitor wrote is kept as they wrote it.
        fixed = ["center", "kind", "details"] if obj is not None else []
        return [*fixed, *self.readonly_fields]

    @admin.display(description="open for")
    def age(self, report: ProblemReport) -> str:
        end = report.resolved_at or timezone.now()
        days = (end - report.created_at).days
        return f"{days} day{'' if days == 1 else 's'}"

    @admin.display(description="reporter")
    def reporter(self, report: ProblemReport) -> str:
        if report.reporter_email:
            return "waiting to hear the outcome"
        if report.reporter_told_at:
            return f"told {timezone.localtime(report.reporter_told_at):%b %d, %Y}"
        return "left no email"

    def save_model(self, request: HttpRequest, obj: ProblemReport, form, change: bool) -> None:
        if not change:  # an editor's own note of a problem: nobody to tell
            if not obj.is_open:
                obj.resolved_at = timezone.now()
            obj.save()
            return
        result = resolve_problem_report(
            report_id=obj.pk,
            status=obj.status,
            note=obj.resolution_note,
            site_url=_site_url(request),
        )
        _say_who_was_told(request, [result])

    def _resolve_all(self, request: HttpRequest, queryset: QuerySet, status: str) -> None:
        results = [
            resolve_problem_report(report_id=pk, status=status, site_url=_site_url(request))
            for pk in queryset.values_list("pk", flat=True)
        ]
        label = ProblemReport.Status(status).label.lower()
        count = len(results)
        messages.success(request, f"{count} report{'' if count == 1 else 's'} marked {label}.")
        _say_who_was_told(request, results)

    @admin.action(description="Mark selected reports as confirmed (not yet fixed)")
    def mark_confirmed(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._resolve_all(request, queryset, ProblemReport.Status.CONFIRMED)

    @admin.action(description="Mark selected reports as fixed (tells the reporter)")
    def mark_fixed(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._resolve_all(request, queryset, ProblemReport.Status.FIXED)

    @admin.action(description="Reject selected reports (tells the reporter)")
    def mark_rejected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._resolve_all(request, queryset, ProblemReport.Status.REJECTED)


def _site_url(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _say_who_was_told(request: HttpRequest, results: list[Resolution]) -> None:
    told = sum(result.reporter_told for result in results)
    waiting = sum(result.reporter_waiting and not result.report.is_open for result in results)
    if told:
        messages.info(request, f"{told} reporter{'' if told == 1 else 's'} emailed the outcome.")
    if waiting:
        messages.warning(
            request,
            f"{waiting} reporter{'' if waiting == 1 else 's'} could not be emailed (see the "
            "log); their address is kept: save the report again to retry.",
        )


def _beside_spanish(*fields: str) -> list[tuple[str, str]]:
    """Each field on one line with its Spanish (``name`` | ``name_es``), for the editor."""
    return [(field, f"{field}_es") for field in fields]


_SPANISH_NOTE = "Spanish pages show the Spanish; while it is blank they show the English."


class TermAdmin(ControlFreeText, admin.ModelAdmin):
    list_display = ["name", "name_es", "slug", "position", "samhsa_codes"]
    search_fields = ["name", "name_es", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["position", "name"]
    kind_fields: tuple[str, ...] = ()  # the model's own non-text fields
    texts: tuple[str, ...] = ("summary", "description")  # written in both languages

    def get_fieldsets(self, request: HttpRequest, obj=None) -> list:
        return [
            (
                None,
                {
                    "fields": [
                        *_beside_spanish("name"),
                        "slug",
                        *self.kind_fields,
                        "samhsa_codes",
                        "position",
                    ],
                    "description": _SPANISH_NOTE,
                },
            ),
            ("In English and Spanish", {"fields": _beside_spanish(*self.texts)}),
        ]


class TherapyTypeAdmin(TermAdmin):
    texts = ("summary", "description", "what_to_expect", "who_it_suits")


class CareSettingAdmin(TermAdmin):
    list_display = ["name", "name_es", "slug", "kind", "position", "samhsa_codes"]
    list_filter = ["kind"]
    kind_fields = ("kind",)
    texts = ("summary", "description", "what_to_expect", "who_it_suits")


# Every term kind gets the shared term admin, unless it has fields of its own to show.
_TERM_ADMINS: dict[type, type[TermAdmin]] = {
    TherapyType: TherapyTypeAdmin,
    CareSetting: CareSettingAdmin,
}
for kind in TERM_KINDS:
    admin.site.register(kind.model, _TERM_ADMINS.get(kind.model, TermAdmin))


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(ControlFreeText, admin.ModelAdmin):
    list_display = ["code", "name", "name_es", "position"]
    search_fields = ["code", "name", "name_es"]
    fieldsets = [
        (None, {"fields": ["code", *_beside_spanish("name"), "position"],
                "description": _SPANISH_NOTE}),
    ]  # fmt: skip


@admin.register(Service)
class ServiceAdmin(ControlFreeText, admin.ModelAdmin):
    list_display = ["code", "name", "name_es", "category"]
    list_filter = ["category"]
    search_fields = ["code", "name", "name_es"]
    list_select_related = ["category"]
    fieldsets = [
        (None, {"fields": ["code", "category", *_beside_spanish("name"), "description",
                           "position"],
                "description": _SPANISH_NOTE}),
    ]  # fmt: skip
