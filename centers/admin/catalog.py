from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

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
from directory.admin import ControlFreeText


class ProblemReportInline(ControlFreeText, admin.TabularInline):
    model = ProblemReport
    extra = 0
    fields = ["created_at", "kind", "details", "status"]
    readonly_fields = ["created_at", "kind", "details"]


def _set_status(request: HttpRequest, queryset: QuerySet, status: str, verb: str) -> None:
    updated = set_status(centers=queryset, status=status, editor=request.user)
    messages.success(
        request, f"{updated} {'listing was' if updated == 1 else 'listings were'} {verb}."
    )


@admin.register(Center)
class CenterAdmin(ControlFreeText, admin.ModelAdmin):
    list_display = ["name", "city", "state", "status", "last_verified", "in_latest_directory"]
    list_filter = ["status", "in_latest_directory", "state", "care_settings", "therapies"]
    search_fields = ["name", "secondary_name", "city", "zip_code", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = [*TERM_RELATIONS, "services"]
    readonly_fields = [
        "samhsa_key",
        "samhsa_editions",
        "availability_stated_at",
        "created_at",
        "updated_at",
    ]
    date_hierarchy = "last_verified"
    actions = ["publish", "hide", "close", "mark_verified_today"]
    inlines = [ProblemReportInline]
    show_full_result_count = False  # a full COUNT(*) on every change-list page is wasted work
    fieldsets = [
        (None, {"fields": ["name", "secondary_name", "slug", "status", "description", "website"]}),
        (
            "Address",
            {"fields": ["street", "street2", "city", "state", "zip_code", "latitude", "longitude"]},
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
            "What the center says",
            {
                "fields": [
                    "availability",
                    "wait_days",
                    "availability_stated_at",
                    "intake_hours",
                    "insurance_notes",
                ],
                "description": "Kept up to date by the center's managers. A change of "
                "availability here is stated now, in the center's name.",
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
        if {"availability", "wait_days"} & set(form.changed_data):
            obj.availability_stated_at = timezone.now()
        super().save_model(request, obj, form, change)
        if before:
            record_editor_changes(center=obj, before=before, user=request.user)


@admin.register(ProblemReport)
class ProblemReportAdmin(ControlFreeText, admin.ModelAdmin):
    list_display = ["created_at", "center", "kind", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["center__name", "details"]
    autocomplete_fields = ["center"]
    list_select_related = ["center"]
    actions = ["mark_fixed", "dismiss"]

    @admin.action(description="Mark selected reports as fixed")
    def mark_fixed(self, request: HttpRequest, queryset: QuerySet) -> None:
        queryset.update(status=ProblemReport.Status.FIXED, resolved_at=timezone.now())

    @admin.action(description="Dismiss selected reports")
    def dismiss(self, request: HttpRequest, queryset: QuerySet) -> None:
        queryset.update(status=ProblemReport.Status.DISMISSED, resolved_at=timezone.now())


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
