#!/bin/sh
# The image's static files (Dockerfile), collected as production serves them: with DEBUG off,
# so that the hashed names' manifest is written. Without it every page answers 500.
# The secrets below only let the settings load for this command; none is kept in the image.
set -eu
cd "$(dirname "$0")/.."
build_var="${VAR_DIR:-/tmp/build-var}"
DEBUG=false \
    VAR_DIR="$build_var" \
    SECRET_KEY=collectstatic-only-not-a-secret-0123456789abcdef \
    PROVIDER_KEYS_SECRET=collectstatic-only-not-a-secret-0123456789abcdef \
    ALLOWED_HOSTS=collectstatic.invalid \
    python manage.py collectstatic --noinput
rm -rf "$build_var"
