"""Importing spreadsheets.

tabular.py     an uploaded file's bytes as a Table of strings (CSV in any spreadsheet encoding, XLSX), read in a
               child process with a time and memory limit by `read_upload` (all three importers use it)
mapping.py     what an exit interview export's columns and values mean, remembered per header row
skipped.py     the rows an import skipped, with why: sealed in the done page, downloaded as a CSV
queries.py     staged uploads, remembered mappings, fingerprints, the import itself
pages.py       the HTML routes (templates/imports/)
"""
