"""``codesign build``: the pipeline (ingest → code → analyse → deliverables, each only when its inputs
changed), then every report notebook with papermill, the index page, the lock and the leak check of the
reports. Depends on every stage."""
