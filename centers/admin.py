from difflib import SequenceMatcher

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from centers.edits import (
    EDITOR_TRACKED_FIELDS,
    decide_change,
    record_editor_changes,
    resolve_difference,
)
from centers.models import (
    TERM_KINDS,
    TERM_RELATIONS,
    CareSetting,
    Center,
    CenterManager,
    ListingChange,
    ProblemReport,
    SamhsaDifference,
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
    changing = list(queryset.exclude(status=status).values_list("pk", "status"))
    updated = queryset.update(status=status, updated_at=timezone.now())
    ListingChange.objects.bulk_create(
        ListingChange(
            center_id=pk,
            field="status",
            old_value=old,
            new_value=status,
            source=ListingChange.Source.EDITOR,
            state=ListingChange.State.PUBLISHED,
            changed_by=request.user,
        )
        for pk, old in changing
    )
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
