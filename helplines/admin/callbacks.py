"""Callback requests: the queue staff work through."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from directory import phones
from directory.admin import ControlFreeText

from ..models import (
    CallbackRequest,
)
from .guards import RefusesNulInFilters


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
class CallbackRequestAdmin(RefusesNulInFilters, ControlFreeText, admin.ModelAdmin):
    """The callback queue: new requests first, oldest first. Only for staff holding the
    ``handle_callbackrequest`` permission: every screen here shows phone numbers."""

    list_display = [
        "created_at",
        "status",
        "sent_to",
        "first_name",
        "phone_link",
        "best_time",
        "language",
        "called_at",
        "closed_at",
    ]
    list_display_links = ["created_at"]
    list_filter = ["status", AssigneeFilter, "advertiser", "language", "best_time", "created_at"]
    list_select_related = ["center", "advertiser"]
    date_hierarchy = "created_at"
    actions = ["mark_called", "close"]
    fields = [
        "sent_to",
        "first_name",
        "phone_link",
        "best_time",
        "language",
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
