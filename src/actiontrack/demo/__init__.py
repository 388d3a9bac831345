"""The demo organisation, for trying actiontrack out (`actiontrack demo load`) and for benchmarks.

Data, not code, except the loader:
- `organisation`: people (with the demo password), job families, departments and their leavers' themes
- `phrases`: what leavers say, per theme and language
- `actions`: the actions that followed, each with its history
- `texts`: the Dutch and French names and action texts
- `stay`: the stay interviews with current staff (data and their generator)
- `load`: `load_demo`, which writes all of it into an empty (or demo-only) database
"""
