# Two entry points, each sets up what it needs first:
#   make run   ingest seeds/ into var/index, then keep it up to date on the schedule
#   make test  run the whole test suite
#   make bench run the benchmarks (needs ../shared/data; see bench/README.md)
#   make opensearch  a local 3-node OpenSearch cluster in the foreground (needs java 17 and mvn; NODES=1 for one)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run once test bench clean opensearch

run: $(VENV)/.installed
	$(BIN)/ingest run

once: $(VENV)/.installed
	$(BIN)/ingest once

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

$(BIN)/python:
	$(PYTHON) scripts/make_venv.py $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(VENV)/.installed $@

bench: $(VENV)/.installed-bench
	$(BIN)/python bench/encoding.py
	$(BIN)/python bench/relevance.py

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	touch $(VENV)/.installed $(VENV)/.installed-test $@

# The cluster of the OpenSearch backend's tests, built from Maven Central artifacts (opensearch/).
# Prints "green http://127.0.0.1:9200 ..." once the cluster is green; "stop 1" / "start 1" on
# stdin stop and start a node, Ctrl-C stops all. Data in var/opensearch.
# `make opensearch NODES=1`: one node (then create indexes with 0 replicas), data in var/opensearch-1.
OPENSEARCH_JAR := opensearch/target/opensearch-cluster-1.jar
NODES ?= 3
OPENSEARCH_DATA := var/opensearch$(if $(filter 3,$(NODES)),,-$(NODES))

opensearch: $(OPENSEARCH_JAR)
	java -Xms1g -Xmx1g -cp $(OPENSEARCH_JAR):$$(cat opensearch/target/classpath.txt) norsearch.LocalCluster $(OPENSEARCH_DATA) $(NODES)

$(OPENSEARCH_JAR): opensearch/pom.xml opensearch/src/main/java/norsearch/LocalCluster.java
	cd opensearch && mvn -q -B package

clean:
	rm -rf $(VENV) var *.egg-info opensearch/target
