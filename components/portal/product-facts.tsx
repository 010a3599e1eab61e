import type { ProductView } from "@/lib/portal/views";

function duration(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400} day${seconds === 86400 ? "" : "s"}`;
  if (seconds % 3600 === 0) return `${seconds / 3600} hour${seconds === 3600 ? "" : "s"}`;
  if (seconds % 60 === 0) return `${seconds / 60} minute${seconds === 60 ? "" : "s"}`;
  return `${seconds} seconds`;
}

/** Scopes (with what each lets an app do, when described), quota, approval type and lifetimes of a product. */
export function ProductFacts({ product, compact = false }: { product: ProductView; compact?: boolean }) {
  const quota =
    product.quotaLimit && product.quotaIntervalSeconds
      ? `${product.quotaLimit.toLocaleString("en")} calls per ${duration(product.quotaIntervalSeconds)} (${product.quotaWindow})`
      : "no quota";
  return (
    <dl className="grid grid-cols-[9rem_1fr] gap-x-3 gap-y-1 text-sm">
      <dt className="text-slate-500">Approval</dt>
      <dd data-testid="approval-type">{product.approvalType === "manual" ? "manual — an admin reviews each app" : "automatic"}</dd>
      <dt className="text-slate-500">Scopes</dt>
      {compact || !Object.keys(product.scopeDescriptions).length ? (
        <dd className="font-mono">{product.scopes.length ? product.scopes.join(" ") : "—"}</dd>
      ) : (
        <dd>
          <ul className="space-y-0.5" data-testid="product-scopes">
            {product.scopes.map((scope) => (
              <li key={scope} className="break-words">
                <code>{scope}</code>
                {product.scopeDescriptions[scope] ? <span className="text-slate-600"> — {product.scopeDescriptions[scope]}</span> : null}
              </li>
            ))}
          </ul>
        </dd>
      )}
      <dt className="text-slate-500">Quota</dt>
      <dd>{quota}</dd>
      {compact ? null : (
        <>
          <dt className="text-slate-500">Access tokens</dt>
          <dd>live {duration(product.accessTokenTtlSeconds)}</dd>
          <dt className="text-slate-500">Credentials</dt>
          <dd>{product.credentialTtlSeconds ? `expire after ${duration(product.credentialTtlSeconds)}` : "do not expire"}</dd>
        </>
      )}
    </dl>
  );
}
