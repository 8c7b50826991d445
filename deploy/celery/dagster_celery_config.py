"""The Celery workers' settings (dagster-celery's app imports this module from PYTHONPATH):
``PYTHONPATH=deploy/celery celery -A dagster_celery.app worker …`` (README: "Running on several
machines"). Addresses come from the environment, never from this file."""
import os

broker_url = os.environ["KABAR_CELERY_BROKER"]
result_backend = broker_url
# A step is acknowledged only when it has finished: the step of a worker that died (killed, out of
# memory, its host lost) is delivered again to another worker once the broker's visibility timeout
# passes, and Dagster's retry of a failed step runs as a new task.
task_acks_late = True
task_reject_on_worker_lost = True
worker_prefetch_multiplier = 1
broker_transport_options = {"visibility_timeout": int(os.environ.get("KABAR_CELERY_VISIBILITY_TIMEOUT", "3600"))}
