from django.conf import settings


def site(request):
    return {
        "site_name": settings.CNNAVI_SITE_NAME,
        "is_production": settings.PRODUCTION,
    }
