"""Names vulture cannot see used: read by templates, the ORM, settings or a library.

`make lint` runs vulture over the code and this file (see [tool.vulture] in pyproject.toml,
which also ignores Django's and Celery's conventional names). Add a name here only after
checking that something reads it; delete dead code instead. Never imported or run.
"""
# ruff: noqa: B018, F821

# Apps, middleware, context processors and helpers named in settings as dotted paths.
BenchConfig
OrdersConfig
SimulatorConfig
RejectNulBytesMiddleware
HealthzMiddleware
navigation  # orders.context.navigation
filesystem_broker_options  # panel/settings.py

# Used in a string annotation behind TYPE_CHECKING.
StrOrPromise

# Read by templates (templates/orders/...).
_.balance_short
_.balance_text
_.being_sent
_.cancels
_.duration
_.every_text
_.invalid_count
_.late
_.more_events
_.offers_off_sale  # orders/home.html: our services taken off sale
_.optional  # form field flag, placement/new.html
_.order_bound_fields
_.other_extra
_.per_post_count
_.plot_bottom
_.plot_left
_.plot_right
_.plot_top
_.selling_text
_.short_balances
_.wide  # form field flag, placement/new.html
_.cost_total  # orders/orders/detail.html (subscriptions)
_.price_total
_.posts_cost_text  # placement/new.html (subscription estimate)
_.posts_price_text
_.money_basis  # orders/orders/detail.html (estimate, charged so far, settled)

# Model fields written and read through the ORM (filter/update keywords, update_fields,
# the admin, templates): vulture sees only the class attribute.
_.claimed_until
_.date_hierarchy  # LedgerEntryAdmin
_.error_reason
_.fault_counter
_.last_checked_at
_.last_error
_.last_failure_at
_.new_max
_.old_max
_.orders_polled_at
_.post_index
_.submitting_since
_.updated_at

# Form fields, read through cleaned_data; widget and form attributes Django reads.
_.advance_minutes
_.error_texts
_.help_text
_.input_type
_.new_api_key
_.despite  # the second confirmation's hidden field, orders/orders/detail.html

# The simulator's fault shares, read as getattr(faults, f"{name}_share").
_.error_5xx_share
_.malformed_share
_.rate_limit_share

# Signatures fixed by the library they override (Widget.render, HTTPAdapter.send) and
# attributes that library reads (requests.Response, requests.Session, Django's test client).
renderer
verify
cert
proxies
_._content
_._content_consumed  # requests.Response: the body was read (orders/upstream/wire.py)
_.pool_classes_by_scheme  # urllib3's PoolManager (orders/upstream/transport.py)
_._put  # kombu's virtual Channel (panel/broker.py)
_.STATIC_ROOT  # a settings override in a test
_.encoding
_.raise_request_exception
_.trust_env

# Run in a child process by name (tests/reliability/stress.py).
publish_all

# Read by templates (providers list, reconciliation page).
_.last_check
_.entries_count
_.orders_count
_.settled_at  # Order: read through the ORM (orders/selectors/reconciliation.py)

# Read by the orders list template (its tabs: how old the counts are).
_.age_seconds
