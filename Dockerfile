FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=civicfund.settings.production

WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Build-time placeholders only: production settings require these at import.
RUN SECRET_KEY=build-only-placeholder-build-only-placeholder-build-only-placeholder CIVICFUND_PAYMENT_GATEWAY=stripe DATABASE_URL=sqlite:////tmp/build.sqlite3 ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

RUN useradd --create-home --uid 1000 civicfund
USER civicfund

EXPOSE 8000
# gunicorn.conf.py: bind, workers, access log, no Server banner.
CMD ["gunicorn", "civicfund.wsgi", "-c", "gunicorn.conf.py"]
