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
RUN SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

RUN useradd --create-home --uid 1000 civicfund
USER civicfund

EXPOSE 8000
CMD ["gunicorn", "civicfund.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
