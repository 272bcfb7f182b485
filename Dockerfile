# One image for web, worker and beat (see docker-compose.yml).
FROM python:3.13-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy \
    PATH=/opt/venv/bin:$PATH
RUN pip install --no-cache-dir uv==0.13.9 \
    && useradd --create-home --uid 1000 panel
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-dev --no-install-project
COPY . .
RUN sh scripts/collect_static.sh && mkdir -p /app/var && chown panel /app/var
USER panel
EXPOSE 8000
CMD ["gunicorn", "panel.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
