"""Answers recorded from the API page (shared/seed/api-v2-docs.txt), verbatim."""

SERVICES = """[
{
"service": 1,
"name": "Followers",
"type": "Default",
"category": "First Category",
"rate": "0.90",
"min": "50",
"max": "10000",
"refill": true,
"cancel": true
},
{
"service": 2,
"name": "Comments",
"type": "Custom Comments",
"category": "Second Category",
"rate": "8",
"min": "10",
"max": "1500",
"refill": false,
"cancel": true
}
]"""

ADD = """{
"order": 23501
}"""

STATUS = """{
"charge": "0.27819",
"start_count": "3572",
"status": "Partial",
"remains": "157",
"currency": "USD"
}"""

STATUSES = """{
"1": {
"charge": "0.27819",
"start_count": "3572",
"status": "Partial",
"remains": "157",
"currency": "USD"
},
"10": {
"error": "Incorrect order ID"
},
"100": {
"charge": "1.44219",
"start_count": "234",
"status": "In progress",
"remains": "10",
"currency": "USD"
}
}"""

REFILL = """{
"refill": "1"
}"""

REFILLS = """[
{
"order": 1,
"refill": 1
},
{
"order": 2,
"refill": 2
},
{
"order": 3,
"refill": {
"error": "Incorrect order ID"
}
}
]"""

REFILL_STATUS = """{
"status": "Completed"
}"""

REFILL_STATUSES = """[
{
"refill": 1,
"status": "Completed"
},
{
"refill": 2,
"status": "Rejected"
},
{
"refill": 3,
"status": {
"error": "Refill not found"
}
}
]"""

CANCEL = """[
{
"order": 9,
"cancel": {
"error": "Incorrect order ID"
}
},
{
"order": 2,
"cancel": 1
}
]"""

BALANCE = """{
"balance": "100.84292",
"currency": "USD"
}"""

# Error texts and machine codes seen on real panels (shared/spec/smm-api-v2.md).
ERROR_TEXTS = {
    "Invalid API key": "bad_key",
    "Incorrect request": "bad_request",
    "Incorrect service ID": "bad_service",
    "Incorrect order ID": "not_found",
    "Incorrect link": "bad_link",
    "Incorrect quantity": "bad_quantity",
    "Not enough funds on balance": "insufficient_funds",
    "Active order with this link exists": "duplicate_link",
    "Refill not found": "not_found",
    "Order not eligible for refill.": "not_refillable",
    "neworder.error.not_enough_funds": "insufficient_funds",
    "neworder.error.link_duplicate": "duplicate_link",
    "neworder.error.link": "bad_link",
    "neworder.error.min_quantity": "bad_quantity",
    "neworder.error.max_quantity": "bad_quantity",
    "neworder.error.incorrect_service_id": "bad_service",
    "Order can't be canceled": "not_cancellable",
    "Cancel not allowed": "not_cancellable",
    # Seen on panels beyond the spec's list.
    "You have active order with this link. Please wait until order being completed.": (
        "duplicate_link"
    ),
    # The key or the account behind it, however panels word it.
    "Incorrect API key": "bad_key",
    "API key is invalid": "bad_key",
    "invalid_key": "bad_key",
    "API is disable for this user or user not found": "account_refused",
    "User not found": "account_refused",
    "Your account has been suspended": "account_refused",
    "Account is banned": "account_refused",
    "Access denied": "account_refused",
    "Incorrect keywords": "unknown",  # an SEO order's field, not the key
}

CLOUDFLARE_502 = """<!DOCTYPE html>
<html lang="en-US"><head><title>provider.example | 502: Bad gateway</title></head>
<body><div id="cf-error-details"><h1>Bad gateway</h1>
<p>The web server reported a bad gateway error.</p></div></body></html>"""
