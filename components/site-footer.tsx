import Link from "next/link";

/** The footer on every page: where to go next when a page ends. */
export function SiteFooter() {
  return (
    <footer className="border-t border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-6 text-sm text-slate-600 sm:px-6">
        <p>Gatehouse — developer portal, OAuth 2.0 server and API gateway</p>
        <nav aria-label="Footer" className="flex flex-wrap gap-4">
          <Link href="/catalog" className="hover:text-brand-700">
            API catalog
          </Link>
          <a href="/api/v1/openapi.json" className="hover:text-brand-700">
            Management API (OpenAPI)
          </a>
        </nav>
      </div>
    </footer>
  );
}
