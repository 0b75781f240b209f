"""Take the README's screenshots of the web UI: a real server over a store, Debian's headless chromium.

python docs/screenshots.py --db dossier.db        # after `dossier demo`; writes docs/screenshots/*.png
"""

from __future__ import annotations

import argparse
import socket
import threading
import time
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="dossier.db")
    parser.add_argument("--out", default=str(Path(__file__).parent / "screenshots"))
    parser.add_argument("--entity", default="Huawei")
    parser.add_argument("--search", default="export controls")
    args = parser.parse_args()

    import uvicorn
    from playwright.sync_api import sync_playwright

    from dossier import query
    from dossier.store import open_store
    from dossier.web import create_app

    with open_store(args.db) as store:
        contradicted = query.facts(store, contradicted=True, min_corroboration=1, limit=1)
        fact = (contradicted or query.facts(store, min_corroboration=2, limit=1))[0]["id"]
        evidence = query.fact(store, fact)["evidence"][0]
        with store.engine.connect() as conn:  # a document with comments under it, to show them dimmed
            from sqlalchemy import text

            commented = conn.execute(
                text("SELECT s.doc_id FROM segments s JOIN events e ON e.doc_id = s.doc_id WHERE s.kind = 'comment' "
                     "GROUP BY s.doc_id ORDER BY COUNT(DISTINCT e.local_id) DESC, s.doc_id LIMIT 1")
            ).scalar()  # fmt: skip
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(args.db), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    doc = (commented or evidence["doc_id"]).removeprefix("sha256:")[:16]
    shots = {
        "home": "/",
        "search": f"/search?q={args.search.replace(' ', '+')}",
        "entity": f"/entity/{args.entity}",
        "fact": f"/fact/{fact}",
        "document": f"/doc/{doc}",
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        for name, url in shots.items():
            page.goto(base + url)
            page.wait_for_load_state("networkidle")
            if name == "entity":
                page.wait_for_selector("#graph[data-rendered]")
            page.screenshot(path=str(out / f"{name}.png"))
            print(f"{out / name}.png  ←  {url}")
        browser.close()
    server.should_exit = True
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
