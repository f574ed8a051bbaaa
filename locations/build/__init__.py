"""Build-time code, which a running site never imports: the gazetteer builder
(``make gazetteer``, ``manage.py build_gazetteer``) and the demo-outlet generator
(``manage.py generate_outlets``, the benchmarks)."""
