"""Themes: the taxonomy HR keeps, suggestions from interview answers, evidence per group, suggested actions.

rules.py              keyword suggestions from free text and low scores (`suggest_themes`, `fold`), and a
                      valid theme (`validate_theme`); used by interviews, stay interviews and the import
lexicon.py            the grammar suggestions read around keywords, per language: negation, praise, thanks,
                      contrast, and phrases that give a word another sense (measured by `python -m bench themes`)
seeded_keywords.py    keywords that revisions add to the seeded themes, beside HR's (`change_keywords`)
queries.py            the taxonomy, the theme of a URL (`theme_or_404`), and how often a group raised a theme
suggested_actions.py  proven responses per theme and language: the library, what the action form offers
pages.py              the HTML routes (templates/themes/): the taxonomy and each theme's suggested actions
"""
