"""Accounts HR manages: invitations by email (with a one-time link to choose a password) and API tokens.

invitations.py  inviting someone: checks, the account and its link, delivery by mail or to HR, pending ones
pages.py        the routes (templates/accounts/): invite, renew, withdraw, welcome, API tokens
"""
