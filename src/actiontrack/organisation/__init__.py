"""The organisation HR keeps: departments (with headcount, for turnover) and job families.

rules.py  what a valid department or job family is (`check_group` without the database, for the import)
pages.py  the HTML routes (templates/organisation/); org_import/ imports them from files
"""
