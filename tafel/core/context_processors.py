from django.conf import settings


def tafel(request):
    return {"house_name": settings.TAFEL_HOUSE_NAME, "demo_mode": settings.DEMO_MODE}
