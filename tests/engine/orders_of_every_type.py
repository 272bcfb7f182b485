"""Valid `add` parameters for a service of each known type, sized to its bounds."""

from itertools import count

from orders.models import Service

_links = count(1)


def lines(prefix: str, n: int) -> str:
    return "\n".join(f"{prefix}{i}" for i in range(1, n + 1))


def valid_params(service: Service) -> dict:
    """Parameters a staff member would type for this service; every link is new."""
    link = f"https://instagram.com/p/post{next(_links)}"
    low = service.min_quantity
    qty = {"link": link, "quantity": low}
    by_type = {
        "default": qty,
        "package": {"link": link},
        "seo": qty | {"keywords": lines("keyword ", 3)},
        "custom comments": {"link": link, "comments": lines("Great post ", low)},
        "mentions": qty | {"usernames": lines("user", 3)},
        "mentions custom list": {"link": link, "usernames": lines("user", low)},
        "mentions user followers": qty | {"username": "https://instagram.com/famous"},
        "mentions media likers": qty | {"media": "https://instagram.com/p/viral"},
        "subscriptions": {"username": f"account{next(_links)}", "min": low, "max": low, "delay": 0},
        "web traffic": qty | {"country": "US", "device": 5, "type_of_traffic": 3},
        "custom comments package": {"link": link, "comments": lines("Nice ", 10)},
        "comment likes": qty | {"username": "commenter"},
        "poll": qty | {"answer_number": 2},
        "comment replies": {
            "link": link,
            "username": "commenter",
            "comments": lines("Agreed ", low),
        },
        "invites from groups": qty | {"groups": lines("https://t.me/group", 2)},
        "mentions with hashtags": qty
        | {"usernames": lines("user", 3), "hashtags": lines("#tag", 2)},
        "mentions hashtag": qty | {"hashtag": "#summer"},
    }
    return by_type[service.type.strip().lower()]
