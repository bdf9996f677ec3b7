"""Tables imported into a plan from spreadsheets (XLSX, CSV): upload, mapping, check, preview, import.

``registry``: what can be imported (the apps that own the rows register an ``Importer``);
``reading``: the table read for an importer (header, proposed mapping, rows checked);
``steps``: the worker's tasks; ``services``: what requests do; ``views``, ``forms``, ``tables``: the pages.
"""
