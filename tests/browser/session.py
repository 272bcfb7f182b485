"""Signing a browser in without the sign-in form: the session cookie of a forced login."""

from django.conf import settings
from django.test import Client
from playwright.sync_api import Page


def sign_in(page: Page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
