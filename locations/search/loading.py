"""Outlets read from the database into index entries (:class:`.index.IndexedOutlet`)."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Collection
from datetime import time

from django.db import models
from django.db.models.functions import Cast

from .. import hours as hours_rules
from ..api import cards
from ..gazetteer import fold
from ..models import HolidayCalendars, OpeningRange, Outlet, SpecialHours, hours_from_values
from .index import IndexedOutlet, OutletIndex

#: Outlets loaded between two pauses of a background rebuild (about a millisecond's work).
PAUSE_EVERY = 200


def build_index(pause: Callable[[], None] | None = None) -> OutletIndex:
    """Every searchable outlet, with its hours compiled, in a new index (``pause``: see
    :func:`load_entries`)."""
    entries = load_entries(pause=pause)
    index = OutletIndex(entries)
    if pause is not None:
        # Freeing 100,000 entries at once holds the interpreter for a fifth of a second:
        # free them a slice at a time instead.
        while entries:
            del entries[-PAUSE_EVERY:]
            pause()
    return index


def load_entries(
    outlet_ids: Collection[int] | None = None, pause: Callable[[], None] | None = None
) -> list[IndexedOutlet]:
    """Index entries for every searchable outlet, or for those of ``outlet_ids`` that are
    searchable (the others are deleted or permanently closed). ``pause`` is called every
    PAUSE_EVERY outlets: a rebuild in a background thread lets searches run there."""

    def only(queryset, field="outlet_id"):
        return queryset if outlet_ids is None else queryset.filter(**{f"{field}__in": outlet_ids})

    services, payments = defaultdict(list), defaultdict(list)
    for outlet_id, slug in only(
        Outlet.services.through.objects.order_by("service__position", "service__slug")
    ).values_list("outlet_id", "service__slug"):
        services[outlet_id].append(slug)
    for outlet_id, slug in only(
        Outlet.payment_methods.through.objects.order_by(
            "paymentmethod__position", "paymentmethod__slug"
        )
    ).values_list("outlet_id", "paymentmethod__slug"):
        payments[outlet_id].append(slug)
    # Times are read as text: the database's time values are few and repeat, and parsing
    # each of a million of them was most of the time an index of 100,000 outlets took.
    weekly, special = defaultdict(list), defaultdict(list)
    for outlet_id, *row in (
        only(OpeningRange.objects.order_by())
        .annotate(opens_text=Cast("opens", models.CharField()))
        .annotate(closes_text=Cast("closes", models.CharField()))
        .values_list("outlet_id", "weekday", "opens_text", "closes_text")
    ):
        weekly[outlet_id].append(tuple(row))
    for outlet_id, *row in only(SpecialHours.objects.order_by()).values_list(
        "outlet_id", "start_date", "end_date", "opens", "closes", "reason"
    ):
        special[outlet_id].append(tuple(row))
    clock = functools.lru_cache(maxsize=None)(time.fromisoformat)
    calendars = HolidayCalendars()
    # Outlets often share hours: compile each distinct schedule once and share it.
    schedules: dict[tuple, hours_rules.Schedule] = {}
    entries = []
    for number, row in enumerate(
        only(Outlet.objects.searchable().order_by(), "id").values_list(
            "id",
            "code",
            "kind",
            "latitude",
            "longitude",
            "timezone",
            "status",
            "country",
            "closed_on_public_holidays",
            "name",
            "address",
            "city",
            "province",
            "postcode",
            "slug",
            "phone",
        )
    ):
        if pause is not None and number % PAUSE_EVERY == 0:
            pause()
        outlet_id, code, kind, latitude, longitude, zone, lifecycle, country, ph_off = row[:9]
        weekly_rows = tuple(sorted(weekly.pop(outlet_id, ())))
        special_rows = tuple(special.pop(outlet_id, ()))
        key = (weekly_rows, special_rows, ph_off, zone, lifecycle, country if ph_off else None)
        schedule = schedules.get(key)
        if schedule is None:
            hours = hours_from_values(
                ((day, clock(opens), clock(closes)) for day, opens, closes in weekly_rows),
                special_rows,
                ph_off,
            )
            holidays = calendars[country] if ph_off else None
            schedule = schedules[key] = hours_rules.compile_schedule(
                hours, zone, lifecycle, holidays
            )
        name, address, city, province, postcode, slug, phone = row[9:]
        outlet_services = tuple(services.pop(outlet_id, ()))
        outlet_payments = tuple(payments.pop(outlet_id, ()))
        own = {
            "code": code,
            "slug": slug,
            "kind": kind,
            "name": name,
            "address": address,
            "city": city,
            "province": province,
            "postcode": postcode,
            "country": country,
            "latitude": latitude,
            "longitude": longitude,
            "timezone": zone,
            "phone": phone,
            "services": outlet_services,
            "payment_methods": outlet_payments,
        }
        entries.append(
            IndexedOutlet(
                outlet_id,
                code,
                kind,
                latitude,
                longitude,
                outlet_services,
                outlet_payments,
                schedule,
                fold(" ".join((name, address, city, province, postcode))),
                cards.card(own),
            )
        )
    return entries
