"""Factories for outlets and their hours."""

import datetime

import factory

from locations.models import (
    HolidayDate,
    OpeningRange,
    Outlet,
    PaymentMethod,
    Report,
    Service,
    SpecialHours,
)


class OutletFactory(factory.django.DjangoModelFactory):
    """A Bandung store; ``services=[...]`` and ``payment_methods=[...]`` take slugs.

    The slugs must exist: ``migrate`` writes them (the ``vocabularies`` fixture).
    """

    class Meta:
        model = Outlet
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"AX-{n:05d}")
    kind = Outlet.Kind.STORE
    name = factory.Sequence(lambda n: f"AXIS Store {n}")
    address = "Jl. Merdeka No. 1"
    city = "Bandung"
    province = "Jawa Barat"
    postcode = "40111"
    latitude = -6.9175
    longitude = 107.6191
    timezone = "Asia/Jakarta"

    @factory.post_generation
    def services(self, create, slugs, **kwargs):
        if create and slugs:
            self.services.set(Service.objects.filter(slug__in=slugs))

    @factory.post_generation
    def payment_methods(self, create, slugs, **kwargs):
        if create and slugs:
            self.payment_methods.set(PaymentMethod.objects.filter(slug__in=slugs))


class OpeningRangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningRange

    outlet = factory.SubFactory(OutletFactory)
    weekday = 0
    opens = datetime.time(9)
    closes = datetime.time(17)


class SpecialHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpecialHours

    outlet = factory.SubFactory(OutletFactory)
    start_date = datetime.date(2026, 3, 20)
    end_date = datetime.date(2026, 3, 24)
    reason = "Idul Fitri"


class HolidayDateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HolidayDate

    country = "ID"
    date = datetime.date(2026, 11, 30)
    name = "Extra holiday"


class ReportFactory(factory.django.DjangoModelFactory):
    """A new report of wrong hours, sent from an English page."""

    class Meta:
        model = Report

    outlet = factory.SubFactory(OutletFactory)
    kind = Report.Kind.WRONG_HOURS
    message = "Closes at 20:00 now."
    language = "en"
