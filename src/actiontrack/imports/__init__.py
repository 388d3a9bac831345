"""Importing spreadsheets.

tabular.py     an uploaded file's bytes as a Table of strings (CSV in any spreadsheet encoding, XLSX)
"""
