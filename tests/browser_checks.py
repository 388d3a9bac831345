"""Checks that tests run in Chromium: axe-core's accessibility rules and layout measurements."""

from __future__ import annotations

from playwright.sync_api import Page

from actiontrack.settings import PROJECT_ROOT

from conftest import PERSONA_PASSWORD, LiveServer

# Installed by `npm ci` (package.json devDependencies).
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page: Page, *, skip: tuple[str, ...] = ()) -> list[str]:
    """axe-core's violations on the page as it stands, one readable line each; `skip` names rules not run.

    The page's context must bypass the CSP (`new_context(bypass_csp=True)`): the CSP forbids inline
    scripts, which is how Playwright injects axe (`context.add_init_script(path=AXE)` saves a
    round trip per page when many pages are checked).
    """
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """(skip) => axe.run(document, {
            resultTypes: ['violations'],
            rules: Object.fromEntries(skip.map((rule) => [rule, {enabled: false}])),
        })""",
        list(skip),
    )
    return [f"{page.url} {violation['id']} ({violation['impact']}): {violation['help']} at "
            + "; ".join(str(node["target"]) for node in violation["nodes"])
            for violation in result["violations"]]


def overflowing(page: Page, container: str, children: str) -> list[str]:
    """The elements matching `children` inside each `container` that stick out of it, as readable lines."""
    return page.evaluate(
        """([container, children]) => {
            const found = [];
            for (const box of document.querySelectorAll(container)) {
                const outer = box.getBoundingClientRect();
                for (const element of box.querySelectorAll(children)) {
                    const inner = element.getBoundingClientRect();
                    if (inner.width && (inner.left < outer.left - 0.5 || inner.right > outer.right + 0.5)) {
                        found.push(`${element.outerHTML.slice(0, 80)}: ${inner.left}-${inner.right}`
                                   + ` outside ${outer.left}-${outer.right}`);
                    }
                }
            }
            return found;
        }""",
        [container, children],
    )


def overlapping(page: Page, selector: str) -> list[str]:
    """Pairs of visible elements matching `selector` whose boxes overlap."""
    return page.evaluate(
        """(selector) => {
            const boxes = [...document.querySelectorAll(selector)]
                .map((element) => [element.textContent.trim(), element.getBoundingClientRect()])
                .filter(([, box]) => box.width > 0);
            const found = [];
            boxes.forEach(([text, a], i) => boxes.slice(i + 1).forEach(([other, b]) => {
                if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
                    found.push(`${text} overlaps ${other}`);
                }
            }));
            return found;
        }""",
        selector,
    )


def wider_than_window(page: Page) -> list[str]:
    """The page scrolls sideways, as its reader sees it: the document is wider than the window.

    One line naming the document's width, with the elements that reach furthest to the right (the
    innermost ones, where the overflow starts). A table that scrolls inside its own wrapper does not
    widen the document; anything that escapes the wrapper (an absolutely positioned span whose
    containing block is outside it) does, and counts.
    """
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const scrolled = document.documentElement.scrollWidth;
            if (scrolled <= width) return [];
            // Clipped by a scrolling box between it and its containing block: the box scrolls, not the page.
            const clipped = (element) => {
                for (let node = element; node && node !== document.body;) {
                    const next = getComputedStyle(node).position === 'absolute'
                        ? node.offsetParent : node.parentElement;
                    if (!next || next === document.body) return false;
                    if (getComputedStyle(next).overflowX !== 'visible') return true;
                    node = next;
                }
                return false;
            };
            const outside = [...document.body.querySelectorAll('*')]
                .filter((element) => element.getBoundingClientRect().right > width + 0.5 && !clipped(element));
            const innermost = outside.filter((element) => !outside.some((other) => other !== element
                                                                            && element.contains(other)));
            innermost.sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right);
            const culprits = innermost.slice(0, 3).map((element) =>
                `${element.outerHTML.slice(0, 80)} ends at ${Math.round(element.getBoundingClientRect().right)}`);
            return [`${location.pathname}${location.search} is ${scrolled} px wide in a window ${width} wide: `
                    + culprits.join('; ')];
        }"""
    )


def sign_in_page(page: Page, server: LiveServer, email: str, *, language: str = "en") -> None:
    """Sign in through the real form, reading the pages in `language`, with the personas' password."""
    page.set_extra_http_headers({"accept-language": language})
    page.goto(f"{server.url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PERSONA_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def hr_adds_question(page: Page, *, answered: str, texts: tuple[str, str, str], department: str,
                     asked_in: str | None = None) -> None:
    """HR, signed in, adds an extra question for one department through /questions: `answered` is the kind's
    label, `texts` the question in nl, fr and en, `asked_in` the label of where it is asked (or the default)."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Extra questions").click()
    page.get_by_role("link", name="Add a question").click()
    page.get_by_role("group", name="How is it answered?").get_by_label(answered).check()
    if asked_in is not None:
        page.get_by_role("group", name="Where is it asked?").get_by_label(asked_in).check()
    for language, text in zip(("Nederlands", "Français", "English"), texts, strict=True):
        page.get_by_role("group", name=language).get_by_label("Question").fill(text)
    page.get_by_role("group", name="Departments").get_by_label(department).check()
    page.get_by_role("button", name="Save").click()
