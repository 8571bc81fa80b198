"""The snippets are data for :mod:`tests.corpus.test_corpus`, never modules to collect."""

collect_ignore_glob = ["snippets/*"]
