# syntax=docker/dockerfile:1
# Build: docker build -t claimsapi .
# Run:   docker run -p 8000:8000 -e CLAIMS_DATABASE_URL=postgresql+psycopg://user:pass@db:5432/claims claimsapi

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
RUN python -m venv /opt/venv
COPY requirements.lock ./
RUN /opt/venv/bin/pip install --require-hashes -r requirements.lock
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
RUN /opt/venv/bin/pip install --no-deps .

FROM python:3.11-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    CLAIMS_DATABASE_URL=sqlite:////data/claims.db \
    PORT=8000
RUN groupadd --system claims && useradd --system --gid claims --home-dir /nonexistent claims \
    && mkdir /data && chown claims:claims /data
COPY --from=build /opt/venv /opt/venv
USER claims
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz\", timeout=2)"]
# Migrate, then serve; exec so the server gets the signals.
CMD ["sh", "-c", "claimsapi db upgrade && exec claimsapi serve --host 0.0.0.0 --port \"$PORT\""]
