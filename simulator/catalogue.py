"""The simulated panel's catalogue: a standard set covering every order type, and a builder
of catalogues of any size for benchmarks."""

import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max

from simulator.models import SimService


def _service(
    service_id: int,
    name: str,
    type_: str,
    category: str,
    rate: str,
    low: int,
    high: int,
    *,
    refill: bool = False,
    cancel: bool = True,
    dripfeed: bool = False,
    refill_days: int = 0,
    speed: int = 1000,
    desc: str = "",
) -> dict[str, Any]:
    return {
        "service_id": service_id,
        "name": name,
        "type": type_,
        "category": category,
        "rate": Decimal(rate),
        "min_quantity": low,
        "max_quantity": high,
        "refill": refill,
        "cancel": cancel,
        "dripfeed": dripfeed,
        "refill_days": refill_days,
        "units_per_hour": speed,
        "desc": desc,
    }


IG = "Instagram"
# Every type of the protocol, the two mention types seen beyond it, and one type no client
# knows ("Custom Reactions"). Service 1 is the demo's: 1000 units take about a simulated hour.
STANDARD = [
    _service(1, f"{IG} Followers | Real Mixed | Refill 30D | 20K/Day", "Default",
             f"{IG} Followers", "0.90", 50, 10000, refill=True, dripfeed=True, refill_days=30,
             speed=1200, desc="Start 0-5 min. Mixed real and quality accounts."),
    _service(2, f"{IG} Followers | HQ Non-Drop | Refill 60D", "Default", f"{IG} Followers",
             "2.40", 100, 50000, refill=True, dripfeed=True, refill_days=60, speed=2000),
    _service(3, f"{IG} Likes | Instant | No Refill", "Default", f"{IG} Likes", "0.12", 10,
             20000, dripfeed=True, speed=5000),
    _service(4, f"{IG} Likes Package | 1000 Likes", "Package", f"{IG} Likes", "1.50", 1, 1,
             cancel=False, speed=60),
    _service(5, f"{IG} Custom Comments | Real Users", "Custom Comments", f"{IG} Comments",
             "8", 10, 1500, speed=300),
    _service(6, f"{IG} Custom Comments Package | 10 Comments", "Custom Comments Package",
             f"{IG} Comments", "3.50", 1, 1, cancel=False, speed=60),
    _service(7, f"{IG} Comment Likes | By Username", "Comment Likes", f"{IG} Comments",
             "2.10", 20, 5000, speed=1000),
    _service(8, f"{IG} Comment Replies | Custom", "Comment Replies", f"{IG} Comments", "12",
             5, 500, speed=200),
    _service(9, f"{IG} Mentions | Custom Usernames", "Mentions", f"{IG} Mentions", "1.80",
             100, 50000, speed=3000),
    _service(10, f"{IG} Mentions | Custom List", "Mentions Custom List", f"{IG} Mentions",
             "2.20", 10, 10000, speed=2000),
    _service(11, f"{IG} Mentions | Followers of a Profile", "Mentions User Followers",
             f"{IG} Mentions", "1.60", 500, 100000, speed=5000),
    _service(12, f"{IG} Mentions | Likers of a Post", "Mentions Media Likers",
             f"{IG} Mentions", "1.60", 500, 100000, speed=5000),
    _service(13, f"{IG} Mentions | Usernames + Hashtags", "Mentions with Hashtags",
             f"{IG} Mentions", "2.50", 100, 20000, speed=2000),
    _service(14, f"{IG} Mentions | Hashtag Posters", "Mentions Hashtag", f"{IG} Mentions",
             "2.00", 500, 50000, speed=3000),
    _service(15, f"{IG} Auto Likes | Future Posts", "Subscriptions", f"{IG} Auto Likes",
             "0.15", 50, 10000, speed=5000),
    _service(16, f"{IG} Auto Views | Future Posts", "Subscriptions", f"{IG} Auto Views",
             "0.02", 100, 100000, speed=20000),
    _service(17, "TikTok Views | Fast | No Refill", "Default", "TikTok Views", "0.018", 100,
             10000000, dripfeed=True, speed=100000),
    _service(18, "TikTok Followers | Refill 30D", "Default", "TikTok Followers", "3.20", 100,
             30000, refill=True, refill_days=30, speed=800),
    _service(19, "YouTube Views | Retention 1-3 min | Refill 30D", "Default", "YouTube Views",
             "1.10", 500, 1000000, refill=True, cancel=False, dripfeed=True, refill_days=30,
             speed=3000),
    _service(20, "YouTube Views | Keyword Search", "SEO", "YouTube SEO", "2.80", 1000,
             100000, cancel=False, speed=2000),
    _service(21, "Website Traffic | Worldwide | Google Keyword", "Web Traffic",
             "Website Traffic", "0.45", 500, 1000000, dripfeed=True, speed=10000),
    _service(22, "Website Traffic | USA | Custom Referrer", "Web Traffic", "Website Traffic",
             "0.95", 500, 500000, dripfeed=True, speed=5000),
    _service(23, "Telegram Members | From Similar Groups", "Invites from Groups",
             "Telegram Members", "4.00", 100, 20000, refill=True, cancel=False, refill_days=15,
             speed=1000),
    _service(24, "Telegram Channel Members | Refill 30D", "Default", "Telegram Members",
             "1.90", 100, 50000, refill=True, refill_days=30, speed=2000),
    _service(25, "Telegram Post Views | Last 5 Posts", "Package", "Telegram Views", "0.40", 1,
             1, cancel=False, speed=60),
    _service(26, "Twitter Poll Votes | Worldwide", "Poll", "Twitter (X)", "6.50", 100, 20000,
             speed=1500),
    _service(27, "Facebook Poll Votes", "Poll", "Facebook", "5.00", 50, 10000, speed=1000),
    _service(28, "Twitter Followers | Refill 30D", "Default", "Twitter (X)", "4.50", 100,
             20000, refill=True, refill_days=30, speed=800),
    _service(29, f"{IG} Story Reactions | Custom Emoji", "Custom Reactions", f"{IG} Story",
             "1.20", 50, 5000, speed=1000),
    _service(30, "Spotify Plays | Premium Accounts", "Default", "Spotify", "0.95", 1000,
             1000000, cancel=False, dripfeed=True, speed=20000),
]  # fmt: skip


def seed_catalogue() -> int:
    """Create the standard services that are missing; returns how many were created."""
    present = set(SimService.objects.values_list("service_id", flat=True))
    missing = [SimService(**spec) for spec in STANDARD if spec["service_id"] not in present]
    SimService.objects.bulk_create(missing)
    return len(missing)


PLATFORMS = ("Instagram", "TikTok", "YouTube", "Telegram", "Twitter (X)", "Facebook", "Twitch")
PRODUCTS = ("Followers", "Likes", "Views", "Comments", "Shares", "Saves", "Members")
TIERS = ("Real Mixed", "HQ", "Premium", "Bots", "Targeted USA", "Non-Drop", "Instant")
EXTRA_TYPES = ("Default",) * 12 + ("Package", "Custom Comments", "Mentions", "Poll", "SEO")


def _generated(service_id: int) -> SimService:
    rng = random.Random(service_id)
    platform, product, tier = rng.choice(PLATFORMS), rng.choice(PRODUCTS), rng.choice(TIERS)
    type_ = rng.choice(EXTRA_TYPES)
    low = 1 if type_ == "Package" else rng.choice((10, 50, 100, 500, 1000))
    high = 1 if type_ == "Package" else low * rng.choice((100, 200, 1000, 10000))
    refill = rng.random() < 0.4
    return SimService(
        service_id=service_id,
        name=f"{platform} {product} | {tier} | {rng.choice((5, 10, 20, 50))}K/Day",
        type=type_,
        category=f"{platform} {product}",
        rate=Decimal(rng.randint(5, 90000)) / 10000,
        min_quantity=low,
        max_quantity=high,
        refill=refill,
        cancel=rng.random() < 0.6,
        dripfeed=type_ == "Default" and rng.random() < 0.5,
        refill_days=rng.choice((15, 30, 60)) if refill else 0,
        units_per_hour=rng.choice((500, 1000, 2000, 5000, 20000)),
    )


def build_catalogue(n: int, *, batch: int = 2000) -> int:
    """Grow the catalogue to `n` services (the standard ones first); returns how many it made."""
    made = seed_catalogue()
    with transaction.atomic():
        top = SimService.objects.aggregate(top=Max("service_id"))["top"] or 0
        count = SimService.objects.count()
        extra = [_generated(top + 1 + i) for i in range(max(0, n - count))]
        SimService.objects.bulk_create(extra, batch_size=batch)
    return made + len(extra)
