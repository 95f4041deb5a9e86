import os
from pathlib import Path

from celery import Celery

from . import broker  # registers the civicfs:// transport (the embedded broker of local mode)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicfund.settings.local")

app = Celery("civicfund")
# All Celery options live in Django settings under the CELERY_ prefix.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()  # each installed app's tasks module (core.tasks: the e-mails)


@app.on_after_configure.connect
def _create_local_folders(sender: Celery, **kwargs) -> None:
    """Create the folders the filesystem broker and the beat schedule file need.

    Done here rather than at settings import so that merely importing settings
    (collectstatic in a Docker build, say) never touches the disk.
    """
    conf = sender.conf
    if str(conf.broker_url or "").startswith(f"{broker.SCHEME}://"):
        options = conf.broker_transport_options or {}
        for key in ("data_folder_in", "data_folder_out", "processed_folder"):
            if options.get(key):
                Path(options[key]).mkdir(parents=True, exist_ok=True)
    if conf.beat_schedule_filename:
        Path(conf.beat_schedule_filename).parent.mkdir(parents=True, exist_ok=True)
