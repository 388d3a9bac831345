"""The yardstick for the load test: the smallest Litestar app that answers a small HTML page.

Served by `python -m bench load` with the same uvicorn options and worker count as `actiontrack serve`.
"""

from litestar import Litestar, MediaType, get

PAGE = "<!doctype html><html lang=\"en\"><title>Minimal</title><h1>Hello</h1><p>A small page.</p></html>"


@get("/", media_type=MediaType.HTML)
async def minimal_page() -> str:
    return PAGE


app = Litestar(route_handlers=[minimal_page])
