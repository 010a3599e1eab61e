import Link from "next/link";

const LINKS = [
  ["/admin/approvals", "Approval queue"],
  ["/admin/developers", "Developers"],
  ["/admin/apps", "Apps"],
  ["/admin/tokens", "Revoke tokens"],
  ["/admin/products", "Products"],
  ["/admin/proxies", "Proxies"],
  ["/admin/guides", "Guides"],
  ["/admin/branding", "Branding"],
  ["/admin/analytics", "Analytics"],
  ["/admin/bots", "Bot detection"],
  ["/admin/audit", "Audit log"],
  ["/admin/api-keys", "Admin API keys"],
] as const;

export function AdminNav() {
  return (
    <nav aria-label="Admin" className="space-y-1 text-sm">
      <p className="mb-2 text-xs font-semibold uppercase text-slate-500">Admin console</p>
      {LINKS.map(([href, label]) => (
        <Link key={href} href={href} className="block rounded px-3 py-2 text-slate-700 hover:bg-white hover:text-brand-700">
          {label}
        </Link>
      ))}
    </nav>
  );
}
