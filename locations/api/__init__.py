"""The JSON API, version 1 (``/api/v1/``): Django REST framework views over the search."""
