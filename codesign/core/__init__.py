"""What every stage shares: errors that say where and how to fix, YAML with line numbers, and the models of a
project's configuration — the project (``project.yml``), its participant register, its programme
(``programme.yml``) — plus the report wording in Finnish and English (``i18n``). Depends on nothing else in
codesign."""
