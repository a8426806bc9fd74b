"""Logging: stderr and a JSON file via loguru, with Whoosh and APScheduler routed in."""

from __future__ import annotations

import json
import logging
from dataclasses import replace

import pytest
from loguru import logger

from index.config import ConfigError, load_config
from index.logs import setup_logging


@pytest.fixture
def logging_config(tmp_path):
    config = load_config().logging
    yield replace(config, json_file=tmp_path / "logs" / "norsearch.jsonl", level="DEBUG")
    logger.remove()


def logged(config) -> set[tuple[str, str]]:
    logger.complete()
    records = [json.loads(line)["record"] for line in config.json_file.read_text().splitlines()]
    return {(r["level"]["name"], r["message"]) for r in records}


def test_stdlib_logs_of_apscheduler_and_whoosh_reach_the_json_file(logging_config):
    setup_logging(logging_config)
    logging.getLogger("apscheduler.scheduler").info("Scheduler started")
    logging.getLogger("whoosh.writing").warning("merging segments")
    messages = logged(logging_config)
    assert ("DEBUG", "apscheduler.scheduler: Scheduler started") in messages
    assert ("WARNING", "whoosh.writing: merging segments") in messages


def test_apscheduler_job_chatter_is_debug_and_its_warnings_stay(logging_config):
    setup_logging(replace(logging_config, level="INFO"))
    scheduler, executor = logging.getLogger("apscheduler.scheduler"), logging.getLogger("apscheduler.executors.default")
    scheduler.info("Adding job tentatively -- it will be properly scheduled when the scheduler starts")
    executor.info('Running job "IngestService.one_pass"')
    executor.info('Job "IngestService.one_pass" executed successfully')
    executor.warning('Run time of job "IngestService.one_pass" was missed by 0:01:02')
    logging.getLogger("whoosh.index").info("opening segment")
    assert logged(logging_config) == {
        ("WARNING", 'apscheduler.executors.default: Run time of job "IngestService.one_pass" was missed by 0:01:02'),
        ("INFO", "whoosh.index: opening segment"),
    }


def test_a_bad_rotation_is_a_config_error(logging_config):
    with pytest.raises(ConfigError, match="logging.rotation"):
        setup_logging(replace(logging_config, rotation="every blue moon"))
