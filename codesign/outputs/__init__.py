"""What people read and exchange: report helpers for the notebooks (``explore``, ``plots``), the monitoring and
communication workbooks (``templates``, ``followup``), the committee summary (``summary``) and REFI-QDA
exchange (``qdpx``). Reads the build's tables; depends on every stage before it."""
