"""Finnish NLP: the spaCy pipeline ``spacy-fi-experimental-web-md`` with Voikko, loaded once per process
(``pipeline``), and the word features the coder and the analytics share — base forms, compound parts, spoken
forms — with a cache of processed documents (``finnish``). Depends on ``core``."""
